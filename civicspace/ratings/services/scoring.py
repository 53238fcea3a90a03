"""Guiding scores on the Django side: gather each country's inputs as of a date (external index values that
were public by then, submitted assessments, incidents and trend calls since the last edition), feed the pure
engine, and store inputs + result + version together so that any stored score can be recomputed exactly."""
import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import JSONField, OuterRef, Prefetch, Subquery, Value

from civicspace.audit.services import audit_event_record
from civicspace.countries.models import Country
from civicspace.pagecache.services import generation_bump
from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.methodology.bands import band_midpoint
from civicspace.monitoring.models import TrendCall
from civicspace.watchlist.config import DEFAULT as WATCHLIST_CONFIG
from civicspace.watchlist.risk import types_weight
from civicspace.watchlist.selectors import incident_tallies

from ..models import (
    Assessment,
    AssessmentAnswer,
    GuidingScore,
    IndexValue,
    PublishedRating,
    RatingEdition,
    RatingProposal,
)

ASSESSMENT_MAX_AGE_DAYS = 366


def _index_inputs(as_of, methodology, country_ids):
    """{country_id: [IndexInput]}: per index, the newest value public on `as_of` and not older than the
    methodology's maximum age."""
    oldest_year = as_of.year - methodology.max_input_age_years
    rows = IndexValue.objects.filter(index__in=list(methodology.indices), available_from__lte=as_of,
                                     events_year__gte=oldest_year)
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    newest = {}
    for row in _index_rows(rows):
        newest[(row.country_id, row.index)] = row  # ordered ascending: the last one wins
    result = {}
    for (country_id, index), row in newest.items():
        result.setdefault(country_id, []).append(_index_input(row))
    return result


class _IndexRow(NamedTuple):
    country_id: int
    index: str
    available_from: dt.date
    value: float
    edition_year: int | None
    events_year: int | None
    source_file: str
    source_line: int


def _index_rows(queryset):
    """The index values as plain rows (no model instances: thousands of them), oldest first per country
    and index."""
    return (_IndexRow(*values) for values in queryset.order_by("country_id", "index", "available_from", "year")
            .values_list(*_IndexRow._fields))


def _index_input(row):
    return engine.IndexInput(index=row.index, value=row.value, edition_year=row.edition_year,
                             events_year=row.events_year, source=f"{row.source_file}, line {row.source_line}")


def _transition_index_inputs(as_of, previous_dates, methodology, country_ids):
    """({country_id: [IndexInput]} now, {country_id: [IndexInput]} behind the previous edition).

    Now: per index, the newest value public on `as_of`, from a vintage public by then, and whose events are at
    most the index's maximum age old (older counts as missing). Behind the previous edition: per index, the
    newest value that was public on that edition's date, read from the same (current) vintage, so that a
    change is never a change of vintage."""
    codes = [c for c in methodology.indices
             if not methodology.indices[c].vintage_public_from
             or dt.date.fromisoformat(methodology.indices[c].vintage_public_from) <= as_of]
    rows = IndexValue.objects.filter(index__in=codes, available_from__lte=as_of)
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    now, before = {}, {}
    for row in _index_rows(rows):
        now[(row.country_id, row.index)] = row
        previous_date = previous_dates.get(row.country_id)
        if previous_date is not None and row.available_from <= previous_date:
            before[(row.country_id, row.index)] = row
    current, previous = {}, {}
    for (country_id, index), row in now.items():
        if row.events_year >= as_of.year - methodology.max_age(index):
            current.setdefault(country_id, []).append(_index_input(row))
    for (country_id, index), row in before.items():
        previous.setdefault(country_id, []).append(_index_input(row))
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
    """{country_id: LiveEvidence}: the incidents of the period (start, as_of] and of the baseline before it,
    counted by the database per country, window and set of types (one aggregate query), weighed here."""
    rules = methodology.live
    baseline_start = start - dt.timedelta(days=rules.baseline_days)
    period_days = max((as_of - start).days, 1)
    evidence, kinds = {}, {}
    tallies = incident_tallies(after=baseline_start, until=as_of, split=start, country_ids=country_ids)
    for (country_id, in_period, types), count in tallies.items():
        item = evidence.setdefault(country_id, {"period": 0.0, "baseline": 0.0, "positive": 0})
        kind = kinds.get(types)
        if kind is None:  # (positive, weight) per set of types: a few hundred sets
            kind = kinds[types] = (bool(types) and all(t in rules.positive_types for t in types),
                                   types_weight(types, WATCHLIST_CONFIG))
        positive = kind[0]
        # Whole-number severities: weight x count is the same float as adding the incidents one by one, in
        # any order.
        weight = kind[1] * count
        if in_period:
            if positive:
                item["positive"] += count
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


class _RatingRow(NamedTuple):
    country_id: int
    rating: str
    score: Decimal | None
    edition_code: str
    edition_published: dt.date


def _newest_ratings(as_of, country_ids):
    """{country_id: _RatingRow}: each country's newest rating published before `as_of`, read as plain rows."""
    rows = (PublishedRating.objects.filter(edition__published__lt=as_of)
            .order_by("country_id", "edition__published")
            .values_list("country_id", "rating", "score", "edition__code", "edition__published"))
    if country_ids is not None:
        rows = rows.filter(country_id__in=country_ids)
    newest = {}
    for values in rows:
        row = _RatingRow(*values)
        newest[row.country_id] = row  # ordered ascending: the last one wins
    return newest


def _previous_scores(as_of, country_ids):
    """{country_id: (score, source)}: the newest rating published before `as_of`; when it came without a score
    (before December 2023), the midpoint of its band stands in and the source says so."""
    newest = _newest_ratings(as_of, country_ids)
    result = {}
    for country_id, row in newest.items():
        if row.score is not None:
            result[country_id] = (float(row.score), f"published score, {row.edition_code}")
        else:
            result[country_id] = (band_midpoint(row.rating),
                                  f"midpoint of the published rating {row.rating}, {row.edition_code} (no score)")
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
    newest = _newest_ratings(as_of, country_ids)
    current, previous = _transition_index_inputs(
        as_of, {cid: row.edition_published for cid, row in newest.items()}, methodology, country_ids)
    result = {}
    for c in countries:
        row = newest.get(c.pk)
        has_score = row is not None and row.score is not None
        result[c] = engine.ScoreInputs(
            country=c.code, as_of=as_of.isoformat(), indices=tuple(current.get(c.pk, ())),
            forms=tuple(forms.get(c.pk, ())), live=live_evidence.get(c.pk),
            previous_score=float(row.score) if has_score else None,
            previous_source=(f"published score, {row.edition_code}" if has_score else
                             f"published rating {row.rating}, {row.edition_code} (no score)" if row else ""),
            previous_band=row.rating if row else None,
            previous_indices=tuple(previous.get(c.pk, ())) if has_score else ())
    return result


def _decimal(value):
    return Decimal(str(round(value, 2)))


def scores_compute_all(*, as_of=None, version=methodology_config.ACTIVE_VERSION, country_ids=None,
                       actor=None, actor_label="scores_compute"):
    """Compute and store every country's guiding score as of a date (today by default): the inputs of all
    countries read by a few set-based queries (score_inputs), the pure engine run on them all at once, the rows
    written in bulk in one transaction. A country with no evidence in any stream gets no score. Recomputing the
    same date and version replaces those rows, except the ones a rating proposal refers to, which are kept.
    Safe to run any number of times."""
    as_of = as_of or dt.date.today()
    methodology = methodology_config.load(version)
    inputs = score_inputs(as_of=as_of, methodology=methodology, country_ids=country_ids)
    rows, without = [], []
    for country, result in engine.compute_all(inputs, methodology).items():
        item = inputs[country]
        if result is None:
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
        # A score that a proposal refers to is the evidence of that proposal: it stays, next to the new row
        # (latest_scores reads the newest), so a rerun never fails on it and never changes what was proposed.
        existing.exclude(pk__in=RatingProposal.objects.filter(score__isnull=False).values("score_id")).delete()
        _bulk_insert(rows)
        generation_bump()  # bulk_create sends no signal: cached country pages must show the new scores
        audit_event_record(action="ratings.scores_compute_all", actor=actor, actor_label=actor_label,
                           data={"as_of": as_of.isoformat(), "version": methodology.version,
                                 "scored": len(rows), "without_evidence": sorted(without)})
    return rows, without


def _bulk_insert(rows):
    """GuidingScore.objects.bulk_create, with the two JSON documents of each row passed as expressions: on
    PostgreSQL, Django would otherwise send every column as one array (UNNEST), which psycopg quotes element
    by element in Python (half a second for 200 rows of inputs and results); as expressions they are ordinary
    parameters. The rows keep their plain values."""
    documents = [(row.inputs, row.result) for row in rows]
    for row, (inputs, result) in zip(rows, documents):
        row.inputs, row.result = Value(inputs, output_field=JSONField()), Value(result, output_field=JSONField())
    try:
        GuidingScore.objects.bulk_create(rows, batch_size=200)
    finally:
        for row, (inputs, result) in zip(rows, documents):
            row.inputs, row.result = inputs, result


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
