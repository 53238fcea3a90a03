"""The front cache's permission slip: which responses nginx (deploy/nginx.conf.template) may keep, and for how
long. nginx ignores Cache-Control and Expires from the app and stores only responses carrying X-Accel-Expires
(nginx removes that header before the response leaves it), so the app decides here, once:

- an anonymous GET or HEAD (no session or flash-message cookie, no Authorization) of a public page under a
  language prefix or of the API, outside the admin, accounts, workspace and data-download pages;
- a 200 that sets no cookie, is not private/no-store/no-cache, does not vary on everything, does not stream,
  and did not embed this request's CSP nonce (the same rules as the page cache, middleware.py);
- until the end of the current second plus FRONT_CACHE_SECONDS - 1 (X-Accel-Expires: @epoch). With the
  default of 1 an entry lives at most one second, so a publication shows through nginx within one second on
  every page, with no purge list to keep; nginx's proxy_cache_lock lets one request per page and second through
  and the others wait for it, so a spike on one page costs the app one render per second.

nginx repeats the cookie, path and Authorization rules on its side (two independent locks on the same door).
"""
import re
import time

from django.conf import settings

from .middleware import _LANGS, _cacheable_response

FRONT_PATH = re.compile(rf"^/(?:(?:{_LANGS})/(?!admin/|accounts/|workspace/|data/)|api/)")
HEADER = "X-Accel-Expires"


def front_cache_seconds():
    return int(settings.FRONT_CACHE_SECONDS)


class FrontCacheHeaderMiddleware:
    """Outermost middleware (it must see the cookies every other middleware set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = front_cache_seconds()
        if (seconds > 0 and request.method in ("GET", "HEAD") and FRONT_PATH.match(request.path_info)
                and "HTTP_AUTHORIZATION" not in request.META
                and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
                and _cacheable_response(response) and not isinstance(getattr(request, "_csp_nonce", None), str)):
            response[HEADER] = f"@{int(time.time()) + seconds - 1}"
        return response

