"""Early-warning signals for the Watchlist, computed from plain data (no database, no Django).

Every signal is a value from 0 to 1 with a one-line plain-English explanation and the evidence behind it.
Windows end on `as_of` inclusive: "the last 90 days" is (as_of - 90 days, as_of]; anything dated after
`as_of` is ignored, so past dates can be replayed.
"""
import math
from dataclasses import dataclass
from datetime import date

from .config import DEFAULT

MAX_EVIDENCE = 10
SIGNAL_ORDER = ("violation_surge", "legislative_threat", "severe_events", "score_momentum", "partner_trend",
                "index_changes")
ENDED_STAGES = frozenset({"withdrawn", "lapsed", "struck_down", "repealed"})
TREND_CALLS = ("worse", "same", "better")
_MASS_DETENTION_WORDS = {
    "journalist_detained": "mass detention of journalists",
    "hrd_detained": "mass detention of human rights defenders",
    "protesters_detained": "mass detention of protesters",
}


@dataclass(frozen=True)
class IncidentFact:
    date: date
    types: tuple[str, ...]
    victims: int = 0
    label: str = ""  # short description for explanations, e.g. "raid on 24.KG"


@dataclass(frozen=True)
class IncidentTally:
    """`count` incidents with the same types, counted by the database (their dates, victims and labels are not
    needed: the baseline of the surge test only sums their weights)."""
    types: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class CountryFacts:
    """One country's inputs for `assess_all`. With `baseline` (tallies of the incidents in the baseline window
    before the surge window), `incidents` need only hold the surge window; without it, every incident."""
    incidents: tuple = ()
    bills: tuple = ()
    scores: tuple = ()
    trend_calls: tuple = ()
    baseline: tuple | None = None
    index_change: "IndexChange | None" = None


@dataclass(frozen=True)
class BillFact:
    title: str
    category: str
    direction: str  # restrictive, enabling or mixed
    stage: str  # current stage
    moved: date | None  # date of the latest stage event


@dataclass(frozen=True)
class ScoreFact:
    published: date
    score: float


@dataclass(frozen=True)
class IndexChange:
    """What the external indices' changes alone move a country's score by, as the transition methodology
    weighs them (sum of b_k * delta_k, in points; negative is worse), and each index's part."""
    points: float
    parts: tuple = ()  # ((index code, points), ...)


@dataclass(frozen=True)
class Signal:
    name: str
    value: float  # 0..1
    explanation: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    country: str
    risk: float
    signals: tuple[Signal, ...]
    reasons: tuple[str, ...]


# --- helpers ---------------------------------------------------------------------------------------------

def _one_line(text):
    return " ".join(str(text).split())


def _days_ago(when, as_of):
    return (as_of - when).days


def _in_last(when, as_of, days):
    """True if `when` is in (as_of - days, as_of]."""
    return 0 <= _days_ago(when, as_of) < days


def _label(incident):
    return _one_line(incident.label) or f"{incident.date.isoformat()}: {', '.join(incident.types) or 'incident'}"


def _num(x):
    return f"{x:.2f}".rstrip("0").rstrip(".")


def incident_weight(incident, config=DEFAULT):
    """Severity of an incident: its most severe type. Tagging one event with several types does not
    multiply it."""
    return types_weight(incident.types, config)


def types_weight(types, config=DEFAULT):
    """Severity of an incident with these types (see incident_weight)."""
    return max((config.severity.get(t, config.unknown_severity) for t in types), default=config.unknown_severity)


def tallies_weight(tallies, config=DEFAULT):
    """Severity-weighted count of tallied incidents. Summed per tally (weight x count): with whole-number
    severities, as configured, the same float as adding the incidents' weights one by one in any order."""
    total = 0.0
    for tally in tallies:
        total += types_weight(tally.types, config) * tally.count
    return total


def is_severe(incident, config=DEFAULT):
    return any(t in config.severe_types for t in incident.types) or (
        incident.victims >= config.mass_detention_min_victims
        and any(t in config.mass_detention_types for t in incident.types))


def poisson_tail(k, lam):
    """P(X >= k) for X ~ Poisson(lam), summed from the probability mass function."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_lam = math.log(lam)

    def pmf(i):
        return math.exp(i * log_lam - lam - math.lgamma(i + 1))

    if k <= lam:
        # The tail is large here, so 1 - P(X < k) loses no precision.
        return min(1.0, max(0.0, 1.0 - math.fsum(pmf(i) for i in range(k))))
    # Above the mean, sum the tail itself: 1 - P(X < k) would round tiny p-values to 0. The terms fall
    # monotonically (ratio lam / (i + 1) < 1), so stop once they no longer change the sum.
    terms, i = [], k
    while True:
        term = pmf(i)
        terms.append(term)
        if term == 0.0 or term < 1e-17 * terms[0]:
            break
        i += 1
    return min(1.0, math.fsum(terms))


def _p_text(p, alpha):
    if p < 0.0001:
        return "p<0.0001"
    shown = f"{p:.2g}"
    if p < alpha <= float(shown):  # do not show a significant p rounded up to alpha
        return f"p<{alpha:g}"
    return f"p={shown}"


# --- signals ---------------------------------------------------------------------------------------------

def violation_surge(incidents, *, as_of, config=DEFAULT, baseline=None):
    """Severity-weighted violations in the surge window against the year before (one-sided Poisson test).

    `baseline`: tallies (IncidentTally) of the incidents in the baseline window, counted elsewhere (e.g. by the
    database); then the incidents before the surge window are not read."""
    window, baseline_days = config.surge_window_days, config.baseline_days
    recent, baseline_weight = [], 0.0
    for incident in incidents:
        ago = _days_ago(incident.date, as_of)
        if 0 <= ago < window:
            weight = incident_weight(incident, config)
            if weight > 0:
                recent.append((weight, incident))
        elif baseline is None and window <= ago < window + baseline_days:
            baseline_weight += incident_weight(incident, config)
    if baseline is not None:
        baseline_weight = tallies_weight(baseline, config)
    observed = math.fsum(w for w, _ in recent)
    expected = max(baseline_weight * window / baseline_days, config.baseline_floor_per_window)
    k = math.floor(observed + 0.5)  # half up
    p = poisson_tail(k, expected)
    p_text = _p_text(p, config.surge_alpha)
    if len(recent) < config.surge_min_incidents:
        value = 0.0
        explanation = (f"no surge: only {len(recent)} violation{'' if len(recent) == 1 else 's'} in the last "
                       f"{window} days ({observed:.1f} weighted vs {expected:.1f} expected); a surge needs "
                       f"at least {config.surge_min_incidents}")
    elif p < config.surge_alpha:
        value = min(1.0, max(0.0, (observed / expected - 1) / 4))
        explanation = (f"{observed:.1f} weighted violations in the last {window} days against "
                       f"{expected:.1f} expected ({p_text})")
    else:
        value = 0.0
        explanation = f"no significant surge ({observed:.1f} vs {expected:.1f} expected, {p_text})"
    recent.sort(key=lambda item: (-item[0], -item[1].date.toordinal(), _label(item[1])))
    evidence = tuple(_label(incident) for _, incident in recent[:MAX_EVIDENCE])
    return Signal("violation_surge", value, explanation, evidence)


def legislative_threat(bills, *, as_of, config=DEFAULT):
    """Restrictive bills that moved recently, weighted by subject and by how close they are to enactment."""
    window = config.legislative_window_days
    factors = {"restrictive": 1.0, "mixed": config.mixed_factor}
    scored = []
    for bill in bills:
        if bill.moved is None or not _in_last(bill.moved, as_of, window) or bill.stage in ENDED_STAGES:
            continue
        weight = (factors.get(bill.direction, 0.0)
                  * config.category_weight.get(bill.category, config.category_weight.get("other", 0.0))
                  * config.stage_proximity.get(bill.stage, 0.0))
        if weight > 0:
            scored.append((weight, bill))
    if not scored:
        return Signal("legislative_threat", 0.0,
                      f"no restrictive bill moved in the last {window} days", ())
    scored.sort(key=lambda item: (-item[0], _one_line(item[1].title)))
    value = min(1.0, math.fsum(w for w, _ in scored))

    def describe(bill):
        mixed = ", mixed" if bill.direction == "mixed" else ""
        return (f"{_one_line(bill.title)} ({bill.stage.replace('_', ' ')}{mixed}, "
                f"{_days_ago(bill.moved, as_of)} days ago)")

    named = [describe(bill) for _, bill in scored[:3]]
    more = f" and {len(scored) - 3} more" if len(scored) > 3 else ""
    explanation = (f"{len(scored)} restrictive bill{'' if len(scored) == 1 else 's'} moved in the last "
                   f"{window} days: {'; '.join(named)}{more}")
    evidence = tuple(f"{_one_line(bill.title)}: {bill.stage} on {bill.moved.isoformat()}"
                     for _, bill in scored[:MAX_EVIDENCE])
    return Signal("legislative_threat", value, explanation, evidence)


def severe_events(incidents, *, as_of, config=DEFAULT):
    """Step changes in the surge window: killings, liquidations, shutdowns, mass detentions."""
    window = config.surge_window_days
    found = sorted((i for i in incidents if _in_last(i.date, as_of, window) and is_severe(i, config)),
                   key=lambda i: (-i.date.toordinal(), _label(i)))
    value = min(1.0, len(found) / 2)
    if not found:
        return Signal("severe_events", 0.0, f"no severe events in the last {window} days", ())
    kinds = []
    for incident in found:
        for t in incident.types:
            if t in config.severe_types:
                kind = t.replace("_", " ")
            elif t in config.mass_detention_types and incident.victims >= config.mass_detention_min_victims:
                kind = _MASS_DETENTION_WORDS.get(t, f"mass {t.replace('_', ' ')}")
            else:
                continue
            if kind not in kinds:
                kinds.append(kind)
    explanation = (f"{len(found)} severe event{'' if len(found) == 1 else 's'} in the last {window} days "
                   f"({', '.join(kinds)})")
    return Signal("severe_events", value, explanation, tuple(_label(i) for i in found[:MAX_EVIDENCE]))


def score_momentum(scores, *, as_of=None, config=DEFAULT):
    """The fall between the two latest published scores, plus a bonus for standing just above a band edge.
    With `as_of`, scores published after it are ignored."""
    ordered = sorted((s for s in scores if as_of is None or s.published <= as_of), key=lambda s: s.published)
    if not ordered:
        return Signal("score_momentum", 0.0, "no published scores", ())
    latest = ordered[-1]
    below = [b for b in config.band_boundaries if b <= latest.score]
    # Below the lowest boundary the country is already closed: there is no band left to fall into.
    distance = latest.score - max(below) if below else None
    on_edge = distance is not None and distance < config.momentum_edge_points
    parts, evidence = [], [f"{latest.published.isoformat()}: {_num(latest.score)}"]
    value = config.momentum_edge_bonus if on_edge else 0.0
    if len(ordered) >= 2:
        previous = ordered[-2]
        evidence.insert(0, f"{previous.published.isoformat()}: {_num(previous.score)}")
        drop = previous.score - latest.score
        value += _fall_value(drop, config) * config.momentum_drop_share
        if drop > 0:
            parts.append(f"score fell {_num(drop)} points ({_num(previous.score)} to {_num(latest.score)})")
        else:
            parts.append(f"score did not fall ({_num(previous.score)} to {_num(latest.score)})")
    else:
        parts.append(f"one published score ({_num(latest.score)})")
    if distance is None:
        parts.append("already in the lowest band")
    else:
        index = config.band_boundaries.index(max(below))
        lower = config.band_names[index]
        parts.append(f"{_num(distance)} points above the {lower} band")
    return Signal("score_momentum", min(1.0, value), "; ".join(parts), tuple(evidence))


def partner_trend(calls, *, config=DEFAULT):
    """Partners' calls on where civic space is heading: the share saying worse, less the share saying better."""
    calls = list(calls)
    unknown = sorted({c for c in calls if c not in TREND_CALLS})
    if unknown:
        raise ValueError(f"unknown trend call(s): {', '.join(map(repr, unknown))}; expected one of {TREND_CALLS}")
    if not calls:
        return Signal("partner_trend", 0.0, "no trend calls recorded", ())
    worse, same, better = (calls.count(c) for c in TREND_CALLS)
    value = min(1.0, max(0.0, (worse - better) / len(calls)))
    explanation = f"partners' trend calls: {worse} worse, {same} same, {better} better"
    return Signal("partner_trend", value, explanation, ())


def _fall_value(drop, config):
    """A fall of the score, 0 to 1: `momentum_full_drop` points or more count fully, a rise not at all."""
    return min(1.0, max(0.0, drop) / config.momentum_full_drop)


def index_changes(change, *, config=DEFAULT):
    """The fall the external indices' changes predict for the score (the transition methodology's index
    terms), counted like score momentum's fall: `momentum_full_drop` points give the full value. Admitted as a
    signal because the Watchlist signals' own backtest found more downgrades with it in every edition
    (selectors.signals_backtest)."""
    if change is None:
        return Signal("index_changes", 0.0, "no change of the external indices known", ())
    value = _fall_value(-change.points, config)
    moved = [(code, points) for code, points in change.parts if round(points, 2)]
    evidence = tuple(f"{code}: {points:+.2f} points" for code, points in moved)
    if not moved:
        return Signal("index_changes", 0.0, "the external indices predict no change of the score", evidence)
    named = ", ".join(f"{code} {points:+.2f}" for code, points in moved)
    return Signal("index_changes", value,
                  f"external indices predict {change.points:+.2f} points for the score ({named})", evidence)


# --- combining -------------------------------------------------------------------------------------------

def assess(country, *, incidents=(), bills=(), scores=(), trend_calls=(), as_of, config=DEFAULT, baseline=None,
           index_change=None):
    """All signals for one country and their weighted sum (`baseline`: see violation_surge)."""
    signals = (
        violation_surge(incidents, as_of=as_of, config=config, baseline=baseline),
        legislative_threat(bills, as_of=as_of, config=config),
        severe_events(incidents, as_of=as_of, config=config),
        score_momentum(scores, as_of=as_of, config=config),
        partner_trend(trend_calls, config=config),
        index_changes(index_change, config=config),
    )
    contributions = [config.weights[s.name] * s.value for s in signals]
    # Rounded so that equal inputs reached by different float paths tie exactly in rank().
    risk = round(math.fsum(contributions), 6)
    strongest = sorted((i for i, s in enumerate(signals) if s.value > 0), key=lambda i: (-contributions[i], i))
    return Candidate(country, risk, signals, tuple(signals[i].explanation for i in strongest))


def assess_all(facts, *, as_of, config=DEFAULT):
    """Every country's candidate, ranked (see rank): `facts` maps a country code to its CountryFacts."""
    return rank(assess(code, incidents=f.incidents, bills=f.bills, scores=f.scores, trend_calls=f.trend_calls,
                       baseline=f.baseline, index_change=f.index_change, as_of=as_of, config=config)
                for code, f in facts.items())


def rank(candidates):
    """Highest risk first; equal risks by country code. One candidate per country."""
    candidates = list(candidates)
    codes = [c.country for c in candidates]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"more than one candidate for {', '.join(duplicates)}")
    return sorted(candidates, key=lambda c: (-c.risk, c.country))
