"""Loading the registry of rated countries and territories from the reference data shipped in the package."""
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_countries import countries as iso_countries

from civicspace.audit.services import audit_event_record
from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.upsert import LoadReport, upsert

from .models import Country, Region

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
NAME_FIELDS = [f"name_{code}" for code in LANGUAGE_CODES]


def _read_regions(path):
    errors, regions = [], []
    for line, row in read_rows(path, ["code", "monitor_name", "position", *NAME_FIELDS]):
        for field in ["code", "monitor_name", *NAME_FIELDS]:
            if not row[field]:
                errors.append(RowError(path.name, line, field, "is empty"))
        if not row["position"].isdigit():
            errors.append(RowError(path.name, line, "position", f"'{row['position']}' is not a whole number"))
            continue
        regions.append(row)
    return regions, errors


def _iso_names(iso2):
    names = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            names[f"name_{code}"] = str(iso_countries.name(iso2))
    return names


NAME_LANGUAGES = [code for code in LANGUAGE_CODES if code != "en"]


def read_name_corrections(path):
    """{(code, lang): name} from country_names.csv: where django-countries' name in a language is wrong (a
    genitive, a catalogue inversion, a misspelling). Each row also names the library value it replaces."""
    errors, names = [], {}
    for line, row in read_rows(path, ["code", "lang", "library", "name", "reason"]):
        key = (row["code"].upper(), row["lang"])
        if row["lang"] not in NAME_LANGUAGES:
            errors.append(RowError(path.name, line, "lang", f"'{row['lang']}' is not one of {NAME_LANGUAGES}"))
        elif not row["name"] or not row["reason"]:
            errors.append(RowError(path.name, line, "name", "name and reason are required"))
        elif key in names:
            errors.append(RowError(path.name, line, "code", f"a second name for {key[0]} in {key[1]}"))
        else:
            names[key] = row["name"]
    return names, errors


def _read_countries(countries_path, overrides_path, region_by_monitor_name, region_codes, names_path=None):
    errors = []
    corrections = {}
    if names_path is not None:
        corrections, errors = read_name_corrections(names_path)
    overrides = {}
    for line, row in read_rows(
        overrides_path, ["monitor_name", "code", "iso3", "iso2", "iso_numeric", "region", *NAME_FIELDS, "reason"]
    ):
        if row["region"] not in region_codes:
            errors.append(RowError(overrides_path.name, line, "region", f"unknown region '{row['region']}'"))
        overrides[row["monitor_name"]] = row

    records, seen_codes = [], {}
    for line, row in read_rows(countries_path, ["country", "iso3", "civicus_region", "region_source_url", "note"]):
        name, iso3 = row["country"], row["iso3"].upper()
        if not name:
            errors.append(RowError(countries_path.name, line, "country", "is empty"))
            continue
        override = overrides.get(name)
        if override:
            record = {
                "code": override["code"],
                "iso3": override["iso3"] or None,
                "iso2": override["iso2"] or None,
                "iso_numeric": override["iso_numeric"] or None,
                "region_code": override["region"],
                **{field: override[field] for field in NAME_FIELDS},
            }
        else:
            iso2 = iso_countries.alpha2(iso3) if iso3 else ""
            if not iso2:
                errors.append(
                    RowError(countries_path.name, line, "iso3", f"'{iso3}' is not an ISO 3166-1 alpha-3 code "
                             "and the country has no entry in country_overrides.csv")
                )
                continue
            region = region_by_monitor_name.get(row["civicus_region"])
            if region is None:
                errors.append(
                    RowError(countries_path.name, line, "civicus_region", f"unknown region '{row['civicus_region']}'")
                )
                continue
            record = {
                "code": iso3,
                "iso3": iso3,
                "iso2": iso2,
                "iso_numeric": iso_countries.numeric(iso2, padded=True),
                "region_code": region,
                **_iso_names(iso2),
                # English follows the monitor's published spelling (django-countries says "Naoero" for Nauru).
                "name_en": name,
            }
            for lang in NAME_LANGUAGES:
                record[f"name_{lang}"] = corrections.get((iso3, lang), record[f"name_{lang}"])
        if record["code"] in seen_codes:
            errors.append(
                RowError(countries_path.name, line, "iso3",
                         f"duplicate country code {record['code']} (first on line {seen_codes[record['code']]})")
            )
            continue
        seen_codes[record["code"]] = line
        record.update(monitor_name=name, region_source_url=row["region_source_url"], note=row["note"])
        records.append(record)
    return records, errors


def countries_load_registry(*, reference_dir=None, actor_label="load_reference_data"):
    """Load regions and the rated countries (names in five languages). All-or-nothing; idempotent."""
    reference_dir = reference_dir or settings.REFERENCE_DATA_DIR
    regions, errors = _read_regions(reference_dir / "regions.csv")
    region_by_monitor_name = {r["monitor_name"]: r["code"] for r in regions}
    records, country_errors = _read_countries(
        reference_dir / "civicus" / "countries.csv",
        reference_dir / "country_overrides.csv",
        region_by_monitor_name,
        {r["code"] for r in regions},
        reference_dir / "country_names.csv",
    )
    errors += country_errors
    if errors:
        raise CsvValidationError(errors)

    region_report, country_report = LoadReport(), LoadReport()
    with transaction.atomic():
        for row in regions:
            values = {"position": int(row["position"]), **{field: row[field] for field in NAME_FIELDS}}
            upsert(Region, {"code": row["code"]}, values, region_report)
        region_ids = dict(Region.objects.values_list("code", "pk"))
        for record in records:
            values = {k: v for k, v in record.items() if k not in ("code", "region_code")}
            values["region_id"] = region_ids[record["region_code"]]
            upsert(Country, {"code": record["code"]}, values, country_report)
        if region_report.changed or country_report.changed:
            audit_event_record(
                action="countries.load_registry",
                actor_label=actor_label,
                data={"regions": str(region_report), "countries": str(country_report)},
            )
    return region_report, country_report
