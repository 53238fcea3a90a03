"""The API's answers from the page cache (civicspace/pagecache: the publication generation, validators, what may be
stored): a cached answer skips the whole middleware stack but never the API's rate limit. The API layer's, so
that the page cache (a domain) never imports an output layer."""
import hashlib

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from civicspace.pagecache.middleware import (HEADER, _cacheable_request, _cacheable_response, _conditional, _seconds,
                                             _validators)
from civicspace.pagecache.services import page_cache, served_generation, store_allowed

from .wrappers import api_checks

API_PATH = "/api/"
# The request headers an API answer is keyed on besides its absolute URL: the ones its responses vary on
# (LocaleMiddleware: Accept-Language, which also sets Content-Language; sessions and CSRF: Cookie). An answer that
# varies on any other header is not stored (see _api_store), so a key never misses a header the answer depends on.
_API_KEY_HEADERS = ("HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE")
_API_VARY = frozenset(("accept-language", "cookie"))
# What a 304 (or 412) leaves out of the stored answer's headers: the body's own.
_ENTITY_HEADERS = frozenset(("content-type", "content-length", "content-language", "content-encoding"))


def _api_key(request, generation):
    """The cache key of an API answer: the generation, the URL (scheme, the host as Django validates it, path and
    query as received) and the values of the request headers answers vary on; no look-up of learned headers,
    unlike get_cache_key. Raises DisallowedHost for a host outside ALLOWED_HOSTS."""
    meta = request.META
    raw = "\n".join((request.scheme, request.get_host(), request.path, meta.get("QUERY_STRING", ""),
                     *(meta.get(h, "") for h in _API_KEY_HEADERS)))
    return f"api:{generation}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


_CONDITIONS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _api_conditional(request, response, generation):
    """_conditional for a whole answer: a 304 (or 412) keeps the answer's headers but those of its body (the
    security headers, CORS, Vary, the validators), as the stack would have added them to it."""
    meta = request.META
    if not any(name in meta for name in _CONDITIONS):  # nothing to compare (what get_conditional_response does)
        return response
    answer = _conditional(request, response, generation)
    if answer is not response:
        for name, value in response.items():
            if name.lower() not in _ENTITY_HEADERS and name not in answer:
                answer[name] = value
    return answer


def _api_storable(request, response):
    if not _cacheable_response(response) or isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    if not getattr(response, "is_rendered", True):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= _API_VARY


class ApiCacheMiddleware:
    """The API's answers from the page cache, FIRST in MIDDLEWARE: a hit is the final answer of an earlier miss
    (its headers as SecurityMiddleware, CSP and every other middleware left them, its body as bytes) and skips
    the whole stack. The API's checks (api/wrappers.py: the rate limit, preflight, 405, NUL) run here before the
    look-up, so a cached answer and a 304 still count against the client's limit; a refusal is handed to
    ApiChecksMiddleware, lower, so that it goes out through the security middleware like any answer.

    The stored entry is (headers, body), not a pickled HttpResponse: cheap to unpickle and rebuild. A hit is
    byte for byte the miss it was stored from (tests/integration/test_page_cache.py), apart from X-Page-Cache."""

    def __init__(self, get_response):
        self.get_response, self.api_checks = get_response, api_checks

    def __call__(self, request):
        if not request.path_info.startswith(API_PATH):
            return self.get_response(request)
        refused = self.api_checks(request)
        if refused is not None:
            request._api_refusal = refused
            return self.get_response(request)
        if not _cacheable_request(request):
            return self.get_response(request)
        generation = served_generation()
        if generation is None:
            return self.get_response(request)
        try:
            key = _api_key(request, generation)
        except DisallowedHost:  # answered 400 by the stack, with its headers
            return self.get_response(request)
        cache = page_cache()
        entry = cache.get(key)
        if entry is not None:
            headers, body = entry
            response = HttpResponse(body)
            # The stored answer's own headers, already checked when it was built: ResponseHeaders' mapping as it
            # was, not each header converted and checked again (a quarter of a hit's time in this middleware).
            response.headers._store = dict(headers)
            response[HEADER] = "hit"
            return _api_conditional(request, response, generation)
        request._api_cached = True
        response = self.get_response(request)
        if not _api_storable(request, response) or not store_allowed(generation):
            return response
        _validators(response, key, generation)
        cache.set(key, (tuple(response.headers._store.items()), response.content), _seconds())
        response[HEADER] = "miss"
        return _api_conditional(request, response, generation)


class ApiChecksMiddleware:
    """Returns the refusal ApiCacheMiddleware found (api_checks) where the security middleware wraps it (after
    SecurityMiddleware, CSP and WhiteNoise), like any answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = getattr(request, "_api_refusal", None)
        return refused if refused is not None else self.get_response(request)
