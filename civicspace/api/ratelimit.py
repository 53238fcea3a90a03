"""Per-client rate limit of the API: a fixed one-minute window per IP address, counted in Django's cache (the
in-process cache in embedded mode, Redis in production, so every app server shares the count).

Settings (read at each request, so tests can override them):
- API_RATE_LIMIT_PER_MINUTE (default 120; 0 disables the limit)
- API_TRUSTED_PROXY_COUNT (default 0): how many proxies in front of the app append to X-Forwarded-For; with 0
  the client is REMOTE_ADDR, otherwise the address that many entries from the right of X-Forwarded-For.
"""
from django.conf import settings

from civicspace.core.throttle import client_ip, throttle_hit

__all__ = ["client_ip", "hit", "limit_per_minute"]

WINDOW_SECONDS = 60


def limit_per_minute():
    return int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120))


def hit(request, *, now=None):
    """Count one request of this client; the seconds to wait when it is over the limit, else None."""
    return throttle_hit("api", client_ip(request), limit=limit_per_minute(), window_seconds=WINDOW_SECONDS,
                        now=now)
