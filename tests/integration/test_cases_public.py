"""Public cases: the list with its filters and headline counts, a case page with its timeline, the country page's
section, the API and the feeds; status and days from the pure rules; query counts pinned."""
import datetime as dt

import feedparser
import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from civicspace.cases import selectors
from civicspace.cases.models import Case

pytestmark = pytest.mark.django_db


def director():
    return Case.objects.get(import_key="temirov-live-director")


def test_kgz_list_shows_the_temirov_live_case_with_events_and_sources(client):
    response = client.get("/en/cases/?country=kgz")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Temirov Live" in html and "Kloop Media" in html and "24.KG" in html
    assert "Makhabat Tazhibek kyzy" in html  # named with a recorded reason (public figure)
    assert "A journalist of Temirov Live" in html  # the others are described, not named
    assert "journalists and human rights defenders detained in Kyrgyzstan today" in html
    page = client.get(director().get_absolute_url()).content.decode()
    assert "Pre-trial detention ordered" in page and "Six years in prison" in page
    assert "https://cpj.org/2024/10/cpj-condemns-convictions-of-4-temirov-live-journalists-in-kyrgyzstan" in page
    assert "Sent for retrial" in page


def test_status_and_days_come_from_the_rules():
    today = dt.date(2026, 12, 6)
    cases = {c.import_key: c for c in selectors.public_cases(today=today)}
    head = cases["temirov-live-director"]
    assert head.rule.status == "detained" and head.rule.since == dt.date(2026, 3, 10)
    assert head.rule.days_deprived == (today - dt.date(2024, 1, 16)).days + 1
    assert cases["temirov-live-presenter"].rule.status == "serving"
    assert cases["temirov-live-acquitted-6"].rule.status == "closed"
    assert cases["temirov-live-acquitted-6"].rule.days_deprived == (dt.date(2024, 3, 12) - dt.date(2024, 1, 16)).days
    assert cases["temirov-live-probation-1"].rule.status == "released"
    assert cases["kloop-media"].rule.status == "liquidated"
    counts = selectors.headline_counts([c for c in cases.values() if c.country.code == "KGZ"])
    assert counts["behind_bars"] == 2 and counts["defenders_behind_bars"] == 2


def test_filters(client):
    assert "Kloop Media" not in client.get("/en/cases/?country=kgz&subject_type=person").content.decode()
    closed = client.get("/en/cases/?country=kgz&status=closed").content.decode()
    assert "Makhabat" not in closed and "A journalist of Temirov Live" in closed
    by_charge = client.get("/en/cases/?charge=278").content.decode()
    assert "Kloop Media" not in by_charge and "Temirov Live" in by_charge
    assert client.get("/en/cases/?country=zzz").status_code == 200  # an invalid filter shows the form's error


def test_country_page_section_and_api_counts(client):
    page = client.get("/en/countries/kgz/").content.decode()
    assert "Cases: people and organisations targeted" in page and "detained in Kyrgyzstan today" in page
    data = client.get("/api/v1/cases?country=KGZ").json()
    assert data["counts"]["behind_bars"] == 2 and data["counts"]["defenders_behind_bars"] == 2
    first = next(r for r in data["results"] if r["name"] == "Makhabat Tazhibek kyzy")
    detail = client.get(f"/api/v1/cases/{first['id']}").json()
    assert [e["kind"] for e in detail["timeline"]][:2] == ["arrest", "pretrial_detention"]
    assert detail["timeline"][0]["source"]["url"].startswith("https://cpj.org/")
    assert client.get("/api/v1/cases?status=nope").status_code == 400
    assert client.get("/api/v1/cases/999999").status_code == 404


def test_findings_count_people_deprived_of_liberty_at_the_end_of_the_reporting_year(client):
    day = dt.date(2025, 10, 31)
    rows = selectors.deprived_on(day)
    assert [(c.code, v.code, n) for c, v, n in rows] == [("KGZ", "journalist", 2)]  # the two serving sentences
    assert selectors.deprived_on(dt.date(2024, 2, 1))[0][2] == 11  # all eleven in pre-trial detention
    page = client.get("/en/findings/2025-12/").content.decode()
    assert "People deprived of liberty at the end of the reporting year" in page


def test_search_finds_cases_by_their_public_text(client):
    page = client.get("/en/search/?q=Kloop&kind=case").content.decode()
    assert "<mark>Kloop</mark> Media" in page and 'href="/en/cases/' in page
    page = client.get("/en/search/?q=Tazhibek&kind=case").content.decode()
    assert "Makhabat <mark>Tazhibek</mark> kyzy" in page  # the published name is searchable; unnamed people are not


def test_feeds(client):
    country = feedparser.parse(client.get("/en/cases/feed/country/kgz/").content)
    assert country.entries and all("Kyrgyzstan" in e.title for e in country.entries)
    one = feedparser.parse(client.get(f"/en/cases/{director().pk}/feed/").content)
    assert any("Sent for retrial" in e.title or "Appeal" in e.title for e in one.entries)


@pytest.mark.parametrize("lang", ["en", "ru", "fr", "es", "ar"])
def test_pages_in_every_language(client, lang):
    response = client.get(f"/{lang}/cases/?country=kgz")
    assert response.status_code == 200
    if lang == "ar":
        assert 'dir="rtl"' in response.content.decode()
    assert client.get(f"/{lang}{director().get_absolute_url()[3:]}").status_code == 200


def test_query_counts_are_pinned(client, django_assert_max_num_queries):
    client.get("/en/cases/")  # warm caches of reference data
    url = director().get_absolute_url()
    with CaptureQueriesContext(connection) as listed:
        client.get("/en/cases/?country=kgz")
    with CaptureQueriesContext(connection) as detail:
        client.get(url)
    # list: the country filter, cases, events, charges, plus the form's choices; detail: case, events, charges,
    # sources, updates, incidents and their updates, its published corrections and replies (issue 21). Neither
    # grows with the number of cases or events.
    assert len(listed) == 7, [q["sql"] for q in listed]
    assert len(detail) == 8, [q["sql"] for q in detail]
    with CaptureQueriesContext(connection) as api:
        client.get("/api/v1/cases?country=KGZ")
    assert len(api) == 4, [q["sql"] for q in api]
    with CaptureQueriesContext(connection) as feed:
        client.get("/en/cases/feed/country/kgz/")
    assert len(feed) == 2, [q["sql"] for q in feed]
