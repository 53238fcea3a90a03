"""The public page cache (civicspace.pagecache): served from the cache for anonymous visitors, invalidated at
once by a publication, never used for signed-in users; a cached hit costs one query."""
import datetime as dt

import pytest
from django.test import Client

from civicspace.monitoring.models import Status
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


def test_a_cached_hit_costs_one_query(django_assert_num_queries):
    client = Client()
    assert client.get("/en/countries/kgz/")[HEADER] == "miss"
    with django_assert_num_queries(1):  # the publication generation
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
