"""Findable and shareable (issue #26): robots.txt, the sitemap index and its per-language sections, canonical
links, absolute hreflang alternates, Open Graph and Twitter cards with server-drawn PNG images, schema.org
structured data, the icon set and the web app manifest."""
import io
from html import unescape
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from PIL import Image

from civicspace.legislation.selectors import bill_list
from civicspace.methodology.bands import RATING_CODES
from civicspace.monitoring.models import Status
from civicspace.ratings.selectors import editions as ratings
from civicspace.countries.models import Country
from civicspace.ratings.labels import RATING_COLOURS, RATING_NAMES
from civicspace.seo.structured import REQUIRED, missing_properties
from civicspace.watchlist import selectors as watchlist
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
SITE = settings.SITE_URL
LANGS = [code for code, _name in settings.LANGUAGES]


def meta(html, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def json_ld_blocks(html):
    return [json.loads(body) for body in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)]


# --- robots.txt and sitemaps ---------------------------------------------------------------------------------

def test_robots_txt_allows_public_pages_and_keeps_staff_search_and_filters_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for lang in LANGS:
        for area in ("workspace", "admin", "accounts", "search"):
            assert f"Disallow: /{lang}/{area}/" in lines
    assert "Disallow: /*?" in lines  # filter combinations and pages of a list
    assert "Allow: /" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /en/countries/" not in lines


def _sitemap_urls(client):
    """{location: (lastmod, {hreflang: href})} over every section the index lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and "xml" in index["Content-Type"]
    root = ET.fromstring(index.content)
    sections = [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]
    urls = {}
    for location in sections:
        assert location.startswith(f"{SITE}/sitemap-"), location
        response = client.get(location.removeprefix(SITE))
        assert response.status_code == 200, location
        for url in ET.fromstring(response.content).findall("sm:url", NS):
            loc = url.find("sm:loc", NS).text
            lastmod = url.find("sm:lastmod", NS)
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
            urls[loc] = (lastmod.text if lastmod is not None else None, alternates)
    return sections, urls


def test_the_sitemap_index_lists_a_sitemap_per_language_with_every_public_thing(client, people):
    published = make_update(people, Status.PUBLISHED)
    draft = make_update(people, Status.DRAFT)
    sections, urls = _sitemap_urls(client)
    for lang in LANGS:
        assert f"{SITE}/sitemap-{lang}-countries.xml" in sections
        assert f"{SITE}/sitemap-{lang}-updates.xml" in sections

    rated = {r.country.slug for r in ratings.current_ratings()}
    assert len(rated) == 198
    for lang in LANGS:
        for slug in rated:
            assert f"{SITE}/{lang}/countries/{slug}/" in urls
        assert f"{SITE}/{lang}/updates/{published.pk}/" in urls
        assert f"{SITE}/{lang}/" in urls and f"{SITE}/{lang}/methodology/" in urls
        for edition in watchlist.published_editions():
            assert f"{SITE}/{lang}/watchlist/{edition.slug}/" in urls
            assert f"{SITE}/{lang}/watchlist/{edition.slug}/press-release/" in urls
        for edition in ratings.edition_list():
            if edition.is_complete:
                assert f"{SITE}/{lang}/findings/{edition.slug}/" in urls
    assert not any(f"/updates/{draft.pk}/" in loc for loc in urls), "an unpublished update is in a sitemap"
    from civicspace.cases.selectors import published as published_cases

    for case in published_cases():
        assert f"{SITE}/fr/cases/{case.pk}/" in urls
    assert f"{SITE}/ar/cases/" in urls
    laws = [loc for loc in urls if re.search(r"/en/laws/\d+/$", loc)]
    assert laws, "no law in the sitemaps"


def test_sitemap_entries_carry_absolute_alternates_x_default_and_lastmod(client):
    _sections, urls = _sitemap_urls(client)
    lastmod, alternates = urls[f"{SITE}/ru/countries/kgz/"]
    assert alternates == {**{lang: f"{SITE}/{lang}/countries/kgz/" for lang in LANGS},
                          "x-default": f"{SITE}/countries/kgz/"}
    kgz = next(r for r in ratings.current_ratings() if r.country.code == "KGZ")
    assert lastmod.startswith(kgz.edition.published.isoformat())


def test_the_x_default_address_sends_the_reader_to_their_language(client):
    response = client.get("/countries/kgz/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302 and response["Location"] == "/ru/countries/kgz/"


# --- canonical links and hreflang in the page head ---------------------------------------------------------

def test_pages_name_one_canonical_url_and_absolute_alternates(client):
    html = client.get("/fr/countries/kgz/").content.decode()
    assert f'<link rel="canonical" href="{SITE}/fr/countries/kgz/">' in html
    for lang in LANGS:
        assert f'<link rel="alternate" hreflang="{lang}" href="{SITE}/{lang}/countries/kgz/">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{SITE}/countries/kgz/">' in html
    # Filters and pages collapse to the list itself; a parameter that picks another thing is kept.
    filtered = client.get("/en/updates/?country=kgz&page=2").content.decode()
    assert f'<link rel="canonical" href="{SITE}/en/updates/">' in filtered
    edition = client.get("/en/ratings/repressed/?edition=2023-12&region=x").content.decode()
    assert f'<link rel="canonical" href="{SITE}/en/ratings/repressed/?edition=2023-12">' in edition


# --- social cards ------------------------------------------------------------------------------------------

PUBLIC_PAGES = ["/{lang}/", "/{lang}/countries/", "/{lang}/countries/kgz/", "/{lang}/ratings/",
                "/{lang}/ratings/repressed/", "/{lang}/ratings/changes/2023-12/", "/{lang}/methodology/",
                "/{lang}/updates/", "/{lang}/laws/", "/{lang}/watchlist/", "/{lang}/findings/2025-12/",
                "/{lang}/findings/compare/", "/{lang}/data/", "/{lang}/search/"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_has_open_graph_and_twitter_cards(client, lang, people):
    update = make_update(people, Status.PUBLISHED)
    edition = watchlist.published_editions()[0]
    bill_pages = [f"/{lang}/laws/{pk}/" for pk in bill_list().values_list("pk", flat=True)[:1]]
    pages = [p.format(lang=lang) for p in PUBLIC_PAGES] + bill_pages + [
        f"/{lang}/updates/{update.pk}/", f"/{lang}/watchlist/{edition.slug}/",
        f"/{lang}/watchlist/{edition.slug}/press-release/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        title = meta(html, "property", "og:title")
        assert title and title == meta(html, "name", "twitter:title"), url
        assert meta(html, "property", "og:description"), url
        assert meta(html, "property", "og:url").startswith(f"{SITE}/{lang}/"), url
        assert meta(html, "property", "og:image").startswith(f"{SITE}/{lang}/cards/"), url
        assert meta(html, "name", "twitter:card") == "summary_large_image", url
        assert meta(html, "property", "og:locale").startswith(lang), url
        page_title = unescape(re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1))
        assert page_title.startswith(unescape(title)), url


def test_a_country_card_says_its_rating_in_the_readers_language(client):
    with translation.override("ru"):
        name = str(Country.objects.get(code="KGZ").name)
        rating = str(RATING_NAMES[next(r for r in ratings.current_ratings() if r.country.code == "KGZ").rating])
    html = client.get("/ru/countries/kgz/").content.decode()
    assert meta(html, "property", "og:title") == name
    assert meta(html, "property", "og:image") == f"{SITE}/ru/cards/countries/kgz.png"
    assert name in unescape(meta(html, "property", "og:description"))
    assert rating.lower() in unescape(meta(html, "property", "og:description")).lower()
    assert "Civic space" not in meta(html, "property", "og:description")


def _png(response):
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    return image.convert("RGB")


def _has_colour(image, hex_colour, at_least=500):
    wanted = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(1 for pixel in image.getdata() if pixel == wanted) >= at_least


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_country_card_is_a_png_with_its_rating_badge(client, lang):
    kgz = next(r for r in ratings.current_ratings() if r.country.code == "KGZ")
    image = _png(client.get(f"/{lang}/cards/countries/kgz.png"))
    badge = RATING_COLOURS[kgz.rating][0]
    assert _has_colour(image, badge, at_least=3000), "the rating badge is missing"
    # The map: other ratings' colours are there too.
    other = next(code for code in RATING_CODES if code != kgz.rating)
    assert _has_colour(image, RATING_COLOURS[other][0])


def test_cards_of_the_watchlist_the_findings_and_the_site_and_unknown_ones(client):
    edition = watchlist.published_editions()[0]
    _png(client.get(f"/en/cards/watchlist/{edition.slug}.png"))
    findings = _png(client.get("/fr/cards/findings/2025-12.png"))
    for code in RATING_CODES:
        assert _has_colour(findings, RATING_COLOURS[code][0], at_least=300), code
    _png(client.get("/es/cards/site.png"))
    assert client.get("/en/cards/countries/zzz.png").status_code == 404
    assert client.get("/en/cards/findings/2021-03.png").status_code == 404  # not a complete edition
    assert client.get("/en/cards/watchlist/1999-01.png").status_code == 404


def test_a_card_is_drawn_once_per_publication_generation(client, people, django_assert_max_num_queries):
    first = client.get("/en/cards/countries/kgz.png").content
    with django_assert_max_num_queries(1):  # the generation only: the card comes from the cache
        again = client.get("/en/cards/countries/kgz.png").content
    assert again == first
    make_update(people, Status.PUBLISHED)  # a publication starts a new generation
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/en/cards/countries/kgz.png").status_code == 200
    assert len(captured) > 1, "the card was not drawn again after a publication"


# --- structured data ---------------------------------------------------------------------------------------

@pytest.fixture
def releases(tmp_path, people):
    make_update(people, Status.PUBLISHED)
    directory = tmp_path / "releases"
    call_command("export", "--releases", str(directory), stdout=io.StringIO())
    with override_settings(EXPORT_RELEASES_DIR=directory):
        yield directory


def test_the_data_pages_carry_a_valid_dataset(client, releases):
    version = next(releases.iterdir()).name
    for url in ("/en/data/", f"/en/data/{version}/", f"/ar/data/{version}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        datasets = [b for b in json_ld_blocks(response.content.decode()) if b["@type"] == "Dataset"]
        assert len(datasets) == 1, url
        dataset = datasets[0]
        assert missing_properties(dataset) == [], url
        assert dataset["@context"] == "https://schema.org"
        assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert re.fullmatch(r"\d{4}-\d{2}/\d{4}-\d{2}", dataset["temporalCoverage"])
        formats = {d["encodingFormat"] for d in dataset["distribution"]}
        assert {"text/csv", "application/json", "application/zip"} <= formats
        for download in dataset["distribution"]:
            assert download["contentUrl"].startswith(f"{SITE}/")
            path = download["contentUrl"].removeprefix(SITE)
            assert client.get(path).status_code == 200, path
    assert client.get("/en/data/1999.01.01/").status_code == 404


def test_findings_and_press_releases_are_reports_and_articles_with_breadcrumbs(client):
    html = client.get("/es/findings/2025-12/").content.decode()
    blocks = {b["@type"]: b for b in json_ld_blocks(html)}
    assert missing_properties(blocks["Report"]) == [] and blocks["Report"]["inLanguage"] == "es"
    assert missing_properties(blocks["BreadcrumbList"]) == []
    edition = watchlist.published_editions()[0]
    html = client.get(f"/en/watchlist/{edition.slug}/press-release/").content.decode()
    blocks = {b["@type"]: b for b in json_ld_blocks(html)}
    article = blocks["NewsArticle"]
    assert missing_properties(article) == []
    assert {p["name"] for p in article["contentLocation"]} == {e.country.name for e in edition.entries.all()}
    html = client.get("/en/countries/kgz/").content.decode()
    trail = {b["@type"]: b for b in json_ld_blocks(html)}["BreadcrumbList"]["itemListElement"]
    assert [i["name"] for i in trail][-1] == "Kyrgyzstan" and trail[0]["item"] == f"{SITE}/en/countries/"


def test_the_required_properties_follow_schema_org():
    """The checklist itself: schema.org names, and the properties dataset search needs."""
    assert {"name", "description", "distribution", "license"} <= set(REQUIRED["Dataset"])
    assert missing_properties({"@type": "Dataset", "name": "x"})  # an incomplete block is caught


def test_structured_data_cannot_close_its_script_element():
    from civicspace.seo.templatetags.seo import json_ld

    assert "</script>" not in json_ld({"name": "</script><script>alert(1)</script>"})


# --- icons and manifest ------------------------------------------------------------------------------------

def test_the_icon_set_and_a_manifest_in_each_language(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert Image.open(io.BytesIO(b"".join(icon.streaming_content))).format == "ICO"
    html = client.get("/ar/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html and 'rel="apple-touch-icon"' in html
    manifest_url = re.search(r'<link rel="manifest" href="([^"]+)"', html).group(1)
    assert manifest_url == "/ar/manifest.webmanifest"
    manifest = json.loads(client.get(manifest_url).content)
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl" and manifest["start_url"] == "/ar/"
    assert json.loads(client.get("/en/manifest.webmanifest").content)["dir"] == "ltr"
    for entry in manifest["icons"]:  # static files (served by whitenoise once collected)
        assert finders.find(entry["src"].removeprefix(settings.STATIC_URL)), entry["src"]
