from django.conf import settings
from django.db import transaction

from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.upsert import LoadReport, upsert
from civicspace.countries.models import Country

from .models import Population


def population_load(*, path=None):
    """Population of the rated countries (rows for other economies are skipped). Idempotent, all-or-nothing."""
    path = path or settings.REFERENCE_DATA_DIR / "population.csv"
    countries = dict(Country.objects.exclude(iso3=None).values_list("iso3", "pk"))
    errors, rows = [], []
    for line, row in read_rows(path, ["iso3", "country", "year", "population", "source"]):
        if row["iso3"] not in countries:
            continue
        if not row["year"].isdigit():
            errors.append(RowError(path.name, line, "year", f"'{row['year']}' is not a year"))
            continue
        if not row["population"].isdigit() or int(row["population"]) == 0:
            errors.append(RowError(path.name, line, "population", f"'{row['population']}' is not a population"))
            continue
        rows.append((countries[row["iso3"]], int(row["year"]), int(row["population"]), row["source"]))
    if errors:
        raise CsvValidationError(errors)
    report = LoadReport()
    with transaction.atomic():
        existing = {(p.country_id, p.year): p for p in Population.objects.all()}
        new = []
        for country_id, year, population, source in rows:
            current = existing.get((country_id, year))
            if current is None:
                new.append(Population(country_id=country_id, year=year, population=population, source=source))
                report.created += 1
            elif (current.population, current.source) != (population, source):
                upsert(Population, {"country_id": country_id, "year": year},
                       {"population": population, "source": source}, report)
            else:
                report.unchanged += 1
        Population.objects.bulk_create(new)
    return report
