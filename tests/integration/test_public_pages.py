"""Public pages: content from the real reference data, five languages, RTL, and pinned query counts."""
import re

import pytest
from django.conf import settings

from civicspace.countries.models import Country

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES]


def text(response):
    """The page's visible text, tags stripped and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_root_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302 and response["Location"] == "/ru/"


def test_home_shows_the_legend_with_counts_of_the_current_edition(client):
    response = client.get("/en/")
    assert response.status_code == 200
    page = text(response)
    assert "December 2025 edition" in page
    # The December 2025 counts, as published: 39 open, 37 narrowed, 39 obstructed, 50 repressed, 33 closed.
    for name, count in [("Open", 39), ("Narrowed", 37), ("Obstructed", 39), ("Repressed", 50), ("Closed", 33)]:
        assert re.search(rf"{name} {count} \d+–\d+", page), name


def test_the_map_has_one_link_per_rated_country_coloured_by_current_rating(client):
    html = client.get("/en/").content.decode()
    linked = re.findall(r'<a href="/en/countries/([a-z]{3})/" aria-label="[^"]+" data-code="([A-Z]{3})">'
                        r'<(?:path|circle) class="r-(\w+)"', html)
    assert all(slug == code.lower() for slug, code, _ in linked)
    codes = {code for _, code, _ in linked}
    assert codes == set(Country.objects.values_list("code", flat=True))
    ratings = {code: rating for _, code, rating in linked}
    assert ratings["KGZ"] == "repressed"
    assert ratings["SOL"] == "repressed"  # Somaliland: its own shape, no ISO code
    assert ratings["XKX"] == "narrowed"  # Kosovo
    assert ratings["AND"] == "open"  # a marker: too small for the 110m shapes
    assert "r-none" not in "".join(r for r in ratings.values())
    assert 'aria-label="Kyrgyzstan: Repressed"' in html


def test_home_lists_rating_changes_of_the_current_edition(client):
    page = text(client.get("/en/"))
    assert "Rating changes in December 2025 (since December 2024)" in page
    assert "Switzerland : downgraded Open → to Narrowed" in page
    assert "Senegal : upgraded Repressed → to Obstructed" in page


def test_country_page_of_kyrgyzstan(client):
    response = client.get("/en/countries/kgz/")
    assert response.status_code == 200
    page = text(response)
    assert "Kyrgyzstan" in page
    assert "Repressed" in page and "32.19 / 100" in page
    assert "December 2025" in page
    assert "Downgraded Obstructed → to Repressed between the December 2020 and December 2023 editions" in page
    # History table: every edition that rates Kyrgyzstan, newest first, scores where published.
    assert re.search(r"December 2025 Repressed 32.19 source December 2024 Repressed 36.00 source "
                     r"December 2023 Repressed 39.67 source December 2020 Obstructed not published source", page)
    assert "Europe and Central Asia" in page
    html = response.content.decode()
    assert "https://github.com/andrewheiss/cautioning-canary/" in html  # the 2020 source link
    assert '<svg viewBox="0 0 640 240" role="img"' in html  # the history chart


def test_country_urls_are_lower_case_codes(client):
    assert client.get("/en/countries/KGZ/").status_code == 404
    assert client.get("/en/countries/sol/").status_code == 200
    assert client.get("/en/countries/xyz/").status_code == 404


def test_country_list_groups_and_filters(client):
    page = text(client.get("/en/countries/"))
    assert "198 countries and territories listed" in page
    page = text(client.get("/en/countries/?rating=closed&region=europe-central-asia"))
    assert "Belarus" in page and "Russia" in page and "Azerbaijan" in page
    assert "Kyrgyzstan" not in page and "France" not in page
    # The per-rating counts follow the region filter.
    europe = text(client.get("/en/countries/?region=europe-central-asia"))
    assert "Kyrgyzstan" in europe and "Kenya" not in europe


def test_country_list_rejects_an_unknown_filter_value_with_a_message_naming_the_field(client):
    response = client.get("/en/countries/?region=atlantis")
    assert response.status_code == 200
    assert "Region: Select a valid choice. atlantis is not one of the available choices." in text(response)
    assert "198 countries and territories listed" in text(response)  # the filter is ignored, not half-applied


def test_rating_page_counts_for_the_december_2023_edition(client):
    page = text(client.get("/en/ratings/repressed/?edition=2023-12"))
    assert "50 countries and territories are rated repressed in the December 2023 edition." in page
    assert "Kyrgyzstan" in page


def test_rating_page_defaults_to_the_current_edition_and_offers_the_others(client):
    response = client.get("/en/ratings/closed/")
    page = text(response)
    assert "33 countries and territories are rated closed in the December 2025 edition." in page
    html = response.content.decode()
    for slug in ["2020-12", "2021-12", "2023-03", "2023-12", "2024-12", "2025-12"]:
        assert f'value="{slug}"' in html
    partial = text(client.get("/en/ratings/closed/?edition=2023-03"))
    assert "This is a partial edition" in partial


def test_rating_page_unknown_rating_or_edition_is_404(client):
    assert client.get("/en/ratings/suppressed/").status_code == 404
    assert client.get("/en/ratings/closed/?edition=1999-01").status_code == 404


def test_ratings_index_has_descriptions_and_the_counts_table(client):
    page = text(client.get("/en/ratings/"))
    assert "score 81–100" in page and "score 1–20" in page
    assert re.search(r"December 2023 36 43 40 50 28 197", page)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["", "countries/", "countries/kgz/", "ratings/", "ratings/repressed/",
                                  "methodology/", "ratings/changes/2023-12/"])
def test_every_page_in_every_language(client, lang, path):
    response = client.get(f"/{lang}/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    # The language switcher keeps the page.
    for other in LANGUAGES:
        assert f'href="/{other}/{path}"' in html


@pytest.mark.parametrize(
    "lang, words",
    [
        ("ru", ["Киргизия", "Страны", "Европа и Центральная Азия"]),
        ("fr", ["Kirghizistan", "Pays", "Europe et Asie centrale"]),
        ("es", ["Kirguistán", "Países", "Europa y Asia Central"]),
        ("ar", ["قرغيزستان", "أوروبا وآسيا الوسطى"]),
    ],
)
def test_country_page_is_translated(client, lang, words):
    page = text(client.get(f"/{lang}/countries/kgz/"))
    for word in words:
        assert word in page
    assert "Rating history" not in page  # the English heading must not leak through


def test_the_switcher_keeps_the_query_string(client):
    html = client.get("/en/ratings/repressed/?edition=2023-12").content.decode()
    assert 'href="/ar/ratings/repressed/?edition=2023-12"' in html


def test_not_found_page_is_in_the_requested_language(client):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ru" dir="ltr">' in html and "Страница не найдена" in html
    arabic = client.get("/ar/countries/zzz/").content.decode()
    assert 'dir="rtl"' in arabic


# Pinned query counts: a change here means a page does more (or less) database work than before.
@pytest.mark.parametrize(
    "path, queries",
    [
        ("/en/", 4),
        ("/en/countries/", 2),
        ("/en/countries/?rating=closed&region=africa", 2),
        ("/en/countries/kgz/", 12),  # +3: the cases section (cases, their verified events, charges); +1 corrections (issue 21)
        ("/en/methodology/", 0),
        ("/en/ratings/changes/2023-12/", 5),
        ("/en/ratings/", 2),
        ("/en/ratings/repressed/", 2),
        ("/ar/ratings/repressed/?edition=2020-12", 2),
        ("/en/updates/", 8),
        ("/ru/updates/?country=kgz&violation=raid_search&date_from=2024-01-01", 10),
        ("/en/updates/{demo}/", 10),  # +1: its published corrections and replies (issue 21)
        ("/en/laws/", 6),
        ("/en/laws/?country=kgz&category=foreign_agent", 7),
        ("/en/laws/{bill}/", 7),  # +1: its published corrections and replies (issue 21)
        ("/en/watchlist/", 5),
        # With published incidents in its reporting year (the demo corpus, issue 18): + the incidents' types and
        # freedoms (prefetched once each) and the victim groups; not per incident. +2: people deprived of liberty
        # at the end of the reporting year (issue 20: published cases, their verified events).
        ("/en/findings/2025-12/", 17),
        ("/ru/watchlist/2024-03-05/", 2),
        ("/en/watchlist/2024-03-05/press-release/", 2),
    ],
)
def test_query_counts_are_pinned(client, django_assert_num_queries, path, queries):
    from civicspace.monitoring.models import Update

    from civicspace.legislation.models import Bill

    path = path.format(demo=Update.objects.get(import_key="kgz-2024-03-05").pk,
                       bill=Bill.objects.get(import_key="kgz-foreign-representatives-bill").pk)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["", "countries/kgz/"])
def test_svg_coordinates_are_not_localised(client, lang, path):
    """French, Russian and Spanish write decimals with a comma; SVG coordinates must keep the point."""
    html = client.get(f"/{lang}/{path}").content.decode()
    coordinates = re.findall(r' (?:cx|cy|x|y|width|height)="([^"]*)"', html)
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), set(coordinates)
