"""What every API URL goes through, before django-ninja: CORS (open, read-only), the OPTIONS preflight, HEAD,
the rate limit, and a JSON 500 without internals if anything escapes. The checks (api_checks) run in
api/middleware.py ApiCacheMiddleware, first in MIDDLEWARE (a cached answer skips the rest of the stack, after the
rate limit); a refusal is returned by ApiChecksMiddleware, inside the security middleware."""
import functools
import logging

from django.http import HttpResponse, JsonResponse

from . import ratelimit

logger = logging.getLogger(__name__)

ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def error(status, detail):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def add_cors_headers(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Retry-After"
    return response


def preflight(request):
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    requested = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    response["Access-Control-Allow-Headers"] = requested or "Accept, Accept-Language, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ALLOWED_METHODS
    return response


def api_checks(request):
    """The answer before any view: the preflight, 405, 429 (this counts the request against the client's limit)
    or 400 for a NUL; None when the request goes on. Run once per request, by ApiCacheMiddleware (before the page
    cache, so that cached answers count too)."""
    if request.method == "OPTIONS":
        return add_cors_headers(preflight(request))
    if request.method not in ("GET", "HEAD"):
        response = error(405, f"Method {request.method} is not allowed: the API is read-only ({ALLOWED_METHODS})")
        response["Allow"] = ALLOWED_METHODS
        return add_cors_headers(response)
    retry_after = ratelimit.hit(request)
    if retry_after is not None:
        response = error(429, f"Too many requests: limit is {ratelimit.limit_per_minute()} per minute")
        response["Retry-After"] = str(retry_after)
        return add_cors_headers(response)
    if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in values)
                                     for k, values in request.GET.lists()):
        return add_cors_headers(error(400, "The request contains a NUL character"))
    return None


def api_view(view):
    """Wrap one view of the API."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            head = request.method == "HEAD"
            if head:
                request.method = "GET"
            response = view(request, *args, **kwargs)
            if head:
                request.method = "HEAD"
                response.content = b""
        except Exception:
            logger.exception("API error on %s", request.path)
            response = error(500, "Internal server error")
        return add_cors_headers(response)

    wrapped.csrf_exempt = True
    return wrapped
