from django.db import connection
from django.http import (
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception):
    return HttpResponseForbidden(loader.render_to_string("403.html", {}, request))


def page_not_found(request, exception):
    # The exception text is never shown: it can name objects that should not be known to exist.
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    # Rendered without the context processors (they may be what failed); the language is already active.
    html = loader.render_to_string("500.html", {})
    response = HttpResponseServerError(html)
    # The page does not depend on static files (they may be what failed): its one fixed <style> is allowed by
    # its hash, not by letting every inline style through.
    response._csp_update = {"style-src": [f"'sha256-{digest}'" for digest in _style_hashes(html)]}
    return response


def _style_hashes(html):
    import base64
    import hashlib
    import re

    return [base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            for style in re.findall(r"<style>(.*?)</style>", html, flags=re.S)]
