"""Findings of a rating edition: counts, population shares, changes, comparisons, charts, every language."""
import html
import re
from collections import namedtuple

import pytest

from civicspace.findings import charts
from civicspace.findings.selectors import breakdown, compare, population_year_for, reporting_window
from civicspace.ratings.models import RatingEdition

pytestmark = pytest.mark.django_db
Row = namedtuple("Row", "country_id rating")


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_counts_and_shares_on_a_small_hand_computed_fixture():
    # Synthetic: four countries; country 4 has no population figure.
    rows = [Row(1, "closed"), Row(2, "repressed"), Row(3, "open"), Row(4, "closed")]
    population = {1: 600, 2: 300, 3: 100}
    world = breakdown(rows, population)
    assert world.counts == {"open": 1, "narrowed": 0, "obstructed": 0, "repressed": 1, "closed": 2}
    assert world.total_people == 1000
    assert world.share(("closed", "repressed")) == pytest.approx(0.9)
    groups = {g["key"]: g for g in world.groups}
    assert groups["closed_repressed"]["count"] == 3 and groups["open_narrowed"]["share"] == pytest.approx(0.1)


def test_population_year_and_reporting_window():
    december_2025 = RatingEdition.objects.get(slug="2025-12")
    assert population_year_for(december_2025, [2020, 2021, 2022, 2023, 2024]) == 2024
    assert population_year_for(RatingEdition.objects.get(slug="2020-12"), [2020, 2024]) == 2020
    assert [d.isoformat() for d in reporting_window(december_2025)] == ["2024-11-01", "2025-10-31"]


def test_the_december_2025_findings_page(client):
    assert client.get("/en/findings/")["Location"] == "/en/findings/2025-12/"
    page = text(client.get("/en/findings/2025-12/"))
    for name, count in [("Open", 39), ("Narrowed", 37), ("Obstructed", 39), ("Repressed", 50), ("Closed", 33)]:
        assert f"{name} {count}" in page
    assert "72.9% of the population of rated countries lives in countries rated closed or repressed (83 countries)" \
        in page
    assert "Population figures of 2024" in page and "No figure for: Somaliland." in page
    assert "Changes since December 2024" in page
    assert "Switzerland : downgraded Open → to Narrowed" in page
    assert "Senegal : upgraded Repressed → to Obstructed" in page


def test_every_number_links_to_what_it_counts(client):
    body = client.get("/en/findings/2025-12/").content.decode()
    assert 'href="/en/ratings/closed/?edition=2025-12"' in body
    demo = client.get("/en/findings/2024-12/").content.decode()
    assert 'href="/en/updates/?violation=raid_search&amp;date_from=2023-11-01&amp;date_to=2024-10-31"' in demo
    assert 'href="/en/updates/?victim=journalist&amp;date_from=2023-11-01&amp;date_to=2024-10-31"' in demo


def test_top_violations_in_the_reporting_window_come_from_published_incidents(client):
    """Counted here from the published records themselves (the demo content: the Kyrgyzstan update and the
    intake corpus of issue 18)."""
    import datetime as dt

    from civicspace.monitoring.models import Incident, Update

    start, end = dt.date(2023, 11, 1), dt.date(2024, 10, 31)
    updates = Update.objects.filter(status="published", date__range=(start, end))
    n = updates.count()
    assert n >= 2
    page = text(client.get("/en/findings/2024-12/"))
    assert f"From {n} published updates between 1 November 2023 and 31 October 2024." in page
    raids = Incident.objects.filter(update__status="published", date__range=(start, end),
                                    types__code="raid_search").count()
    assert raids >= 2 and f"Raid or search {raids}" in page
    with_journalists = updates.filter(incidents__victims__type__code="journalist").distinct().count()
    assert f"Journalist : {100 * with_journalists / n:.1f}% of updates ({with_journalists})" in page
    # The next reporting year has real incidents too now.
    later = text(client.get("/en/findings/2025-12/"))
    assert "No published incident in this reporting year yet." not in later
    assert Incident.objects.filter(update__status="published", date__range=(dt.date(2024, 11, 1),
                                                                            dt.date(2025, 10, 31))).exists()


def test_comparing_december_2020_with_december_2025():
    result = compare(RatingEdition.objects.get(slug="2020-12"), RatingEdition.objects.get(slug="2025-12"))
    closed_repressed = result["groups"][0]
    assert (closed_repressed["before"], closed_repressed["after"]) == (67, 83)
    kgz = [c for c in result["changes"] if c.country.code == "KGZ"]
    assert kgz and (kgz[0].before, kgz[0].after, kgz[0].direction) == ("obstructed", "repressed", -1)


def test_compare_page(client):
    page = text(client.get("/en/findings/compare/?from=2020-12&to=2025-12"))
    assert "83 countries closed or repressed, against 67 in December 2020" in page


def test_stacked_chart_geometry_and_svg():
    chart = charts.stacked_rows([("A", {"open": 1, "closed": 3}), ("B", {"narrowed": 2})], label_width=100)
    first = chart["bars"][0]["segments"]
    assert sum(s["width"] for s in first) == pytest.approx(640 - 100 - 10, abs=0.5)
    closed = next(s for s in first if s["code"] == "closed")
    assert closed["width"] == pytest.approx(3 * next(s for s in first if s["code"] == "open")["width"], abs=0.2)
    assert [s["code"] for s in first] == ["open", "narrowed", "obstructed", "repressed", "closed"]


def test_findings_svg_has_titles_and_a_rect_per_rating(client):
    body = client.get("/fr/findings/2025-12/").content.decode()
    history = body[body.index('aria-labelledby="history-chart-title'):]  # "... history-chart-desc" since the a11y work
    history = history[:history.index("</svg>")]
    assert '<title id="history-chart-title">' in history
    assert history.count('<rect class="r-') == 4 * 5  # four complete editions x five ratings
    assert not re.search(r' (x|y|width)="\d+,\d', history)  # coordinates never take the French decimal comma


@pytest.mark.parametrize("lang", ["en", "ru", "fr", "es", "ar"])
def test_findings_pages_in_every_language(client, lang):
    for path in ["findings/2025-12/", "findings/2020-12/", "findings/compare/"]:
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in response.content.decode()


def test_partial_editions_have_no_findings(client):
    assert client.get("/en/findings/2021-12/").status_code == 404


def test_the_report_is_linked_and_served_once_printed(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert client.get("/en/findings/2025-12/report.pdf").status_code == 404
    assert "report.pdf" not in client.get("/en/findings/2025-12/").content.decode()
    from civicspace.findings.report import report_path

    path = report_path("2025-12", "en")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 test")
    assert 'href="/en/findings/2025-12/report.pdf"' in client.get("/en/findings/2025-12/").content.decode()
    response = client.get("/en/findings/2025-12/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get("/ar/findings/2025-12/report.pdf").status_code == 404  # printed in English only
