"""Test settings: embedded mode (or PostgreSQL when DATABASE_URL is set) with fast hashing."""
import os

from .embedded import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Plain storage: tests do not need collectstatic's manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not Django's default in-memory database, for SQLite test runs: the browser suite's live server
# then gets connections of its own instead of sharing one across threads.
# CIVICSPACE_TEST_DB lets two test runs on one machine use different files.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("CIVICSPACE_TEST_DB") or str(VAR_DIR / "test-civicspace.sqlite3")}  # noqa: F405

# Tests pin the queries of rendered pages, so pages are rendered every time; the page cache's own tests
# (tests/integration/test_page_cache.py) turn it on.
PAGE_CACHE_SECONDS = 0
# One process per test worker: the generation lives in its in-process cache (emptied around every test); the
# file store and Redis are tested in tests/integration/test_page_cache.py.
PAGE_CACHE_GENERATION_STORE = "cache"

# WhiteNoise scans every collected static file when its middleware is built, and the test client builds the
# middleware afresh for each Client (thousands per run: 60% of the access matrix's time was this scan). Looking
# files up when they are asked for, as WhiteNoise does in development, serves the same files with the same headers.
WHITENOISE_AUTOREFRESH = True
