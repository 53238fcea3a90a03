"""Whole-page cache for anonymous visitors, invalidated by the publication generation (services.py).

A GET of a public page by a visitor without a session is answered from the cache when the same page
(absolute URL with its query, language, the values of the request headers the page varies on: Django's
get_cache_key/learn_cache_key) was rendered in the current generation. Every change to public content bumps
the generation in its own transaction (apps.py), so the next request renders the page again: a publication
shows at once, in every worker. PAGE_CACHE_SECONDS bounds how long an entry lives anyway (for writes that
bypass model signals, such as QuerySet.update or raw SQL); 0 turns the cache off.

The API's answers are cached by civicspace/api/middleware.py's ApiCacheMiddleware (first in MIDDLEWARE, after the
API's rate limit: whole answers as (headers, body), keyed without Django's learned-header look-up), or by
cache_public_get (api/urls.py) when that middleware is not installed; it uses this module's helpers.

Never cached: signed-in users or anyone with a session cookie (nothing is even looked up for them), requests
with a flash-message cookie, other methods than GET, the workspace, admin, accounts, data files and findings
(which also depend on files written outside the database), responses that set a cookie (a CSRF form),
that are private/no-store/no-cache, that vary on everything (Vary: *), that stream, that are not 200, or
that embed the request's CSP nonce.

A cached hit costs no query: the generation comes from the generation store (services.py: Redis in production,
a file in embedded mode), which a publication updates when it commits.

Conditional requests: a stored page carries an ETag made from its cache key (the generation, the absolute URL
with its query, the language and the values of the headers it varies on) and a Last-Modified (the second of the
publication that started the generation). If-None-Match with that ETag is answered 304; so is If-Modified-Since
with a date after that second (a publication in the same second as the client's copy must not look unchanged,
so the client's own Last-Modified echoed back gets a 200: the ETag is the validator to use).
"""
import functools
import hashlib
import re
import time

from django.conf import settings
from django.utils.cache import get_cache_key, get_conditional_response, has_vary_header, learn_cache_key
from django.utils.http import http_date

from .services import page_cache, served_generation, store_allowed

_LANGS = "|".join(code for code, _name in settings.LANGUAGES)
PUBLIC_PATH = re.compile(rf"^/(?:{_LANGS})/(?!admin/|accounts/|workspace/|data/|findings/)")
_NOT_SHARED = re.compile(r"\b(private|no-store|no-cache)\b")
HEADER = "X-Page-Cache"


def _seconds():
    return int(settings.PAGE_CACHE_SECONDS)


def _cacheable_request(request):
    if request.method != "GET" or not _seconds():
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies and \
        "HTTP_AUTHORIZATION" not in request.META


def _cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if _NOT_SHARED.search(response.get("Cache-Control", "")) or has_vary_header(response, "*"):
        return False
    return True


def etag_for(key):
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _published_second(generation):
    """The second of the publication that started this generation (bumps are microseconds since 1970), or None
    for a value that is not such a time (an old counter)."""
    seconds = generation // 1_000_000
    return seconds if 1_500_000_000 < seconds <= time.time() + 86400 else None


def _validators(response, key, generation):
    response["ETag"] = etag_for(key)
    second = _published_second(generation)
    if second is not None:
        response["Last-Modified"] = http_date(second)


def _conditional(request, response, generation):
    """304 when the client's copy is this one (see the module docstring for If-Modified-Since)."""
    second = _published_second(generation)
    return get_conditional_response(request, etag=response.get("ETag"),
                                    last_modified=None if second is None else second + 1, response=response)


def cached_response(request, get_response, cache):
    """The response from the cache for this generation, or get_response(request), stored when it may be."""
    if not _cacheable_request(request):
        return get_response(request)
    generation = served_generation()
    if generation is None:
        return get_response(request)
    prefix = f"page:{generation}"
    key = get_cache_key(request, prefix, "GET", cache=cache)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            cached[HEADER] = "hit"
            return _conditional(request, cached, generation)
    response = get_response(request)
    # A page that used this request's CSP nonce (django-csp sets request._csp_nonce) must not be replayed:
    # the next response's header carries another nonce.
    if not _cacheable_response(response) or isinstance(getattr(request, "_csp_nonce", None), str):
        return response
    if not store_allowed(generation):  # a read replica behind this generation: its page may be older
        return response

    def store(rendered):
        # The key learns the request headers the page varies on (e.g. Cookie when the session was read).
        if not rendered.cookies:
            learned = learn_cache_key(request, rendered, _seconds(), prefix, cache=cache)
            _validators(rendered, learned, generation)
            cache.set(learned, rendered, _seconds())

    if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
        response.add_post_render_callback(store)
    else:
        store(response)
        response[HEADER] = "miss"
        return _conditional(request, response, generation)
    response[HEADER] = "miss"
    return response



class PublicPageCacheMiddleware:
    """The public pages under a language prefix (the API is cached by cache_public_get, inside its rate limit)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not PUBLIC_PATH.match(request.path_info):
            return self.get_response(request)
        return cached_response(request, self.get_response, page_cache())


def cache_public_get(view):
    """The same cache for one view (the API's operations when ApiCacheMiddleware is not installed: wrapped inside
    the rate limit, so that cached answers still count against a client's limit)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request, "_api_cached", False):  # ApiCacheMiddleware looked it up already
            return view(request, *args, **kwargs)
        return cached_response(request, lambda req: view(req, *args, **kwargs), page_cache())

    return wrapped
