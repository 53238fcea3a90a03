"""Error pages in the visitor's language without internals, and the production settings' deploy check."""
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.integration.error_urls")
@pytest.mark.parametrize("lang, heading, direction", [
    ("en", "Something went wrong", "ltr"),
    ("ru", "Что-то пошло не так", "ltr"),
    ("ar", None, "rtl"),
])
def test_server_error_page_is_translated_and_shows_no_internals(lang, heading, direction):
    client = Client(raise_request_exception=False)
    response = client.get(f"/{lang}/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    if heading:
        assert heading in html
    assert "secret internal detail" not in html and "Traceback" not in html and "RuntimeError" not in html


def _run_civicspace(args, env):
    return subprocess.run(
        [sys.executable, "-m", "civicspace", *args],
        # The browser suite's async-unsafe switch must not leak into a production check.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True, text=True, timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "civicspace.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "DATABASE_URL": "postgres://civicspace@db.internal:5432/civicspace",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "monitor.example.org",
}


def test_check_deploy_is_clean_under_production_settings():
    result = _run_civicspace(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without_required_variables(missing):
    env = dict(PRODUCTION_ENV, **{missing: ""})
    result = _run_civicspace(["check"], env)
    assert result.returncode != 0
    assert f"Production settings need the environment variable {missing}" in result.stderr


def test_production_settings_refuse_sqlite():
    result = _run_civicspace(["check"], dict(PRODUCTION_ENV, DATABASE_URL="sqlite:////tmp/x.sqlite3"))
    assert result.returncode != 0
    assert "need a PostgreSQL DATABASE_URL" in result.stderr


def test_production_mode_uses_redis_and_is_not_debug():
    # Redis through RedisCache (core/cache.py's subclass treats an unreachable Redis as a miss).
    code = ("from django.conf import settings as s; from django.core.cache import caches; "
            "from django.core.cache.backends.redis import RedisCache; "
            "print(s.DEBUG, isinstance(caches['default'], RedisCache), s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)")
    result = _run_civicspace(["shell", "--no-imports", "-c", code], PRODUCTION_ENV)
    assert result.stdout.split() == ["False", "True", "True", "True"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
