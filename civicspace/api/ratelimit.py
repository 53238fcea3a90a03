"""Per-client rate limit of the API: a fixed one-minute window per IP address, counted in Django's cache (the
in-process cache in embedded mode, Redis in production, so every app server shares the count).

Settings (read at each request, so tests can override them):
- API_RATE_LIMIT_PER_MINUTE (default 120; 0 disables the limit)
- API_TRUSTED_PROXY_COUNT (default 0): how many proxies in front of the app append to X-Forwarded-For; with 0
  the client is REMOTE_ADDR, otherwise the address that many entries from the right of X-Forwarded-For.
"""
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


def limit_per_minute():
    return int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120))


def client_ip(request):
    proxies = int(getattr(settings, "API_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(request, *, now=None):
    """Count one request of this client; the seconds to wait when it is over the limit, else None."""
    limit = limit_per_minute()
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"civicspace:api-rate:{client_ip(request)}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
    except Exception:  # the cache is down: serve rather than refuse everyone
        logger.exception("API rate limit: cache unavailable")
        return None
    if count > limit:
        return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    return None
