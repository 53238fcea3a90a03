"""The public page cache (civicspace.pagecache): served from the cache for anonymous visitors, invalidated at
once by a publication in every worker, never used for signed-in users; a cached hit costs no query; ETag and
Last-Modified answered with 304."""
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client

from civicspace.monitoring.models import Status, Update
from civicspace.pagecache import services
from civicspace.monitoring.services import update_transition
from civicspace.pagecache.middleware import HEADER
from civicspace.pagecache.services import current_generation
from civicspace.ratings.models import PublishedRating
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600  # off in the test settings, so that other tests pin rendering queries

PAGES = ["/en/", "/en/countries/kgz/", "/ru/updates/?country=KGZ", "/en/search/?q=journalists", "/ar/laws/",
         "/en/watchlist/"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_get_the_page_from_the_cache(path):
    first = Client().get(path)
    second = Client().get(path)
    assert first.status_code == second.status_code == 200
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content


def test_a_cached_hit_costs_no_query(django_assert_num_queries):
    client = Client()
    assert client.get("/en/countries/kgz/")[HEADER] == "miss"
    with django_assert_num_queries(0):  # the generation comes from the store (issue 17: was 1 query)
        assert client.get("/en/countries/kgz/")[HEADER] == "hit"


def test_the_key_has_the_query_string_and_the_language():
    client = Client()
    client.get("/en/updates/")
    assert client.get("/en/updates/?country=KAZ")[HEADER] == "miss"
    assert client.get("/ru/updates/")[HEADER] == "miss"
    assert client.get("/en/updates/")[HEADER] == "hit"


def test_publishing_an_update_shows_it_at_once(people, django_capture_on_commit_callbacks):
    update = make_update(people, status=Status.VERIFIED)
    update.title_en = "Freshly published (cache test)"
    update.save()
    anonymous = Client()
    for path in ("/en/updates/", "/en/countries/kgz/", "/en/search/?q=freshly"):
        anonymous.get(path)
        assert anonymous.get(path)[HEADER] == "hit"
        assert "Freshly published (cache test)" not in anonymous.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the search index follows on commit
        update_transition(update=update, actor=people["editor"], name="publish")
    for path in ("/en/updates/", "/en/search/?q=freshly"):
        response = anonymous.get(path)
        assert response[HEADER] == "miss"
        assert "published (cache test)" in response.content.decode(), path  # search marks the matched word
    # ... and a retraction takes it out at once too.
    anonymous.get(f"/en/updates/{update.pk}/")
    update_transition(update=update, actor=people["editor"], name="retract", text="Wrong date (cache test).")
    assert "Wrong date (cache test)." in anonymous.get(f"/en/updates/{update.pk}/").content.decode()


def test_a_rating_change_refreshes_the_country_page():
    anonymous = Client()
    anonymous.get("/en/countries/kgz/")
    before = current_generation()
    rating = PublishedRating.objects.filter(country__code="KGZ").order_by("-edition__published").first()
    rating.source_url = "https://example.org/changed-source-for-cache-test"
    rating.save()
    assert current_generation() > before
    response = anonymous.get("/en/countries/kgz/")
    assert response[HEADER] == "miss"


def test_signed_in_users_never_get_a_cached_page(people):
    anonymous = Client()
    anonymous.get("/en/updates/")
    assert anonymous.get("/en/updates/")[HEADER] == "hit"
    partner = Client()
    partner.force_login(people["partner"])
    for _ in range(2):
        response = partner.get("/en/updates/")
        assert response.status_code == 200
        assert HEADER not in response
        assert "/accounts/logout/" in response.content.decode()  # their own page, not the anonymous one
    assert "/accounts/logout/" not in anonymous.get("/en/updates/").content.decode()


def test_pages_outside_the_public_site_are_never_cached(people):
    anonymous = Client()
    for path in ("/en/accounts/login/", "/en/data/", "/healthz"):
        anonymous.get(path)
        assert HEADER not in anonymous.get(path), path


def test_the_api_is_cached_behind_its_rate_limit(settings, people):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client = Client()
    assert client.get("/api/v1/countries/KGZ")[HEADER] == "miss"
    second = client.get("/api/v1/countries/KGZ")
    assert second[HEADER] == "hit" and second["Access-Control-Allow-Origin"] == "*"
    assert client.head("/api/v1/countries/KGZ").content == b""
    assert client.get("/api/v1/countries/KGZ").status_code == 429  # cached answers count too


API_PATHS = ["/api/v1/updates?page_size=5&after=", "/api/v1/countries/KGZ", "/api/v1/countries/KGZ?lang=ru"]
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "X-Frame-Options", "Access-Control-Allow-Origin")


def _headers(response):
    return [(name, value) for name, value in response.items() if name != HEADER]


@pytest.mark.parametrize("extra", [{}, {"HTTP_ACCEPT_LANGUAGE": "ru"}, {"HTTP_COOKIE": "consent=1"}])
@pytest.mark.parametrize("path", API_PATHS + ["detail"])
def test_an_api_hit_is_its_miss_byte_for_byte(people, path, extra):
    """ApiCacheMiddleware is first in MIDDLEWARE: a hit skips the security middleware, so it must carry the very
    headers (in the same order) and body the whole stack gave the miss it was stored from."""
    if path == "detail":
        path = f"/api/v1/updates/{make_update(people, status=Status.PUBLISHED).pk}"
    client = Client()
    miss = client.get(path, **extra)
    hit = client.get(path, **extra)
    assert (miss.status_code, miss[HEADER], hit.status_code, hit[HEADER]) == (200, "miss", 200, "hit")
    assert _headers(hit) == _headers(miss)
    assert list(hit.items())[-1] == (HEADER, "hit")  # where the miss has its own
    assert hit.content == miss.content and hit.cookies.output() == miss.cookies.output() == ""
    for name in SECURITY_HEADERS + ("ETag", "Last-Modified", "Vary", "Content-Type", "Content-Length"):
        assert hit[name], name
    if "HTTP_ACCEPT_LANGUAGE" in extra:
        assert hit["Content-Language"] == "ru"


def test_the_api_key_has_the_headers_answers_vary_on():
    client = Client()
    path = "/api/v1/countries/KGZ"
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    russian = client.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert (english[HEADER], russian[HEADER]) == ("miss", "miss")  # not the English answer's headers
    assert (english["Content-Language"], russian["Content-Language"]) == ("en", "ru")
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="ru")[HEADER] == "hit"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="ru", HTTP_COOKIE="other=1")[HEADER] == "miss"
    assert client.get(path, HTTP_HOST="localhost")[HEADER] == "miss"  # absolute URLs in the body
    assert client.get(path, HTTP_HOST="evil.example").status_code == 400  # DisallowedHost, never cached


def test_an_api_answer_that_varies_on_another_header_is_not_stored(rf):
    from django.http import HttpResponse

    from civicspace.api.middleware import ApiCacheMiddleware

    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse(b"{}", content_type="application/json")
        response["Vary"] = "Accept-Language, Origin"  # not in the key: storing it could answer another Origin
        return response

    middleware = ApiCacheMiddleware(view)
    for _ in range(2):
        assert HEADER not in middleware(rf.get("/api/v1/countries/KGZ", HTTP_HOST="localhost"))
    assert len(calls) == 2


def test_api_refusals_and_304s_carry_the_security_headers(settings):
    """A 429 or 405 is made before the look-up (the limit counts hits) and handed down to ApiChecksMiddleware, so
    the security middleware wraps it; a 304 keeps the stored answer's headers except its body's."""
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client = Client()
    first = client.get("/api/v1/countries/KGZ")
    not_modified = client.get("/api/v1/countries/KGZ", HTTP_IF_NONE_MATCH=first["ETag"])
    refused = client.post("/api/v1/countries/KGZ")  # refused before it is counted
    assert client.get("/api/v1/countries/KGZ")[HEADER] == "hit"
    limited = client.get("/api/v1/countries/KGZ")
    assert (not_modified.status_code, refused.status_code, limited.status_code) == (304, 405, 429)
    for response in (not_modified, refused, limited):
        for name in SECURITY_HEADERS:
            if name != "X-Frame-Options" or response is not_modified:  # refusals: as before, CSP frame-ancestors
                assert response[name] == first[name], (response.status_code, name)
    assert not_modified["ETag"] == first["ETag"] and not_modified["Last-Modified"] == first["Last-Modified"]
    assert "Content-Type" not in not_modified and "Content-Length" not in not_modified
    assert limited.json()["detail"].startswith("Too many requests") and limited["Retry-After"]


def test_an_api_answer_changes_with_a_publication(people):
    update = make_update(people, status=Status.PUBLISHED)
    client = Client()
    client.get(f"/api/v1/updates/{update.pk}")
    assert client.get(f"/api/v1/updates/{update.pk}")[HEADER] == "hit"
    update.title_en = "Corrected in the API (cache test)"
    update.save()
    response = client.get(f"/api/v1/updates/{update.pk}")
    assert response[HEADER] == "miss" and response.json()["title"] == "Corrected in the API (cache test)"


def test_a_page_that_sets_a_cookie_is_not_cached(rf):
    """A response that sets a cookie (a CSRF form for this visitor) is never stored."""
    from django.http import HttpResponse

    from civicspace.pagecache.middleware import PublicPageCacheMiddleware

    def view(request):
        response = HttpResponse("form")
        response.set_cookie("csrftoken", "abc")
        return response

    middleware = PublicPageCacheMiddleware(view)
    middleware(rf.get("/en/form-page/"))
    assert HEADER not in middleware(rf.get("/en/form-page/"))


def test_a_page_with_a_csp_nonce_is_not_cached(rf):
    from django.http import HttpResponse

    from civicspace.pagecache.middleware import PublicPageCacheMiddleware

    def view(request):
        request._csp_nonce = "per-request-nonce"  # what django-csp records once a template uses the nonce
        return HttpResponse("<script nonce=...>")

    middleware = PublicPageCacheMiddleware(view)
    middleware(rf.get("/en/nonce-page/"))
    assert HEADER not in middleware(rf.get("/en/nonce-page/"))


def test_a_rolled_back_change_keeps_the_cache():
    from django.db import transaction

    anonymous = Client()
    anonymous.get("/en/countries/kgz/")
    before = current_generation()
    try:
        with transaction.atomic():
            rating = PublishedRating.objects.filter(country__code="KGZ").first()
            rating.source_url = "https://example.org/rolled-back"
            rating.save()
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert current_generation() == before
    assert anonymous.get("/en/countries/kgz/")[HEADER] == "hit"


def test_dates_of_the_publication_do_not_matter_only_the_generation(people):
    """An edit to a published update's text (no status change) is public too: it invalidates."""
    update = make_update(people, status=Status.PUBLISHED)
    anonymous = Client()
    anonymous.get(f"/en/updates/{update.pk}/")
    update.date = dt.date(2024, 3, 2)
    update.title_en = "Corrected title (cache test)"
    update.save()
    assert "Corrected title (cache test)" in anonymous.get(f"/en/updates/{update.pk}/").content.decode()


# The generation store: no query on a hit, never a stale page in another worker --------------------------------


ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on a free port (never the shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")  # fails the run under CI=true (tests/conftest.py)
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def _database_url():
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return (f"postgres://{params['USER']}{password}@{params.get('HOST') or '127.0.0.1'}:"
            f"{params.get('PORT') or 5432}/{params['NAME']}")


class Worker:
    """Another app worker: its own process and in-process cache, the same database and generation store."""

    def __init__(self, env):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.pagecache_worker"], cwd=ROOT, text=True,
                                        env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def get(self, path):
        self.process.stdin.write(f"GET {path}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self):
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture(params=["file", "redis"])
def shared_store(request, settings, tmp_path):
    """The embedded mode's file store (each worker its own in-process page cache) or production's Redis (pages
    and generation shared)."""
    settings.PAGE_CACHE_GENERATION_STORE = "file" if request.param == "file" else "cache"
    env = {"DATABASE_URL": _database_url(), "PAGECACHE_STORE": settings.PAGE_CACHE_GENERATION_STORE}
    if request.param == "file":
        settings.PAGE_CACHE_GENERATION_DIR = env["PAGECACHE_DIR"] = str(tmp_path / "generation")
    else:
        url = request.getfixturevalue("redis_url")
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
        env["PAGECACHE_REDIS"] = url
    yield request.param, env


def _title(body):
    return json.loads(body)["title"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_serve_a_stale_page_after_a_publication(shared_store):
    kind, env = shared_store
    update = Update.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    path = f"/api/v1/updates/{update.pk}"
    other = Worker(env)
    try:
        here = Client()
        for round_ in range(3):
            title = f"Edition {round_} of the title (stale test)"
            update.title_en = title
            update.save()  # autocommit: bump, commit, publish to the store
            # The other worker renders or finds it, this one too: both with the new title at once.
            first = other.get(path)
            assert first["status"] == 200 and _title(first["body"]) == title, (kind, round_)
            assert other.get(path)["cache"] == "hit"
            mine = here.get(path)
            assert mine.json()["title"] == title and mine["X-Page-Cache"] == ("hit" if kind == "redis" else "miss")
            assert here.get(path)["X-Page-Cache"] == "hit"
        # A publication inside a transaction: invisible until it commits, everywhere at once after.
        with transaction.atomic():
            update.title_en = "Committed at the end (stale test)"
            update.save()
            assert _title(other.get(path)["body"]) == title  # not committed yet: the old page is right
        assert _title(other.get(path)["body"]) == "Committed at the end (stale test)"
        assert here.get(path).json()["title"] == "Committed at the end (stale test)"
        # ... and a rolled-back one changes nothing anywhere.
        with pytest.raises(RuntimeError), transaction.atomic():
            update.title_en = "Rolled back (stale test)"
            update.save()
            raise RuntimeError
        assert other.get(path)["cache"] == "hit"
        assert here.get(path)["X-Page-Cache"] == "hit"
    finally:
        other.stop()


@pytest.mark.django_db(transaction=True)
def test_a_cold_store_is_filled_and_an_old_filler_never_wins(shared_store):
    kind, _env = shared_store
    store = services.generation_store()
    store.put(None)
    old = services.served_generation()  # fills the store from the database
    assert store.get() == old == services.current_generation()
    store.put(None)
    # A filler read `old`, then a publication committed and wrote the new value: the filler's add loses.
    update = Update.objects.filter(status=Status.PUBLISHED).first()
    update.save()
    new = store.get()
    assert new > old
    store.add(old)
    assert services.served_generation() == new == services.current_generation()


@pytest.mark.django_db(transaction=True)
def test_a_late_publisher_never_writes_an_older_value(shared_store):
    """publish_generation writes what is committed when it holds the row's lock, not what its bump wrote: a
    publisher that runs after a newer publication writes the newer value."""
    update = Update.objects.filter(status=Status.PUBLISHED).first()
    update.save()
    earlier = services.generation_store().get()
    update.save()
    newer = services.generation_store().get()
    assert newer > earlier
    services.publish_generation()  # the first publication's callback, late
    assert services.generation_store().get() == newer == services.current_generation()


def test_a_cached_hit_reads_nothing_from_the_database_with_the_file_store(settings, tmp_path,
                                                                            django_assert_num_queries):
    settings.PAGE_CACHE_GENERATION_STORE = "file"
    settings.PAGE_CACHE_GENERATION_DIR = tmp_path
    client = Client()
    assert client.get("/api/v1/countries/KGZ")[HEADER] == "miss"
    with django_assert_num_queries(0):
        assert client.get("/api/v1/countries/KGZ")[HEADER] == "hit"


def test_bumps_never_reuse_a_value_even_after_a_rollback():
    before = services.current_generation()
    try:
        with transaction.atomic():
            services.generation_bump()
            rolled_back = services.current_generation()
            raise RuntimeError
    except RuntimeError:
        pass
    time.sleep(0.002)
    services.generation_bump()
    assert services.current_generation() not in (before, rolled_back)


# Conditional requests ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/updates?page_size=5", "/api/v1/countries/KGZ", "/en/countries/kgz/"])
def test_if_none_match_is_answered_304_until_a_publication(path):
    client = Client()
    first = client.get(path)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and first["Last-Modified"]
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    rating = PublishedRating.objects.filter(country__code="KGZ").first()
    rating.save()  # a publication: a new generation, a new ETag
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_etag_differs_by_language_and_query():
    client = Client()
    etags = {client.get(path)["ETag"] for path in ("/api/v1/countries/KGZ", "/api/v1/countries/KGZ?lang=ru",
                                                    "/api/v1/countries/KAZ", "/ru/countries/kgz/",
                                                    "/en/countries/kgz/")}
    assert len(etags) == 5


def test_if_modified_since_after_the_publication_is_answered_304():
    from django.utils.http import http_date

    client = Client()
    first = client.get("/api/v1/countries/KGZ")
    assert client.get("/api/v1/countries/KGZ", HTTP_IF_MODIFIED_SINCE=http_date(time.time() + 5)).status_code == 304
    # Its own Last-Modified: a publication in the same second must not look unchanged, so 200 (use the ETag).
    assert client.get("/api/v1/countries/KGZ",
                      HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
    assert client.get("/api/v1/countries/KGZ", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_a_304_still_counts_against_the_rate_limit(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client = Client()
    etag = client.get("/api/v1/countries/KGZ")["ETag"]
    assert client.get("/api/v1/countries/KGZ", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/countries/KGZ", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/countries/KGZ", HTTP_IF_NONE_MATCH=etag).status_code == 429


def test_a_failing_store_empties_itself_and_never_fails_the_committed_publication(settings, tmp_path, monkeypatch):
    """The store cannot take the new generation (a full disk, Redis away): the publication has committed, its
    other commit hooks still run, and the store is emptied (the next reader refills it from the database)
    rather than left on the old generation, whose pages would be served as current."""
    settings.PAGE_CACHE_GENERATION_STORE = "file"
    settings.PAGE_CACHE_GENERATION_DIR = tmp_path
    store = services.generation_store()
    services.generation_bump()
    services.publish_generation()
    old = store.get()
    assert old == services.current_generation()
    refuse = type(store).put

    def put(self, value):
        if value is not None:
            raise OSError("No space left on device")
        return refuse(self, value)

    monkeypatch.setattr(type(store), "put", put)
    services.generation_bump()
    # Registered robust: a failure is logged and the other commit hooks (the search index's) still run.
    assert [robust for _sids, func, robust in connection.run_on_commit if func is services._publish_default] \
        == [True]
    services.publish_generation()  # what the hook does on commit
    assert not store.path.exists()  # emptied, not left on `old`
    monkeypatch.setattr(type(store), "put", refuse)
    assert services.served_generation() == services.current_generation() != old  # refilled from the database
