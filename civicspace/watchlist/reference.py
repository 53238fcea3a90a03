"""Loading the Human Rights Council calendar and the real Watchlist history (reference data), and the demo
press release of March 2024 (demo content)."""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from civicspace.audit.services import audit_event_record
from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.dates import parse_partial_date
from civicspace.core.upsert import LoadReport, upsert
from civicspace.countries.models import Country
from civicspace.ratings.models import PublishedRating

from .models import HRCSession, WatchlistEdition, WatchlistEntry

DEMO_RELEASE = "civicus-watchlist-kyrgyzstan-2024-03-05.txt"
RUSSIAN_HEADLINE_START = "Кыргызстан добавлен в список наблюдения"


def hrc_sessions_load(*, path=None):
    path = path or settings.REFERENCE_DATA_DIR / "hrc_sessions.csv"
    errors, rows = [], []
    for line, row in read_rows(path, ["session", "start", "end", "source_url"]):
        if not row["start"]:
            continue  # dates not found in any source (session 62): nothing to time an edition against
        try:
            number = int(row["session"])
            start = dt.date.fromisoformat(row["start"])
            end = dt.date.fromisoformat(row["end"]) if row["end"] else None
        except ValueError as exc:
            errors.append(RowError(path.name, line, "session/start/end", str(exc)))
            continue
        if end and end < start:
            errors.append(RowError(path.name, line, "end", "is before start"))
        rows.append({"number": number, "start": start, "end": end, "source_url": row["source_url"]})
    if errors:
        raise CsvValidationError(errors)
    report = LoadReport()
    with transaction.atomic():
        for row in rows:
            upsert(HRCSession, {"number": row.pop("number")}, row, report)
    return report


def session_for(target, sessions):
    """The session an edition is timed with: one under way on the date, or starting within 45 days after it."""
    for session in sorted(sessions, key=lambda s: s.start):
        end = session.end or session.start + dt.timedelta(days=40)
        if session.start - dt.timedelta(days=45) <= target <= end:
            return session
    return None


def rating_before(country_id, when, ratings):
    """The newest published rating of a country dated on or before `when`."""
    earlier = [r for r in ratings.get(country_id, []) if r.edition.published <= when]
    return earlier[-1] if earlier else None


def watchlist_history_load(*, path=None):
    """Every Watchlist edition of the reference CSV, as published editions with their entries. Idempotent."""
    path = path or settings.REFERENCE_DATA_DIR / "civicus" / "watchlists.csv"
    countries = {c.iso3: c for c in Country.objects.exclude(iso3=None)}
    errors, editions = [], {}
    for line, row in read_rows(path, ["edition", "iso3", "country", "confirmed", "source_url", "note"]):
        text = row["edition"]
        try:
            target, precision = parse_partial_date(text, precisions=("day", "month"))
        except ValueError:
            errors.append(RowError(path.name, line, "edition", f"'{text}' is not a date"))
            continue
        country = countries.get(row["iso3"])
        if country is None:
            errors.append(RowError(path.name, line, "iso3", f"unknown country code '{row['iso3']}'"))
            continue
        if row["confirmed"] not in ("yes", "no"):
            errors.append(RowError(path.name, line, "confirmed", "must be yes or no"))
            continue
        editions.setdefault(text, {"target": target, "precision": precision, "rows": []})["rows"].append(
            (country, row))
    if errors:
        raise CsvValidationError(errors)

    ratings = {}
    for r in PublishedRating.objects.select_related("edition").order_by("edition__published"):
        ratings.setdefault(r.country_id, []).append(r)
    sessions = list(HRCSession.objects.all())
    report = LoadReport()
    with transaction.atomic():
        for slug, info in editions.items():
            edition = WatchlistEdition.objects.filter(slug=slug).first()
            if edition is not None:
                report.unchanged += 1
                continue
            target = info["target"]
            edition = WatchlistEdition.objects.create(
                slug=slug, target_date=target, date_precision=info["precision"], status="published",
                published_at=timezone.make_aware(dt.datetime.combine(target, dt.time())),
                hrc_session=session_for(target, sessions), import_key=f"history-{slug}",
                source_note=path.name)
            for position, (country, row) in enumerate(info["rows"], start=1):
                rating = rating_before(country.pk, target, ratings)
                WatchlistEntry.objects.create(
                    edition=edition, country=country, position=position, confirmed=row["confirmed"] == "yes",
                    source_url=row["source_url"], note=row["note"],
                    rating_at_publication=rating.rating if rating else "",
                    score_at_publication=rating.score if rating else None,
                    rating_edition=rating.edition if rating else None)
            report.created += 1
        if report.changed:
            audit_event_record(action="watchlist.history_load", actor_label="load_reference_data",
                               data={"editions": str(report)})
    return report


def demo_press_release_attach(*, path=None):
    """Attach the real March 2024 press release (English and Russian) to its edition, verbatim."""
    path = path or settings.PACKAGE_DIR / "data" / "demo" / DEMO_RELEASE
    edition = WatchlistEdition.objects.filter(slug="2024-03-05").first()
    if edition is None or edition.press_release_text_en:
        return 0
    text = path.read_text(encoding="utf-8")
    split = text.index(RUSSIAN_HEADLINE_START)
    english, russian = text[:split].strip(), text[split:].strip()
    edition.press_release_text_en, edition.press_release_text_ru = english, russian
    edition.pr_title_en = "Kyrgyzstan added to human rights Watchlist as government determined to push through " \
                          "“foreign agent” law"
    edition.pr_title_ru = russian.splitlines()[0].strip()
    edition.save()
    audit_event_record(action="watchlist.demo_press_release", actor_label="load_demo_content", target=edition)
    return 1
