"""Test settings: embedded mode (or PostgreSQL when DATABASE_URL is set) with fast hashing."""
from .embedded import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Plain storage: tests do not need collectstatic's manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
