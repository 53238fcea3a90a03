"""Fixed-window counters in Django's cache (the in-process cache in embedded mode, Redis in production, so every
app server shares the count). Used by the API rate limit and by the public forms that anyone may submit
(alert subscriptions, corrections and replies) to stop flooding per IP address and per e-mail address.

API_TRUSTED_PROXY_COUNT (default 0): how many proxies in front of the app append to X-Forwarded-For; with 0 the
client is REMOTE_ADDR, otherwise the address that many entries from the right of X-Forwarded-For.
"""
import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request):
    proxies = int(getattr(settings, "API_TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def throttle_hit(scope, ident, *, limit, window_seconds, now=None):
    """Count one event of `ident` (an IP address, an e-mail address) under `scope`; the seconds to wait when it
    is over `limit` events per window, else None. A limit of 0 or less disables the check. The identity is
    hashed in the key so that no e-mail address is stored in the cache in clear."""
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // window_seconds)
    digest = hashlib.sha256(str(ident).strip().lower().encode()).hexdigest()[:32]
    key = f"civicspace:throttle:{scope}:{digest}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds * 2)
            count = 1
    except Exception:  # the cache is down: serve rather than refuse everyone
        logger.exception("throttle %s: cache unavailable", scope)
        return None
    if count > limit:
        return max(1, math.ceil((window + 1) * window_seconds - now))
    return None
