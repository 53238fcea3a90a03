"""Embedded mode (the default): one machine, SQLite file under var/, in-process cache. Used by `make run`.

Set DATABASE_URL to point the same code at PostgreSQL (the test suite does this for its PostgreSQL pass).
"""
import os

import dj_database_url

from .base import *  # noqa: F401,F403
from .base import VAR_DIR

DEBUG = os.environ.get("DEBUG", "") == "1"
# The embedded server listens on loopback only; a per-checkout key is generated on first start (see below).
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"] + [
    h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h
]


def _local_secret_key():
    """A random key kept in var/ so sessions survive restarts; never committed (var/ is ignored)."""
    from django.core.management.utils import get_random_secret_key

    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'civicspace.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers (gunicorn workers) proceed while an import writes. synchronous=FULL: a committed
    # transaction survives a power cut too (NORMAL may lose the last ones); writes here are few and small.
    # Foreign keys are enforced: Django's SQLite backend turns PRAGMA foreign_keys on for every connection.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
    }

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The cache is per gunicorn worker, so the publication generation is shared through a file (pagecache/services.py).
PAGE_CACHE_GENERATION_STORE = "file"

# Password-reset and invitation e-mails are printed to the console in embedded mode.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
