"""Country names in ru, fr, es and ar: django-countries' names with the corrections of country_names.csv."""
from django.conf import settings
from django.utils import translation
from django_countries import countries as iso_countries

from civicspace.core.csvfiles import read_rows
from civicspace.countries import services

REF = settings.REFERENCE_DATA_DIR

# Wrong names the review found in the library (issue 24): none may reach the registry.
KNOWN_BAD = {
    "ru": ["Либерии", "Мьянмы", "Сан - Марино", "Конго (Демократическая Республика)"],
    "fr": ["Guyane", "Trinidad et Tobago", "Îles Marshal", "Eswatini (République d')", "Guatémala", "Bélize"],
    "es": ["República de África Central", "Trinidad yTobago", "Suazilandia", "Principado de Andorra",
           "República de Chipre", "República de Yibuti", "República del Chad"],
    "ar": ["روسيا البيضاء", "جمهورية الدومينيك", "جمهورية افريقيا الوسطى", "أسبانيا", "اثيوبيا", "اندونيسيا",
           "الاكوادور", "استونيا", "جنوب افريقيا (الجمهورية)", "السعودية (المملكة العربية)"],
}


def _records():
    regions, errors = services._read_regions(REF / "regions.csv")
    records, more = services._read_countries(
        REF / "civicus" / "countries.csv", REF / "country_overrides.csv",
        {r["monitor_name"]: r["code"] for r in regions}, {r["code"] for r in regions}, REF / "country_names.csv")
    assert not errors and not more, errors + more
    return {r["code"]: r for r in records}


def test_every_correction_replaces_what_the_library_still_says():
    """No no-op rows: each row's name differs from the library's, and the library still says what the row
    replaces (a library upgrade that fixes or changes a name shows up here)."""
    codes = _records().keys()
    for line, row in read_rows(REF / "country_names.csv", ["code", "lang", "library", "name", "reason"]):
        assert row["code"] in codes, f"line {line}: {row['code']} is not a rated country"
        with translation.override(row["lang"]):
            library = str(iso_countries.name(iso_countries.alpha2(row["code"])))
        assert library == row["library"], f"line {line}: the library now says {library!r}"
        assert row["name"] != library, f"line {line}: {row['code']}/{row['lang']} changes nothing"


def test_the_registry_uses_the_corrections_and_no_known_bad_name():
    records = _records()
    names = {lang: {r[f"name_{lang}"] for r in records.values()} for lang in KNOWN_BAD}
    for lang, bad in KNOWN_BAD.items():
        assert not names[lang] & set(bad), (lang, names[lang] & set(bad))
    assert records["LBR"]["name_ru"] == "Либерия"
    assert records["GUY"]["name_fr"] == "Guyana"
    assert records["TTO"]["name_es"] == "Trinidad y Tobago"
    assert records["BLR"]["name_ar"] == "بيلاروس"
    assert records["KGZ"]["name_en"] == "Kyrgyzstan"  # English stays the monitor's spelling


def test_names_are_unique_and_clean_in_every_language():
    records = _records().values()
    for lang in ["en", "ru", "fr", "es", "ar"]:
        values = [r[f"name_{lang}"] for r in records]
        assert len(set(values)) == len(values), [v for v in values if values.count(v) > 1]
        for value in values:
            assert value == value.strip() and "  " not in value and " - " not in value, value
            assert "(" not in value, f"{lang}: {value!r} is a catalogue form, not a name"
