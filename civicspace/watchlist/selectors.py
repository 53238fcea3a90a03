"""Reads for Watchlist pages and the candidate list. The signals themselves are pure (risk.py)."""
import datetime as dt

from django.core.cache import cache
from django.db.models import Prefetch, Sum
from django.http import Http404

from civicspace.core.text import public_text
from civicspace.countries.models import Country
from civicspace.legislation.selectors import bills_with_stage
from civicspace.monitoring.models import Incident, TrendCall, Victim
from civicspace.ratings.models import PublishedRating, RatingEdition

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
    assessed = [risk.assess(c.code, incidents=incidents.get(pk, []), bills=bills.get(pk, []),
                               scores=scores.get(pk, []), trend_calls=trend.get(pk, []), as_of=as_of,
                               config=config)
                for pk, c in countries.items()]
    ranked = risk.rank(assessed)
    by_code = {c.code: c for c in countries.values()}
    result = [(by_code[c.country], c) for c in ranked]
    return result[:limit] if limit else result


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
    downgrades the edition published. Next to it, the same ranking with the transition methodology's index
    changes added as a signal (the predicted change from the index changes public by 1 June, a fall of
    `momentum_full_drop` points counting fully, at the weight of score momentum); that signal is admitted only
    if it finds more downgrades in every edition (`improves_everywhere`). Returns (rows, admitted)."""
    from civicspace.methodology import config as methodology_config
    from civicspace.methodology import engine
    from civicspace.ratings.services.scoring import score_inputs

    methodology = methodology_config.load()
    model = engine.transition_model(methodology) if methodology.is_transition else None
    editions = list(RatingEdition.objects.filter(coverage="complete").order_by("published"))
    scored = {e.pk for e in editions if PublishedRating.objects.filter(edition=e, score__isnull=False).exists()}
    ratings = {}
    for row in PublishedRating.objects.filter(edition__coverage="complete").select_related("country"):
        ratings[(row.edition_id, row.country.code)] = row.rating
    rank = {"open": 1, "narrowed": 2, "obstructed": 3, "repressed": 4, "closed": 5}
    base_rows, index_rows, rows = {}, {}, []
    for previous, edition in zip(editions, editions[1:]):
        if previous.pk not in scored:
            continue
        as_of = dt.date(edition.published.year, 6, 1)
        compared = {code for (eid, code) in ratings if eid == edition.pk and (previous.pk, code) in ratings}
        downgraded = {c for c in compared if rank[ratings[(edition.pk, c)]] > rank[ratings[(previous.pk, c)]]}
        ranked = candidates(as_of=as_of, config=config)
        base = backtest_core.ranking_backtest([c.code for c, _ in ranked], downgraded, compared, ks=ks)
        base_rows[edition.code] = base
        row = {"edition": edition.code, "ranked_as_of": as_of, "signals": base}
        if model is not None:
            inputs = {c.code: item for c, item in score_inputs(as_of=as_of, methodology=methodology,
                                                                live=False).items()}
            weight = config.weights["score_momentum"]
            augmented = []
            for country, candidate in ranked:
                item = inputs.get(country.code)
                change = 0.0
                if item is not None:
                    deltas, _, _ = engine.transition_features(item, methodology)
                    change = sum(b * deltas[k] for k, b in model.coefficients.items() if deltas.get(k) is not None)
                signal = min(1.0, max(0.0, -change) / config.momentum_full_drop)
                augmented.append((round(candidate.risk + weight * signal, 6), country.code))
            augmented.sort(key=lambda pair: (-pair[0], pair[1]))
            index_rows[edition.code] = backtest_core.ranking_backtest([c for _, c in augmented], downgraded,
                                                                       compared, ks=ks)
            row["with_index_changes"] = index_rows[edition.code]
        rows.append(row)
    admitted = bool(index_rows) and backtest_core.improves_everywhere(base_rows, index_rows, ks=ks)
    return rows, admitted
