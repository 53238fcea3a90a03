"""URLs of the API, to be included at /api/v1/ outside i18n_patterns. Every view (django-ninja's operations, the
OpenAPI document and the docs page) goes through wrappers.api_view: CORS, preflight, HEAD, rate limit, JSON 500.
Anything else under the prefix answers a JSON 404."""
from django.http import JsonResponse
from django.urls import re_path, reverse

from civicspace.pagecache.middleware import cache_public_get

from .api import api
from .wrappers import api_view, error

app_name = api.urls_namespace


def index(request, **kwargs):
    """/api/v1/: where things are (django-ninja needs a view named api-root here to place its paths)."""
    def absolute(name):
        return request.build_absolute_uri(reverse(f"{app_name}:{name}"))

    return JsonResponse({
        "docs": absolute("openapi-view"),
        "openapi": absolute("openapi-json"),
        "endpoints": {name: absolute(name) for name in ("countries", "editions", "updates", "laws", "cases",
                                                         "corrections", "watchlist", "taxonomy")},
    })


def unknown_endpoint(request, rest=""):
    return error(404, f"No API endpoint at {request.path}; see {reverse(f'{app_name}:openapi-view')}")


def _patterns():
    patterns, _app, _namespace = api.urls
    for pattern in patterns:
        if pattern.name == "api-root":
            pattern.callback = index
        # Answers are cached per publication generation (civicspace.pagecache), behind the rate limit.
        pattern.callback = api_view(cache_public_get(pattern.callback))
    return patterns + [re_path(r"^(?P<rest>.*)$", api_view(unknown_endpoint))]


urlpatterns = _patterns()
