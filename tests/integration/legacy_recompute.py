"""The per-incident implementation of the recomputation as it was before issue #17 (commit 6b2974f): every
incident of the windows read one by one (model instances for the guiding scores' live evidence, value rows for
the Watchlist signals, every bill), index values and ratings as model instances. Kept verbatim as the reference
that the set-based path (civicspace.ratings.services.scoring, civicspace.watchlist.selectors) must match
exactly: tests/integration/test_recompute_set_based.py compares the two on the same data. Test code only."""
import datetime as dt

from django.db.models import Sum

from civicspace.countries.models import Country
from civicspace.legislation.selectors import bills_with_stage
from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.methodology.bands import band_midpoint
from civicspace.monitoring.models import Incident, TrendCall, Victim
from civicspace.ratings.models import IndexValue, PublishedRating
from civicspace.ratings.services.scoring import _form_inputs, _period_start
from civicspace.watchlist import risk
from civicspace.watchlist.config import DEFAULT
from civicspace.watchlist.config import DEFAULT as WATCHLIST_CONFIG
from civicspace.watchlist.risk import IncidentFact, incident_weight


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


def candidates(*, as_of, config=DEFAULT, limit=None):
    """Every country assessed with the signals as of a date, ranked by decline risk."""
    # Only the incidents the signals can see (the surge window and its baseline before it), read as plain
    # values: the signals need dates, type codes, victim counts and a label, not model instances.
    since = as_of - dt.timedelta(days=config.surge_window_days + config.baseline_days)
    window = Incident.objects.published().filter(date__lte=as_of, date__gt=since)
    types = {}
    for incident_id, code in (Incident.types.through.objects.filter(incident__in=window)
                              .order_by("incident_id", "term__vocabulary", "term__position", "term__code")
                              .values_list("incident_id", "term__code")):
        types.setdefault(incident_id, []).append(code)
    victims = dict(Victim.objects.filter(incident__in=window).order_by().values("incident_id")
                   .annotate(n=Sum("count")).values_list("incident_id", "n"))
    incidents = {}
    for pk, when, country_id, description_en, description in (
            window.order_by("date", "pk").values_list("pk", "date", "update__country_id", "description_en",
                                                      "description")):
        incidents.setdefault(country_id, []).append(risk.IncidentFact(
            date=when, types=tuple(types.get(pk, ())), victims=victims.get(pk) or 0,
            label=(description_en or description or "")[:90]))
    bills = {}
    for bill in bills_with_stage().filter(current_stage__isnull=False):
        bills.setdefault(bill.country_id, []).append(risk.BillFact(
            title=bill.short_title_en or bill.short_title, category=bill.category, direction=bill.direction,
            stage=bill.current_stage, moved=bill.last_moved))
    scores = {}
    for row in (PublishedRating.objects.filter(score__isnull=False, edition__published__lte=as_of)
                .select_related("edition").order_by("edition__published")):
        scores.setdefault(row.country_id, []).append(risk.ScoreFact(published=row.edition.published,
                                                                       score=float(row.score)))
    trend = {}
    since = as_of - dt.timedelta(days=config.trend_window_days)
    for country_id, call in TrendCall.objects.filter(period_end__gt=since, period_end__lte=as_of).values_list(
            "country_id", "call"):
        trend.setdefault(country_id, []).append(call)
    countries = {c.pk: c for c in Country.objects.all()}
    # The index-changes signal (Watchlist signals 2026.2) came after this code and reads no incident: taken from
    # the selector as it is, so that the comparison is about the incidents' path.
    from civicspace.watchlist.selectors import index_changes

    changes = index_changes(as_of=as_of) if config.weights.get("index_changes") else {}
    assessed = [risk.assess(c.code, incidents=incidents.get(pk, []), bills=bills.get(pk, []),
                               scores=scores.get(pk, []), trend_calls=trend.get(pk, []), as_of=as_of,
                               config=config, index_change=changes.get(pk))
                for pk, c in countries.items()]
    ranked = risk.rank(assessed)
    by_code = {c.code: c for c in countries.values()}
    result = [(by_code[c.country], c) for c in ranked]
    return result[:limit] if limit else result
