"""Reads for Watchlist pages and the candidate list. The signals themselves are pure (risk.py)."""
import dataclasses
import datetime as dt
import math
from types import MappingProxyType

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, Sum, Value, When
from django.http import Http404

from civicspace.core.text import public_text
from civicspace.countries.models import Country
from civicspace.legislation.selectors import bills_with_stage
from civicspace.monitoring.models import Incident, Term, TrendCall, Update, Victim, published_q
from civicspace.ratings.models import IndexValue, PublishedRating, RatingEdition

from . import backtest as backtest_core
from . import risk
from .config import DEFAULT
from .models import WatchlistEdition, WatchlistEntry


def entry_rationale(entry, lang=None):
    """(text, language): the rationale in the reader's language when reviewed, else in English (the monitor's
    working language), else any language it was written in."""
    return public_text(entry, "rationale", original="en", statuses=entry.translation_status, lang=lang,
                       fallbacks=("ru", "fr", "es", "ar"))


def published_editions():
    return list(WatchlistEdition.objects.published()
                .select_related("hrc_session")
                .prefetch_related(Prefetch("entries", queryset=WatchlistEntry.objects.select_related("country")))
                .order_by("-target_date"))


def edition_get(slug, *, published_only=True):
    queryset = WatchlistEdition.objects.select_related("hrc_session").prefetch_related(
        Prefetch("entries", queryset=WatchlistEntry.objects.select_related("country")))
    if published_only:
        queryset = queryset.published()
    try:
        return queryset.get(slug=slug)
    except WatchlistEdition.DoesNotExist:
        raise Http404 from None


def country_history(country):
    return list(WatchlistEntry.objects.published().filter(country=country)
                .select_related("edition").order_by("-edition__target_date"))


class _TypeSets:
    """Incident.type_ids texts turned into tuples of type codes: in code order (the tallies' key) or in
    vocabulary order (the order the explanations name them); each distinct text done once. One query."""

    def __init__(self):
        self.code, self.rank = {}, {}
        for n, (pk, code) in enumerate(Term.objects.order_by("vocabulary", "position", "code")
                                       .values_list("pk", "code")):
            self.code[pk], self.rank[pk] = code, n
        self.done = {("", True): (), ("", False): ()}

    def __call__(self, text, order_by_code=True):
        codes = self.done.get((text, order_by_code))
        if codes is None:
            # An id whose term is gone is skipped (its relation rows went with it; monitoring/signals.py rewrites
            # the copies when a term is deleted, but a write that bypassed the ORM could leave one behind).
            ids = [pk for pk in map(int, text.split(",")) if pk in self.code]
            if order_by_code:
                codes = tuple(sorted(self.code[pk] for pk in ids))
            else:
                codes = tuple(self.code[pk] for pk in sorted(ids, key=self.rank.__getitem__))
            self.done[(text, order_by_code)] = codes
        return codes


def _published_window(queryset, after, until, prefix=""):
    """The rows of `queryset` whose incident (reached by `prefix`, e.g. "incident__") is published and dated in
    (after, until]: the same rows as through Incident.objects.published() (the one publication rule,
    published_q). On SQLite, whose planner has no histogram of dates, the rule is a subquery on the updates
    and "+ 0" keeps the planner from reading every published update's incidents by update_id instead of the
    date window by the incident date index."""
    queryset = queryset.filter(**{f"{prefix}date__gt": after, f"{prefix}date__lte": until})
    if connection.vendor == "sqlite":
        published = Update.objects.published().values("pk")
        return queryset.alias(_update_ref=F(f"{prefix}update_id") + 0).filter(_update_ref__in=published)
    return queryset.filter(published_q(f"{prefix}update__"))  # PostgreSQL plans the join well


def incident_tallies(*, after, until, split, country_ids=None, types_of=None):
    """{(country_id, recent, types): count} of the published incidents dated in (after, until], `recent` when
    dated after `split`, `types` the sorted tuple of their type codes: counted by the database in one
    aggregate query over the incidents alone (their set of types is Incident.type_ids; on PostgreSQL the
    date index carries it), for the engines that only weigh incidents by their types. `types_of`: a _TypeSets
    the caller shares with its other reads (one query less)."""
    incidents = _published_window(Incident.objects.all(), after, until)
    if country_ids is not None:
        incidents = incidents.filter(update__country_id__in=country_ids)
    per_incident = (incidents.order_by()
                    .annotate(t_country=F("update__country_id"), t_ids=F("type_ids"),
                              t_recent=Case(When(date__gt=split, then=Value(1)), default=Value(0)))
                    .values("t_country", "t_recent", "t_ids"))
    sql, params = per_incident.query.sql_with_params()
    types_of, tallies = types_of or _TypeSets(), {}
    with connection.cursor() as cursor:  # grouped outside: Django would group by the incident's primary key
        cursor.execute(f"SELECT t_country, t_recent, t_ids, COUNT(*) FROM ({sql}) per_incident "
                       "GROUP BY t_country, t_recent, t_ids", params)
        for country_id, recent, ids, count in cursor.fetchall():
            key = (country_id, bool(recent), types_of(ids))
            tallies[key] = tallies.get(key, 0) + count
    return tallies


def _surge_facts(*, as_of, config, types_of):
    """{country_id: [IncidentFact]} of the incidents in the surge window, in date order, with their types (in
    vocabulary order), victims and a short label."""
    since = as_of - dt.timedelta(days=config.surge_window_days)
    window = _published_window(Incident.objects.all(), since, as_of)
    victims = dict(_published_window(Victim.objects.all(), since, as_of, "incident__").order_by()
                   .values("incident_id").annotate(n=Sum("count")).values_list("incident_id", "n"))
    # Plain rows (rewrite(False): modeltranslation would build an object per row to resolve `description`);
    # the label falls back to the description in the reader's language, read through modeltranslation only
    # for the incidents without an English one.
    rows = (window.rewrite(False).order_by("date", "pk")
            .values_list("pk", "date", "update__country_id", "type_ids", "description_en"))
    described = dict(window.filter(Q(description_en="") | Q(description_en__isnull=True)).order_by()
                     .values_list("pk", "description"))
    incidents = {}
    for pk, when, country_id, type_ids, description_en in rows:
        incidents.setdefault(country_id, []).append(risk.IncidentFact(
            date=when, types=types_of(type_ids, order_by_code=False), victims=victims.get(pk) or 0,
            label=(description_en or described.get(pk) or "")[:90]))
    return incidents


def candidates(*, as_of, config=DEFAULT, limit=None, index_model=None):
    """Every country assessed with the signals as of a date, ranked by decline risk.

    A few set-based queries for all countries, one per kind of input: the incidents of the surge window as
    facts (dates, types, victims, labels: the explanations name them), those of the baseline window before it
    only counted per country and set of types (the test weighs them, nothing more), the bills that moved in
    the legislative window, the published scores and the trend calls, the index values behind the index
    changes; then the pure engine (risk.assess_all). `index_model`: see index_changes."""
    surge_start = as_of - dt.timedelta(days=config.surge_window_days)
    baseline = {}
    types_of = _TypeSets()
    tallies = incident_tallies(after=surge_start - dt.timedelta(days=config.baseline_days), until=surge_start,
                               split=surge_start, types_of=types_of)
    for (country_id, _, types), count in tallies.items():
        baseline.setdefault(country_id, []).append(risk.IncidentTally(types=types, count=count))
    incidents = _surge_facts(as_of=as_of, config=config, types_of=types_of)
    bills = {}
    # Only bills that moved in the window can weigh (legislative_threat ignores the others).
    moved_since = as_of - dt.timedelta(days=config.legislative_window_days)
    for bill in bills_with_stage().filter(current_stage__isnull=False, last_moved__gt=moved_since,
                                          last_moved__lte=as_of):
        bills.setdefault(bill.country_id, []).append(risk.BillFact(
            title=bill.short_title_en or bill.short_title, category=bill.category, direction=bill.direction,
            stage=bill.current_stage, moved=bill.last_moved))
    scores = {}
    for country_id, published, score in (
            PublishedRating.objects.filter(score__isnull=False, edition__published__lte=as_of)
            .order_by("edition__published").values_list("country_id", "edition__published", "score")):
        scores.setdefault(country_id, []).append(risk.ScoreFact(published=published, score=float(score)))
    trend = {}
    since = as_of - dt.timedelta(days=config.trend_window_days)
    for country_id, call in TrendCall.objects.filter(period_end__gt=since, period_end__lte=as_of).values_list(
            "country_id", "call"):
        trend.setdefault(country_id, []).append(call)
    countries = {c.pk: c for c in Country.objects.all()}
    changes = index_changes(as_of=as_of, model=index_model) if config.weights["index_changes"] else {}
    facts = {c.code: risk.CountryFacts(incidents=tuple(incidents.get(pk, ())), bills=tuple(bills.get(pk, ())),
                                       scores=tuple(scores.get(pk, ())), trend_calls=tuple(trend.get(pk, ())),
                                       baseline=tuple(baseline.get(pk, ())), index_change=changes.get(pk))
             for pk, c in countries.items()}
    ranked = risk.assess_all(facts, as_of=as_of, config=config)
    by_code = {c.code: c for c in countries.values()}
    result = [(by_code[c.country], c) for c in ranked]
    return result[:limit] if limit else result


def index_changes(*, as_of, model=None):
    """{country id: risk.IndexChange}: what the changes of the external indices public at `as_of` (since the
    data year behind each country's last published score) move its score by under the active methodology's
    transition model (its index terms b_k * delta_k only), or under `model` (a transition.Model of the same
    specification, e.g. calibrated without the edition a backtest tests). Empty when the active version is not
    a transition model. The index values of every country in a few queries (score_inputs without live
    evidence)."""
    from civicspace.methodology import config as methodology_config
    from civicspace.methodology import engine
    from civicspace.ratings.services.scoring import score_inputs

    methodology = methodology_config.load()
    if not methodology.is_transition:
        return {}
    key = None if model is not None else (as_of, methodology.version, _reference_stamp())
    if key is not None and key in _INDEX_CHANGES:
        return _INDEX_CHANGES[key]
    model = model or engine.transition_model(methodology)
    changes = {}
    for country, item in score_inputs(as_of=as_of, methodology=methodology, live=False).items():
        deltas, _, _ = engine.transition_features(item, methodology)
        parts = tuple((code, b * deltas[code]) for code, b in model.coefficients.items()
                      if b and deltas.get(code) is not None)
        if parts:
            changes[country.pk] = risk.IndexChange(points=math.fsum(p for _, p in parts), parts=parts)
    if key is not None:
        if len(_INDEX_CHANGES) >= 16:
            _INDEX_CHANGES.clear()
        _INDEX_CHANGES[key] = changes
    return changes


# index_changes per (date, methodology version, state of the reference data): the index values and rating
# editions change a few times a year (an index release, a published edition), while the Watchlist candidates
# are ranked on every visit of the composition page; reading and rebasing every index value again took about
# a fifth of the candidates' time. Per process; any change of the data below gives a new key.
_INDEX_CHANGES = {}


def _reference_stamp():
    """One query: what changes whenever an index value or a published rating is created, changed or removed
    (counts, largest ids, the sum of the index values, the newest edition date)."""
    values, ratings, editions = (IndexValue._meta.db_table, PublishedRating._meta.db_table,
                                 RatingEdition._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT count(*) FROM {values}), (SELECT max(id) FROM {values}), "
                       f"(SELECT sum(value) FROM {values}), (SELECT count(*) FROM {ratings}), "
                       f"(SELECT max(id) FROM {ratings}), (SELECT count(*) FROM {editions}), "
                       f"(SELECT max(published) FROM {editions})")
        return tuple(str(v) for v in cursor.fetchone())


BACKTEST_CACHE_KEY = "watchlist:backtest"


def backtest_rows():
    """The backtest table, cached: it reads every published rating and changes only when ratings or
    Watchlist editions do (apps.py drops the cache then)."""
    rows = cache.get(BACKTEST_CACHE_KEY)
    if rows is None:
        rows = _backtest_rows()
        cache.set(BACKTEST_CACHE_KEY, rows, None)
    return rows


def backtest_cache_clear(**_signal):
    cache.delete(BACKTEST_CACHE_KEY)


def _backtest_rows():
    editions = [(e.code, e.published) for e in RatingEdition.objects.filter(coverage="complete")]
    complete = {code for code, _ in editions}
    ratings = {(r.edition.code, r.country_id): r.rating
               for r in PublishedRating.objects.select_related("edition") if r.edition.code in complete}
    entries = [(e.edition.target_date, e.country_id)
               for e in WatchlistEntry.objects.published().select_related("edition")]
    return backtest_core.backtest(editions, ratings, entries)


def signals_backtest(*, ks=(10, 15), config=DEFAULT):
    """The Watchlist signals' own backtest on the real record: for each complete edition that follows one
    with published scores, every country ranked by the signals as of 1 June before it, against the
    downgrades the edition published. Each row compares the signals without the transition methodology's
    index changes (`signals`) and with them (`with_index_changes`: the change the index changes public by
    1 June predict, a fall of `momentum_full_drop` points counting fully, at the weight `config` gives it, or
    score momentum's). Leave one edition out: a row whose edition the active version was calibrated on uses
    the model the same specification gives when calibrated on the other scored editions (`index_models`
    says which). The signal is admitted only if it finds more downgrades in every edition
    (`improves_everywhere`). Returns (rows, admitted)."""
    weights = dict(config.weights)
    without = dataclasses.replace(config, weights=MappingProxyType({**weights, "index_changes": 0.0}))
    with_changes = dataclasses.replace(config, weights=MappingProxyType(
        {**weights, "index_changes": weights["index_changes"] or weights["score_momentum"]}))
    editions = list(RatingEdition.objects.filter(coverage="complete").order_by("published"))
    scored = {e.pk for e in editions if PublishedRating.objects.filter(edition=e, score__isnull=False).exists()}
    ratings = {}
    for row in PublishedRating.objects.filter(edition__coverage="complete").select_related("country"):
        ratings[(row.edition_id, row.country.code)] = row.rating
    rank = {"open": 1, "narrowed": 2, "obstructed": 3, "repressed": 4, "closed": 5}
    ranked_editions = [(previous, edition) for previous, edition in zip(editions, editions[1:])
                       if previous.pk in scored]
    models = _index_models([e.code for e in editions if e.pk in scored], [e.code for _, e in ranked_editions])
    base_rows, index_rows, rows = {}, {}, []
    for previous, edition in ranked_editions:
        as_of = dt.date(edition.published.year, 6, 1)
        compared = {code for (eid, code) in ratings if eid == edition.pk and (previous.pk, code) in ratings}
        downgraded = {c for c in compared if rank[ratings[(edition.pk, c)]] > rank[ratings[(previous.pk, c)]]}
        ranked = candidates(as_of=as_of, config=without)
        base = backtest_core.ranking_backtest([c.code for c, _ in ranked], downgraded, compared, ks=ks)
        base_rows[edition.code] = base
        row = {"edition": edition.code, "ranked_as_of": as_of, "signals": base}
        if models is not None:
            model, fitted_on = models[edition.code]
            augmented = candidates(as_of=as_of, config=with_changes, index_model=model)
            index_rows[edition.code] = backtest_core.ranking_backtest([c.code for c, _ in augmented], downgraded,
                                                                       compared, ks=ks)
            row["with_index_changes"] = index_rows[edition.code]
            row["index_model_fitted_on"] = fitted_on
        rows.append(row)
    admitted = bool(index_rows) and backtest_core.improves_everywhere(base_rows, index_rows, ks=ks)
    return rows, admitted


def _index_models(scored_codes, ranked_codes):
    """None when the active version is not a transition model; else, for each ranked edition, (the model its
    index changes are computed with, the editions that model was calibrated on): the active version's (None:
    index_changes then uses it) unless it was calibrated on that edition, else the model the same
    specification gives when calibrated on the other scored editions (leave one edition out)."""
    from civicspace.methodology import config as methodology_config
    from civicspace.ratings.calibration import calibrated_model

    methodology = methodology_config.load()
    if not methodology.is_transition:
        return None
    fitted_on = list((methodology.model.get("calibration") or {}).get("fit", []))
    models = {}
    for code in ranked_codes:
        others = [c for c in scored_codes if c != code]
        models[code] = ((calibrated_model(others, methodology=methodology), others) if code in fitted_on
                        else (None, fitted_on))
    return models
