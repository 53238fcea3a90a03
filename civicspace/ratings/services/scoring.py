"""Guiding scores on the Django side: gather each country's inputs as of a date (external index values that
were public by then, submitted assessments, incidents and trend calls since the last edition), feed the pure
engine, and store inputs + result + version together so that any stored score can be recomputed exactly."""
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery

from civicspace.audit.services import audit_event_record
from civicspace.countries.models import Country
from civicspace.pagecache.services import generation_bump
from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.methodology.bands import band_midpoint
from civicspace.monitoring.models import Incident, TrendCall
from civicspace.watchlist.config import DEFAULT as WATCHLIST_CONFIG
from civicspace.watchlist.risk import IncidentFact, incident_weight

from ..models import Assessment, AssessmentAnswer, GuidingScore, IndexValue, PublishedRating, RatingEdition

ASSESSMENT_MAX_AGE_DAYS = 366


def _index_inputs(as_of, methodology, country_ids):
    """{country_id: [IndexInput]}: per index, the newest value public on `as_of` and not older than the
    methodology's maximum age."""
    oldest_year = as_of.year - methodology.max_input_age_years
    rows = (IndexValue.objects.filter(index__in=list(methodology.indices), available_from__lte=as_of,
                                      events_year__gte=oldest_year)
            .order_by("country_id", "index", "available_from", "year"))
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    newest = {}
    for row in rows:
        newest[(row.country_id, row.index)] = row  # ordered ascending: the last one wins
    result = {}
    for (country_id, index), row in newest.items():
        result.setdefault(country_id, []).append(engine.IndexInput(
            index=index, value=row.value, edition_year=row.edition_year, events_year=row.events_year,
            source=f"{row.source_file}, line {row.source_line}"))
    return result


def _transition_index_inputs(as_of, previous_dates, methodology, country_ids):
    """({country_id: [IndexInput]} now, {country_id: [IndexInput]} behind the previous edition).

    Now: per index, the newest value public on `as_of`, from a vintage public by then, and whose events are at
    most the index's maximum age old (older counts as missing). Behind the previous edition: per index, the
    newest value that was public on that edition's date, read from the same (current) vintage, so that a
    change is never a change of vintage."""
    codes = [c for c in methodology.indices
             if not methodology.indices[c].vintage_public_from
             or dt.date.fromisoformat(methodology.indices[c].vintage_public_from) <= as_of]
    rows = (IndexValue.objects.filter(index__in=codes, available_from__lte=as_of)
            .order_by("country_id", "index", "available_from", "year"))
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    now, before = {}, {}
    for row in rows:
        now[(row.country_id, row.index)] = row
        previous_date = previous_dates.get(row.country_id)
        if previous_date is not None and row.available_from <= previous_date:
            before[(row.country_id, row.index)] = row

    def item(row):
        return engine.IndexInput(index=row.index, value=row.value, edition_year=row.edition_year,
                                 events_year=row.events_year, source=f"{row.source_file}, line {row.source_line}")
    current, previous = {}, {}
    for (country_id, index), row in now.items():
        if row.events_year >= as_of.year - methodology.max_age(index):
            current.setdefault(country_id, []).append(item(row))
    for (country_id, index), row in before.items():
        previous.setdefault(country_id, []).append(item(row))
    return current, previous


def _form_inputs(as_of, country_ids):
    """{country_id: [FormInput]}: the newest submitted assessment per country, stream and organisation
    within the last year."""
    rows = (Assessment.objects.filter(status=Assessment.Status.SUBMITTED, period_end__lte=as_of,
                                      period_end__gt=as_of - dt.timedelta(days=ASSESSMENT_MAX_AGE_DAYS))
            .select_related("organisation")
            .prefetch_related(Prefetch("answers", queryset=AssessmentAnswer.objects.order_by("question")))
            .order_by("period_end", "pk"))
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    newest = {}
    for a in rows:
        newest[(a.country_id, a.stream, a.organisation_id)] = a
    result = {}
    for (country_id, stream, _), a in newest.items():
        who = a.organisation.name if a.organisation else "in-house"
        result.setdefault(country_id, []).append(engine.FormInput(
            stream=stream, answers={x.question: x.value for x in a.answers.all()},
            reference=f"assessment {a.pk} ({who}), period ending {a.period_end.isoformat()}"))
    return result


def _period_start(as_of):
    """The live period runs from the last published edition on or before `as_of` (exclusive)."""
    edition = RatingEdition.objects.filter(published__lte=as_of).order_by("-published").first()
    return edition.published if edition else as_of - dt.timedelta(days=365)


def _live_inputs(as_of, start, methodology, country_ids):
    rules = methodology.live
    baseline_start = start - dt.timedelta(days=rules.baseline_days)
    period_days = max((as_of - start).days, 1)
    incidents = (Incident.objects.published().filter(date__gt=baseline_start, date__lte=as_of)
                 .select_related("update").prefetch_related("types"))
    if country_ids is not None:
        incidents = incidents.filter(update__country_id__in=country_ids)
    evidence = {}
    for incident in incidents:
        types = tuple(t.code for t in incident.types.all())
        item = evidence.setdefault(incident.update.country_id, {"period": 0.0, "baseline": 0.0, "positive": 0})
        positive = bool(types) and all(t in rules.positive_types for t in types)
        weight = incident_weight(IncidentFact(date=incident.date, types=types), WATCHLIST_CONFIG)
        if incident.date > start:
            if positive:
                item["positive"] += 1
            else:
                item["period"] += weight
        elif not positive:
            item["baseline"] += weight
    calls = TrendCall.objects.filter(period_end__gt=start, period_end__lte=as_of)
    if country_ids is not None:
        calls = calls.filter(country_id__in=country_ids)
    trend = {}
    for country_id, call in calls.order_by("period_end", "pk").values_list("country_id", "call"):
        trend.setdefault(country_id, []).append(call)
    result = {}
    for country_id in set(evidence) | set(trend):
        item = evidence.get(country_id, {"period": 0.0, "baseline": 0.0, "positive": 0})
        result[country_id] = engine.LiveEvidence(
            period_start=start.isoformat(), period_end=as_of.isoformat(),
            weighted_incidents=item["period"],
            expected_incidents=round(item["baseline"] * period_days / rules.baseline_days, 4),
            positive_incidents=item["positive"], trend_calls=tuple(trend.get(country_id, ())))
    return result


def _previous_scores(as_of, country_ids):
    """{country_id: (score, source)}: the newest rating published before `as_of`; when it came without a score
    (before December 2023), the midpoint of its band stands in and the source says so."""
    rows = (PublishedRating.objects.filter(edition__published__lt=as_of).select_related("edition")
            .order_by("country_id", "edition__published"))
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    newest = {}
    for row in rows:
        newest[row.country_id] = row
    result = {}
    for country_id, row in newest.items():
        if row.score is not None:
            result[country_id] = (float(row.score), f"published score, {row.edition.code}")
        else:
            result[country_id] = (band_midpoint(row.rating),
                                  f"midpoint of the published rating {row.rating}, {row.edition.code} (no score)")
    return result


def score_inputs(*, as_of, methodology=None, country_ids=None, live=True):
    """{country: ScoreInputs} as of a date (a handful of queries for all countries)."""
    methodology = methodology or methodology_config.load()
    countries = Country.objects.all() if country_ids is None else Country.objects.filter(pk__in=country_ids)
    indices = {} if methodology.is_transition else _index_inputs(as_of, methodology, country_ids)
    forms = _form_inputs(as_of, country_ids)
    live_evidence = _live_inputs(as_of, _period_start(as_of), methodology, country_ids) if live else {}
    if methodology.is_transition:
        return _transition_inputs(as_of, methodology, countries, country_ids, forms, live_evidence)
    previous = _previous_scores(as_of, country_ids) if "published" in methodology.streams else {}
    return {c: engine.ScoreInputs(country=c.code, as_of=as_of.isoformat(), indices=tuple(indices.get(c.pk, ())),
                                  forms=tuple(forms.get(c.pk, ())), live=live_evidence.get(c.pk),
                                  previous_score=previous.get(c.pk, (None, ""))[0],
                                  previous_source=previous.get(c.pk, (None, ""))[1])
            for c in countries}


def _transition_inputs(as_of, methodology, countries, country_ids, forms, live_evidence):
    """Inputs of a transition version: the newest published rating before `as_of` (its score only when one
    was published: a band's midpoint never stands in), its edition's date, and the index values then and now."""
    rows = (PublishedRating.objects.filter(edition__published__lt=as_of).select_related("edition")
            .order_by("country_id", "edition__published"))
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    newest = {}
    for row in rows:
        newest[row.country_id] = row
    current, previous = _transition_index_inputs(
        as_of, {cid: row.edition.published for cid, row in newest.items()}, methodology, country_ids)
    result = {}
    for c in countries:
        row = newest.get(c.pk)
        has_score = row is not None and row.score is not None
        result[c] = engine.ScoreInputs(
            country=c.code, as_of=as_of.isoformat(), indices=tuple(current.get(c.pk, ())),
            forms=tuple(forms.get(c.pk, ())), live=live_evidence.get(c.pk),
            previous_score=float(row.score) if has_score else None,
            previous_source=(f"published score, {row.edition.code}" if has_score else
                             f"published rating {row.rating}, {row.edition.code} (no score)" if row else ""),
            previous_band=row.rating if row else None,
            previous_indices=tuple(previous.get(c.pk, ())) if has_score else ())
    return result


def _decimal(value):
    return Decimal(str(round(value, 2)))


def scores_compute_all(*, as_of=None, version=methodology_config.ACTIVE_VERSION, country_ids=None,
                       actor=None, actor_label="scores_compute"):
    """Compute and store every country's guiding score as of a date (today by default). A country with no
    evidence in any stream gets no score. Recomputing the same date and version replaces those rows."""
    as_of = as_of or dt.date.today()
    methodology = methodology_config.load(version)
    inputs = score_inputs(as_of=as_of, methodology=methodology, country_ids=country_ids)
    rows, without = [], []
    for country, item in inputs.items():
        try:
            result = engine.compute(item, methodology)
        except engine.NoEvidence:
            without.append(country.code)
            continue
        rows.append(GuidingScore(
            country=country, as_of=as_of, version=methodology.version, inputs=item.to_json(),
            result=result.to_json(), score=_decimal(result.guiding), interval_low=_decimal(result.interval[0]),
            interval_high=_decimal(result.interval[1]), band=result.band))
    with transaction.atomic():
        existing = GuidingScore.objects.filter(as_of=as_of, version=methodology.version)
        if country_ids is not None:
            existing = existing.filter(country_id__in=country_ids)
        existing.delete()
        GuidingScore.objects.bulk_create(rows, batch_size=200)
        generation_bump()  # bulk_create sends no signal: cached country pages must show the new scores
        audit_event_record(action="scores.computed", actor=actor, actor_label=actor_label,
                           data={"as_of": as_of.isoformat(), "version": methodology.version,
                                 "scored": len(rows), "without_evidence": sorted(without)})
    return rows, without


def score_recompute(score):
    """The stored score's result recomputed from its stored inputs with its stored version."""
    methodology = methodology_config.load(score.version)
    return engine.compute(engine.ScoreInputs.from_json(score.inputs), methodology).to_json()


def latest_scores(country_ids=None):
    """{country_id: newest GuidingScore}, in one query: the table keeps every computation, so only each
    country's newest row is read (the same pattern as the current published ratings)."""
    newest = GuidingScore.objects.filter(country=OuterRef("country")).order_by("-as_of", "-pk").values("pk")[:1]
    rows = GuidingScore.objects.filter(pk=Subquery(newest)).select_related("country")
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    return {row.country_id: row for row in rows}
