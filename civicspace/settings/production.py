"""Production mode: PostgreSQL primary (DATABASE_URL) and optional read replica (DATABASE_REPLICA_URL), Redis
(REDIS_URL), DEBUG off, HTTPS-only cookies and HSTS, background jobs in the database queue, nginx front cache.

Every setting comes from the environment; README "Production" lists each variable. Required: SECRET_KEY,
DATABASE_URL, REDIS_URL, ALLOWED_HOSTS (comma-separated).
"""
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, VAR_DIR


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Production settings need the environment variable {name}.")
    return value


def _list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
STATIC_ROOT = os.environ.get("STATIC_ROOT") or str(VAR_DIR / "static")

_conn_age = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES = {"default": dj_database_url.parse(_required("DATABASE_URL"), conn_max_age=_conn_age,
                                              conn_health_checks=True)}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Production settings need a PostgreSQL DATABASE_URL (postgres://...).")

# --- Read replica (core/dbrouting.py): anonymous public reads go there while it is streaming and within
# REPLICA_MAX_LAG_SECONDS; signed-in users, writes and migrations use the primary.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=_conn_age,
                                                 conn_health_checks=True)
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["civicspace.core.dbrouting.PrimaryReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "1"))

# --- Redis: cache (whole public pages, API rate limits, allauth's login limits). Unreachable Redis is a cache
# miss, not an error (core/cache.py); sessions are in the database, cached in Redis, so a Redis restart signs
# nobody out.
CACHES = {
    "default": {
        "BACKEND": "civicspace.core.cache.ResilientRedisCache",
        "LOCATION": _required("REDIS_URL"),
        "KEY_PREFIX": "civicspace",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background jobs: the database queue; `civicspace task_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# --- nginx front cache (pagecache/frontcache.py): anonymous public answers for at most this many seconds.
FRONT_CACHE_SECONDS = int(os.environ.get("FRONT_CACHE_SECONDS", "1"))
MIDDLEWARE = [
    "civicspace.pagecache.frontcache.FrontCacheHeaderMiddleware",
    "civicspace.core.dbrouting.ReadReplicaMiddleware",
    *MIDDLEWARE,
]

# TLS is terminated by nginx (or another load balancer), which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") != "0"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "63072000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")

# Requests reach the app through one load balancer: the client is the last X-Forwarded-For hop it added.
API_TRUSTED_PROXY_COUNT = int(os.environ.get("API_TRUSTED_PROXY_COUNT", "1"))
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "120"))
