"""Importing published rating editions. Every row is validated first; then all rows are written in one
transaction, or nothing is."""
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlparse

from django.db import transaction

from civicspace.audit.services import audit_event_record
from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.dates import parse_partial_date
from civicspace.core.upsert import LoadReport, upsert
from civicspace.countries.models import Country
from civicspace.methodology.bands import (
    BAND_BY_CODE,
    RATING_CODES,
    SCORE_MAX,
    SCORE_MIN,
    band_for_score,
)

from ..models import PublishedRating, RatingEdition

COLUMNS = ["edition", "published", "coverage", "iso3", "country", "rating", "score", "source_url"]


def _parse_published(text):
    """'2023-12-06' (day precision) or '2020-12' (month precision); (None, None) when neither."""
    try:
        return parse_partial_date(text, precisions=("day", "month"))
    except ValueError:
        return None, None


def _validate(path, country_by_iso3, country_by_name):
    name = Path(path).name
    errors, rows, editions, seen = [], [], {}, {}

    def error(line, field, message):
        errors.append(RowError(name, line, field, message))

    for line, row in read_rows(path, COLUMNS):
        before = len(errors)
        edition = row["edition"]
        if not edition:
            error(line, "edition", "is empty")

        published, precision = _parse_published(row["published"])
        if published is None:
            error(line, "published", f"'{row['published']}' is not a date (YYYY-MM-DD or YYYY-MM)")

        coverage = row["coverage"]
        if coverage not in RatingEdition.Coverage.values:
            error(line, "coverage", f"'{coverage}' is not one of: complete, partial")

        if edition and published and coverage in RatingEdition.Coverage.values:
            first = editions.setdefault(edition, {"published": published, "precision": precision,
                                                  "coverage": coverage, "line": line})
            if (first["published"], first["coverage"]) != (published, coverage):
                error(line, "published",
                      f"edition '{edition}' was given published={first['published']} coverage={first['coverage']} "
                      f"on line {first['line']}; this row disagrees")

        iso3 = row["iso3"].upper()
        if iso3:
            country = country_by_iso3.get(iso3)
            if country is None:
                error(line, "iso3", f"unknown country code '{row['iso3']}'")
        else:
            # Only an entity without an ISO code (Somaliland) may be named instead of coded.
            country = country_by_name.get(row["country"])
            if country is None:
                error(line, "iso3", f"is empty and '{row['country']}' is not a rated entity without an ISO code")

        rating = row["rating"].lower()
        if rating not in RATING_CODES:
            error(line, "rating", f"unknown rating '{row['rating']}' (expected one of: {', '.join(RATING_CODES)})")

        score = None
        if row["score"]:
            try:
                score = Decimal(row["score"])
                if not score.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                error(line, "score", f"'{row['score']}' is not a number")
                score = None
            else:
                if not SCORE_MIN <= score <= SCORE_MAX:
                    error(line, "score", f"{row['score']} is outside {SCORE_MIN}-{SCORE_MAX}")
                elif score != score.quantize(Decimal("0.01")):
                    error(line, "score", f"{row['score']} has more than two decimals")
                elif rating in RATING_CODES and band_for_score(score).code != rating:
                    band = BAND_BY_CODE[rating]
                    error(line, "score",
                          f"{row['score']} rounds to {band_for_score(score).code}, not {rating} "
                          f"({rating} is {band.low}-{band.high} after rounding to a whole number)")

        url = urlparse(row["source_url"])
        if url.scheme not in ("http", "https") or not url.netloc:
            error(line, "source_url", f"'{row['source_url']}' is not an http(s) URL")

        if edition and country is not None:
            key = (edition, country.pk)
            if key in seen:
                error(line, "iso3", f"duplicate: {country.code} is already rated in edition '{edition}' "
                                    f"on line {seen[key]}")
            else:
                seen[key] = line

        if len(errors) == before:
            rows.append({"edition": edition, "country": country, "rating": rating, "score": score,
                         "source_url": row["source_url"]})
    if not rows and not errors:
        errors.append(RowError(name, 2, "-", "the file has no data rows"))
    return rows, editions, errors


def ratings_import(*, path, actor=None, actor_label="import_ratings"):
    """Import (or re-import) published ratings from a CSV file. Returns (edition report, rating report).

    Raises CsvValidationError listing every bad row (file, line, field); then nothing has been written.
    Re-importing the same file changes nothing.
    """
    countries = list(Country.objects.all())
    country_by_iso3 = {c.iso3: c for c in countries if c.iso3}
    country_by_name = {c.monitor_name: c for c in countries if not c.iso3}
    rows, editions, errors = _validate(path, country_by_iso3, country_by_name)
    if errors:
        raise CsvValidationError(errors)

    edition_report, rating_report = LoadReport(), LoadReport()
    with transaction.atomic():
        for code, info in editions.items():
            upsert(
                RatingEdition,
                {"code": code},
                {"slug": info["published"].strftime("%Y-%m"), "published": info["published"],
                 "published_precision": info["precision"], "coverage": info["coverage"]},
                edition_report,
            )
        edition_ids = dict(RatingEdition.objects.filter(code__in=editions).values_list("code", "pk"))
        for row in rows:
            upsert(
                PublishedRating,
                {"edition_id": edition_ids[row["edition"]], "country_id": row["country"].pk},
                {"rating": row["rating"], "score": row["score"], "source_url": row["source_url"]},
                rating_report,
            )
        if edition_report.changed or rating_report.changed:
            audit_event_record(
                action="ratings.ratings_import",
                actor=actor,
                actor_label=actor_label,
                data={"file": Path(path).name, "editions": str(edition_report), "ratings": str(rating_report)},
            )
    return edition_report, rating_report
