"""The registry and the published ratings, as loaded from the reference data shipped in the package."""
import csv
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from civicspace.audit.models import AuditEvent
from civicspace.countries.models import Country, Region
from civicspace.ratings.models import PublishedRating, RatingEdition

pytestmark = pytest.mark.django_db

SHARED_COUNTRIES = settings.REFERENCE_DATA_DIR / "civicus" / "countries.csv"


def test_all_198_rated_countries_and_territories_are_loaded():
    with SHARED_COUNTRIES.open() as handle:
        expected = {row["country"] for row in csv.DictReader(handle)}
    assert len(expected) == 198
    assert set(Country.objects.values_list("monitor_name", flat=True)) == expected


def test_every_country_has_a_name_in_all_five_languages():
    for country in Country.objects.all():
        for code, _ in settings.LANGUAGES:
            assert getattr(country, f"name_{code}"), f"{country.code} has no {code} name"
    # Spot checks against a maintained library's names and our hand-filled gaps.
    kgz = Country.objects.get(code="KGZ")
    assert (kgz.name_ru, kgz.name_fr, kgz.name_es) == ("Киргизия", "Kirghizistan", "Kirguistán")
    assert kgz.name_ar == "قرغيزستان"


def test_iso_codes():
    kgz = Country.objects.get(code="KGZ")
    assert (kgz.iso3, kgz.iso2, kgz.iso_numeric) == ("KGZ", "KG", "417")
    kosovo = Country.objects.get(code="XKX")
    assert (kosovo.iso3, kosovo.iso2, kosovo.iso_numeric) == ("XKX", "XK", None)


def test_somaliland_has_no_iso_code_but_a_stable_code_names_and_a_region():
    somaliland = Country.objects.get(monitor_name="Somaliland")
    assert somaliland.code == "SOL"
    assert somaliland.iso3 is None and somaliland.iso2 is None and somaliland.iso_numeric is None
    assert somaliland.region.code == "africa"
    assert (somaliland.name_ru, somaliland.name_es, somaliland.name_ar) == ("Сомалиленд", "Somalilandia", "أرض الصومال")


def test_english_names_follow_the_monitors_spelling():
    # django-countries' English name for Nauru is "Naoero"; the monitor (and everyone else) says Nauru.
    assert Country.objects.get(code="NRU").name_en == "Nauru"
    assert Country.objects.get(code="PSE").name_en == "Occupied Palestinian Territories"


def test_regions_and_their_sizes():
    counts = {r.code: r.countries.count() for r in Region.objects.all()}
    assert sum(counts.values()) == 198
    assert set(counts) == {"africa", "americas", "asia-pacific", "europe-central-asia", "mena"}
    assert Region.objects.get(code="mena").name_ar == "الشرق الأوسط وشمال أفريقيا"


EXPECTED_COUNTS = {
    # edition slug: (open, narrowed, obstructed, repressed, closed), read from the reference CSV by hand
    "2020-12": (42, 40, 47, 44, 23),
    "2021-12": (34, 41, 28, 21, 12),
    "2023-03": (2, 4, 4, 3, 5),
    "2023-12": (36, 43, 40, 50, 28),
    "2024-12": (40, 42, 35, 51, 30),
    "2025-12": (39, 37, 39, 50, 33),
}


@pytest.mark.parametrize("slug, counts", EXPECTED_COUNTS.items())
def test_counts_per_rating_per_edition(slug, counts):
    edition = RatingEdition.objects.get(slug=slug)
    got = tuple(
        PublishedRating.objects.filter(edition=edition, rating=code).count()
        for code in ("open", "narrowed", "obstructed", "repressed", "closed")
    )
    assert got == counts


def test_editions_coverage_and_dates():
    editions = {e.slug: e for e in RatingEdition.objects.all()}
    assert {s: e.coverage for s, e in editions.items()} == {
        "2020-12": "complete", "2021-12": "partial", "2023-03": "partial",
        "2023-12": "complete", "2024-12": "complete", "2025-12": "complete",
    }
    assert editions["2020-12"].published_precision == "month"
    assert str(editions["2025-12"].published) == "2025-12-09"


def test_every_published_rating_has_a_source_url():
    assert not PublishedRating.objects.filter(source_url="").exists()


def test_loading_the_reference_data_twice_changes_nothing():
    def snapshot():
        return (
            list(Country.objects.order_by("code").values()),
            list(PublishedRating.objects.order_by("edition_id", "country_id").values()),
            list(RatingEdition.objects.order_by("slug").values()),
        )

    before = snapshot()
    events_before = AuditEvent.objects.count()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert snapshot() == before
    assert "0 created, 0 updated, 943 unchanged" in out.getvalue()
    assert AuditEvent.objects.count() == events_before  # nothing changed, nothing to audit


def test_a_changed_name_is_updated_and_audited():
    Country.objects.filter(code="KGZ").update(name_ru="Кыргызстан")
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert Country.objects.get(code="KGZ").name_ru == "Киргизия"
    assert "0 created, 1 updated, 197 unchanged" in out.getvalue()
    assert AuditEvent.objects.filter(action="countries.load_registry").exists()
