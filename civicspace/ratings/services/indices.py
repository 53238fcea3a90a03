"""Loading the external indices (Freedom House, RSF, V-Dem, Political Terror Scale) from the copies in
data/reference/indices, by the rules of the active methodology version: which file and column, which year is
the edition and which the events, and from when each value was public. All rows are validated first; then
everything is written in one transaction, or nothing. Idempotent."""
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.upsert import LoadReport
from civicspace.countries.models import Country
from civicspace.methodology import config as methodology_config

from ..models import IndexValue


def _float(text):
    return float(text) if text not in ("", None) else None


def _read(rule, path, countries, errors):
    """{(country_id, year): fields} for one index rule; rows of entities the monitor does not rate are skipped."""
    values, name = {}, path.name
    required = ["iso3", "year", *rule.columns] + (["edition_year", "events_year"] if "fiw" in name else [])
    for line, row in read_rows(path, required):
        country_id = countries.get(row["iso3"])
        if not country_id:
            continue
        try:
            year = int(row["year"])
        except ValueError:
            errors.append(RowError(name, line, "year", f"'{row['year']}' is not a year"))
            continue
        try:
            parts = [_float(row[c]) for c in rule.columns]
        except ValueError:
            errors.append(RowError(name, line, ",".join(rule.columns), "is not a number"))
            continue
        parts = [p for p in parts if p is not None]
        if not parts:
            continue  # missing in the source: left missing, never filled in
        value = sum(parts) / len(parts)
        if rule.transform == "linear" and not rule.min <= value <= rule.max:
            errors.append(RowError(name, line, rule.columns[0],
                                   f"{value} is outside the declared range {rule.min}-{rule.max}"))
            continue
        if "edition_year" in row and row.get("events_year"):
            edition_year, events_year = int(row["edition_year"]), int(row["events_year"])
        elif rule.year == "edition":
            edition_year, events_year = year, year - 1
        else:
            edition_year, events_year = None, year
        available_year, month = rule.available_from(edition_year=edition_year, events_year=events_year)
        values[(country_id, year)] = {
            "edition_year": edition_year, "events_year": events_year, "value": round(value, 4),
            "available_from": date(available_year, month, 1), "source_file": name, "source_line": line,
        }
    return values


def indices_load(*, directory=None, version=methodology_config.ACTIVE_VERSION):
    directory = Path(directory or settings.REFERENCE_DATA_DIR / "indices")
    methodology = methodology_config.load(version)
    countries = dict(Country.objects.exclude(iso3=None).values_list("iso3", "pk"))
    countries.update(dict(Country.objects.values_list("code", "pk")))
    errors, wanted = [], {}
    for rule in methodology.indices.values():
        for key, fields in _read(rule, directory / rule.file, countries, errors).items():
            wanted[(rule.code, *key)] = fields
    if errors:
        raise CsvValidationError(errors)

    report = LoadReport()
    existing = {(v.index, v.country_id, v.year): v for v in IndexValue.objects.all()}
    new, changed = [], []
    for (index, country_id, year), fields in wanted.items():
        row = existing.get((index, country_id, year))
        if row is None:
            new.append(IndexValue(index=index, country_id=country_id, year=year, **fields))
        elif any(getattr(row, f) != v for f, v in fields.items()):
            for f, v in fields.items():
                setattr(row, f, v)
            changed.append(row)
        else:
            report.unchanged += 1
    with transaction.atomic():
        IndexValue.objects.bulk_create(new, batch_size=1000)
        if changed:
            IndexValue.objects.bulk_update(changed, list(next(iter(wanted.values()))), batch_size=1000)
    report.created, report.updated = len(new), len(changed)
    return report
