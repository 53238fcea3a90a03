"""Atom and RSS feeds: published updates (all, per country, per violation type), rating changes, law stage
changes and Watchlist editions. Every feed parses cleanly, links to the public pages, filters as asked and
never carries anything confidential or unpublished."""
import datetime as dt
from urllib.parse import urlparse

import feedparser
import pytest
from django.test import Client

from civicspace.countries.models import Country
from civicspace.monitoring.models import Incident, Status, Update
from tests.monitoring_fixtures import (CONFIDENTIAL_NOTE, CONFIDENTIAL_TITLE, PUBLIC_NAME, SENSITIVE_NAME,
                                       make_update, term)

pytestmark = pytest.mark.django_db

DRAFT_MARKER = "CANARY-unpublished-update-41c7"
FEEDS = [
    "/en/updates/feed/", "/en/updates/feed/rss/",
    "/en/updates/feed/country/kgz/", "/en/updates/feed/country/kgz/rss/",
    "/en/updates/feed/type/raid_search/", "/en/updates/feed/type/raid_search/rss/",
    "/en/ratings/changes/feed/", "/en/ratings/changes/feed/rss/", "/en/ratings/changes/feed/country/che/",
    "/en/laws/feed/", "/en/laws/feed/rss/", "/en/laws/feed/?country=kgz",
    "/en/watchlist/feed/", "/en/watchlist/feed/rss/",
]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return response, feed


def path_of(entry):
    return urlparse(entry.link).path


@pytest.fixture
def updates(people):
    """The demo update (KGZ), a published test update with confidential material (KGZ), a published KAZ update
    without a raid, and unpublished and retracted updates that must never appear."""
    published = make_update(people, Status.PUBLISHED)
    kaz = make_update(people, Status.PUBLISHED)
    Update.objects.filter(pk=kaz.pk).update(country=Country.objects.get(code="KAZ"),
                                            title_en="Kazakhstan test update (synthetic)")
    Incident.objects.get(update=kaz).types.set([term("violation", "censorship")])
    draft = make_update(people, Status.DRAFT)
    retracted = make_update(people, Status.RETRACTED)
    for hidden in (draft, retracted):
        Update.objects.filter(pk=hidden.pk).update(title_en=DRAFT_MARKER, summary_en=DRAFT_MARKER)
    return {"demo": Update.objects.get(import_key="kgz-2024-03-05"), "published": published,
            "kaz": Update.objects.get(pk=kaz.pk), "hidden": [draft, retracted]}


@pytest.mark.parametrize("url", FEEDS)
def test_every_feed_parses_and_carries_nothing_confidential(client, updates, url):
    response, feed = parse(client, url)
    assert feed.entries, url
    assert feed.version in ("atom10", "rss20"), url
    assert feed.version == ("rss20" if "/rss/" in url else "atom10")
    body = response.content.decode()
    for marker in (CONFIDENTIAL_TITLE, CONFIDENTIAL_NOTE, SENSITIVE_NAME, PUBLIC_NAME, DRAFT_MARKER):
        assert marker not in body, (marker, url)
    for entry in feed.entries:
        assert entry.title and entry.link.startswith("http://testserver/en/"), url


def test_the_update_feed_lists_published_updates_linking_to_their_pages(client, updates):
    _response, feed = parse(client, "/en/updates/feed/")
    links = [path_of(e) for e in feed.entries]
    # Every published update, newest first, up to the feed's length: the fixture's, the Kyrgyzstan demo update and
    # the intake demo corpus (issue 18).
    from civicspace.publishing.feeds import FEED_LENGTH

    newest = Update.objects.filter(status="published").order_by("-date", "-pk")[:FEED_LENGTH]
    assert set(links) == {f"/en/updates/{u.pk}/" for u in newest}
    assert {f"/en/updates/{u.pk}/" for u in (updates["published"], updates["kaz"])} <= set(links)
    for link in links:
        assert Client().get(link).status_code == 200
    titles = {e.title for e in feed.entries}
    assert "Kazakhstan: Kazakhstan test update (synthetic)" in titles
    _response, kgz = parse(client, "/en/updates/feed/country/kgz/")
    assert f"Kyrgyzstan: {updates['demo'].title_en}" in {e.title for e in kgz.entries}
    demo = next(e for e in kgz.entries if path_of(e) == f"/en/updates/{updates['demo'].pk}/")
    assert demo.summary == updates["demo"].summary_en
    assert demo.author == updates["demo"].organisation.name
    assert {"Raid or search", "Freedom of association"} <= {t.term for t in demo.tags}


def test_the_update_feed_is_in_the_readers_language(client, updates):
    _response, feed = parse(client, "/ru/updates/feed/")
    assert feed.feed.language == "ru"
    demo = next(e for e in feed.entries if path_of(e) == f"/ru/updates/{updates['demo'].pk}/")
    assert demo.title == f"{Country.objects.get(code='KGZ').name_ru}: {updates['demo'].title_ru}"


@pytest.mark.parametrize("url", ["/en/updates/feed/?country=kgz", "/en/updates/feed/country/kgz/",
                                 "/en/updates/feed/country/KGZ/rss/"])
def test_the_country_feed_has_only_that_countrys_updates(client, updates, url):
    _response, feed = parse(client, url)
    assert {path_of(e) for e in feed.entries} == {f"/en/updates/{updates['demo'].pk}/",
                                                 f"/en/updates/{updates['published'].pk}/"}
    assert "Kyrgyzstan" in feed.feed.title
    _response, kaz = parse(client, "/en/updates/feed/country/kaz/")
    assert [path_of(e) for e in kaz.entries] == [f"/en/updates/{updates['kaz'].pk}/"]


def test_the_violation_type_feed_has_only_updates_with_such_an_incident(client, updates):
    expected = set(Update.objects.filter(status="published", incidents__types__code="raid_search")
                   .values_list("pk", flat=True))
    assert updates["published"].pk in expected and updates["kaz"].pk not in expected
    for url in ("/en/updates/feed/type/raid_search/", "/en/updates/feed/?violation=raid_search"):
        _response, feed = parse(client, url)
        assert {path_of(e) for e in feed.entries} == {f"/en/updates/{pk}/" for pk in expected}
        assert feed.feed.title == "Updates: Raid or search"
    censorship = set(Update.objects.filter(status="published", incidents__types__code="censorship")
                     .values_list("pk", flat=True))
    assert updates["kaz"].pk in censorship and updates["published"].pk not in censorship
    _response, feed = parse(client, "/en/updates/feed/type/censorship/")
    assert {path_of(e) for e in feed.entries} == {f"/en/updates/{pk}/" for pk in censorship}


@pytest.mark.parametrize("url", ["/en/updates/feed/country/zzz/", "/en/updates/feed/?country=zzz",
                                 "/en/updates/feed/type/no_such_type/", "/en/updates/feed/type/journalist/",
                                 "/en/ratings/changes/feed/country/zzz/"])
def test_unknown_filters_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_the_rating_change_feed_has_switzerland_narrowed_in_december_2025(client):
    _response, feed = parse(client, "/en/ratings/changes/feed/")
    switzerland = [e for e in feed.entries if e.title.startswith("Switzerland:")]
    assert [e.title for e in switzerland] == ["Switzerland: Open → Narrowed (December 2025)"]
    entry = switzerland[0]
    assert path_of(entry) == "/en/countries/che/"
    assert Client().get(path_of(entry)).status_code == 200
    assert "Downgrade" in entry.summary and "Narrowed (score 78.36)" in entry.summary
    assert "Open (score 82.00)" in entry.summary and "December 2024" in entry.summary
    assert entry.id.endswith("/en/countries/che/#rating-2025-12")
    assert entry.published_parsed[:3] == (2025, 12, 9)
    # One item per country and edition; the newest edition first; every entry is a real change.
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))
    assert feed.entries[0].published_parsed[:3] == (2025, 12, 9)
    for e in feed.entries:
        before, after = e.title.split(": ", 1)[1].rsplit(" (", 1)[0].split(" → ")
        assert before != after


def test_the_rating_change_feed_per_country(client):
    _response, feed = parse(client, "/en/ratings/changes/feed/country/che/")
    assert [e.title for e in feed.entries] == ["Switzerland: Open → Narrowed (December 2025)"]
    _response, rss = parse(client, "/en/ratings/changes/feed/rss/")
    assert "Switzerland: Open → Narrowed (December 2025)" in [e.title for e in rss.entries]
    _response, french = parse(client, "/fr/ratings/changes/feed/country/che/")
    assert path_of(french.entries[0]) == "/fr/countries/che/" and "Suisse" in french.entries[0].title


def test_the_law_feeds_link_to_the_laws(client):
    for url in ("/en/laws/feed/", "/en/laws/feed/rss/"):
        _response, feed = parse(client, url)
        assert "Kyrgyzstan: Draft law on “foreign representatives” — Second reading" in [e.title for e in
                                                                                          feed.entries]
        for entry in feed.entries:
            assert path_of(entry).startswith("/en/laws/")
            assert Client().get(path_of(entry)).status_code == 200


def test_the_watchlist_feeds_link_to_the_editions(client):
    for url in ("/en/watchlist/feed/", "/en/watchlist/feed/rss/"):
        _response, feed = parse(client, url)
        march = [e for e in feed.entries if e.title.startswith("Watchlist of 5 March 2024: ")]
        assert march and "Kyrgyzstan" in march[0].title
        assert path_of(march[0]) == "/en/watchlist/2024-03-05/"
        assert Client().get(path_of(march[0])).status_code == 200


def test_a_retracted_update_leaves_the_feed(client, updates):
    published = updates["published"]
    _response, feed = parse(client, "/en/updates/feed/")
    assert f"/en/updates/{published.pk}/" in {path_of(e) for e in feed.entries}
    Update.objects.filter(pk=published.pk).update(status=Status.RETRACTED, retraction_reason="test")
    _response, feed = parse(client, "/en/updates/feed/")
    assert f"/en/updates/{published.pk}/" not in {path_of(e) for e in feed.entries}


def test_the_feed_dates_fall_back_to_the_update_date(client, updates):
    _response, feed = parse(client, "/en/updates/feed/")
    entry = next(e for e in feed.entries if path_of(e) == f"/en/updates/{updates['published'].pk}/")
    expected = updates["published"].published_at or dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    assert entry.updated_parsed[:3] == expected.timetuple()[:3]
