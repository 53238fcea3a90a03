"""The guiding score: a weighted combination of evidence streams, a bounded live adjustment, an uncertainty
interval from a seeded simulation, and contributions that add up to the score. Pure Python: no Django import.

Django code gathers a country's inputs into a `ScoreInputs` (plain values, JSON-serialisable), calls
`compute`, and stores both, so any stored score can be recomputed exactly from its stored inputs and version.
"""
import copy
import math
import random
import zlib
from dataclasses import dataclass, field, fields

from .bands import BANDS, SCORE_MAX, SCORE_MIN, band_for_score
from .rebase import rebase
from .transition import Model, Z90, band_probabilities, displayed_band

TREND_VALUE = {"worse": -1.0, "same": 0.0, "better": 1.0}
_ATOMS = (str, int, float, bool, type(None))
_FIELD_NAMES = {}


def _plain(value):
    """dataclasses.asdict's result (dataclasses to dicts, lists, tuples and dicts rebuilt, other values
    copied), without its generic work per value: every country's inputs and result are serialised on each
    recomputation, and asdict took longer than computing the scores."""
    if isinstance(value, _ATOMS):
        return value
    names = _FIELD_NAMES.get(type(value))
    if names is None and hasattr(type(value), "__dataclass_fields__"):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if type(value) in (list, tuple):
        return type(value)(_plain(v) for v in value)
    if type(value) is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    return copy.deepcopy(value)


class NoEvidence(ValueError):
    """No stream has any input for the country: there is no score, and the product says so."""


@dataclass(frozen=True)
class IndexInput:
    index: str  # code of an IndexRule, e.g. "fh_e"
    value: float  # on the index's own scale
    edition_year: int | None = None
    events_year: int | None = None
    source: str = ""  # provenance: file and line, or URL


@dataclass(frozen=True)
class FormInput:
    """One coded assessment (partner or in-house analysis): answers on the form's scale per question."""
    stream: str  # "partner" or "inhouse"
    answers: dict  # question code -> int
    reference: str = ""  # e.g. "assessment 12 by IPHR, period ending 2026-10-31"


@dataclass(frozen=True)
class LiveEvidence:
    """Verified incidents and partner trend calls since the last edition, against the country's own baseline."""
    period_start: str
    period_end: str
    weighted_incidents: float = 0.0  # severity-weighted violations in the period
    expected_incidents: float = 0.0  # the same, expected from the country's baseline rate over the period
    positive_incidents: int = 0
    trend_calls: tuple = ()  # "worse" / "same" / "better"


@dataclass(frozen=True)
class ScoreInputs:
    country: str
    as_of: str  # ISO date
    indices: tuple = ()
    forms: tuple = ()
    live: LiveEvidence | None = None
    # The last published score before `as_of` (the band's midpoint when only the rating was published): the
    # "published" stream, used by versions that weigh it (the calibration shows how much the record carries).
    previous_score: float | None = None
    previous_source: str = ""
    # Transition versions: the published rating carried by `previous_score` (the band hysteresis keeps it),
    # and the index values that were behind the previous edition (the deltas are taken against them).
    previous_band: str | None = None
    previous_indices: tuple = ()

    def to_json(self):
        return _plain(self)

    @classmethod
    def from_json(cls, data):
        live = data.get("live")
        return cls(
            country=data["country"], as_of=data["as_of"],
            indices=tuple(IndexInput(**i) for i in data.get("indices", ())),
            forms=tuple(FormInput(**f) for f in data.get("forms", ())),
            live=LiveEvidence(**{**live, "trend_calls": tuple(live.get("trend_calls", ()))}) if live else None,
            previous_score=data.get("previous_score"), previous_source=data.get("previous_source", ""),
            previous_band=data.get("previous_band"),
            previous_indices=tuple(IndexInput(**i) for i in data.get("previous_indices", ())),
        )


@dataclass(frozen=True)
class Contribution:
    stream: str  # a stream code, "live" or "clipping"
    indicator: str | None
    points: float


@dataclass
class ScoreResult:
    version: str
    country: str
    base: float
    adjustment: float
    guiding: float
    band: str
    stream_scores: dict  # stream -> {"score", "weight" (normalised), "indicators": {indicator: score}}
    missing_streams: list
    contributions: list
    interval: tuple = (None, None)
    interval_level: float = 0.0
    probabilities: dict = field(default_factory=dict)
    index_scores: list = field(default_factory=list)  # [{index, value, rebased, edition_year, events_year}]
    # Transition versions: each term with the weight actually applied, its value and its points (they add up
    # to `guiding`); the band of the raw score; the inputs that were missing; the model's name.
    terms: list = field(default_factory=list)
    score_band: str = ""
    missing_inputs: list = field(default_factory=list)
    model: str = "level"
    hysteresis: float = 0.0
    half_width: float = 0.0  # of the 90% interval before clipping to 1-100
    hysteresis_up: float | None = None  # above the band's upper edge, when the version sets it apart

    @property
    def external_only(self):
        return set(self.stream_scores) == {"external"}

    def to_json(self):
        data = _plain(self)
        data["interval"] = list(self.interval)  # as JSON gives it back, so stored and recomputed compare equal
        if self.hysteresis_up is None:  # versions without it store what they always stored
            del data["hysteresis_up"]
        return data


# --- streams ---------------------------------------------------------------------------------------------

def _mean(values):
    return sum(values) / len(values)


def external_indicator_scores(indices, methodology):
    """{indicator: weighted mean of the rebased indices that measure it} and the rebased value of each index."""
    per_indicator, rebased = {}, []
    for item in indices:
        rule = methodology.indices.get(item.index)
        if rule is None or item.value is None:
            continue
        score = rebase(item.value, rule)
        rebased.append({"index": item.index, "value": item.value, "rebased": score,
                        "edition_year": item.edition_year, "events_year": item.events_year, "source": item.source})
        for indicator in rule.indicators:
            per_indicator.setdefault(indicator, []).append((score, rule.weight))
    means = {}
    for indicator, pairs in per_indicator.items():
        total = sum(w for _, w in pairs)
        if total > 0:
            means[indicator] = sum(s * w for s, w in pairs) / total
    return means, rebased


def form_indicator_scores(forms, methodology):
    """{indicator: score} for one stream's forms: answers averaged per question, then per indicator, rebased
    from the form's scale to 1-100."""
    by_question = {}
    for form in forms:
        for code, answer in form.answers.items():
            if answer is not None:
                by_question.setdefault(code, []).append(float(answer))
    lo, hi = methodology.form_min, methodology.form_max
    per_indicator = {}
    for question in methodology.questions:
        if question.code in by_question:
            per_indicator.setdefault(question.indicator, []).append(_mean(by_question[question.code]))
    return {i: SCORE_MIN + (SCORE_MAX - SCORE_MIN) * (_mean(v) - lo) / (hi - lo) for i, v in per_indicator.items()}


def stream_indicator_scores(inputs, methodology):
    """{stream: {indicator: score}} for every stream that has evidence, and the rebased index values."""
    streams = {}
    external, rebased = external_indicator_scores(inputs.indices, methodology)
    if external:
        streams["external"] = external
    if "published" in methodology.streams and inputs.previous_score is not None:
        streams["published"] = {None: float(inputs.previous_score)}  # one score, not per indicator
    for code in methodology.streams:
        if code in ("external", "published"):
            continue
        scores = form_indicator_scores([f for f in inputs.forms if f.stream == code], methodology)
        if scores:
            streams[code] = scores
    return {code: streams[code] for code in methodology.streams if code in streams}, rebased


def normalised_weights(available, weights):
    """Weights of the available streams re-normalised to sum to 1 (missing streams hand theirs to the rest)."""
    total = sum(weights[s] for s in available)
    if total <= 0:
        raise NoEvidence("every available stream has weight 0")
    return {s: weights[s] / total for s in available}


def live_adjustment(live, methodology):
    """Bounded adjustment (±bound points) from the period's evidence against the country's own baseline."""
    if live is None:
        return 0.0
    rules = methodology.live
    # Only more violations than the baseline push the score down: a quiet period in the records is absence
    # of reports, not evidence of improvement. Improvement comes from positive incidents and trend calls.
    pressure = max(0.0, math.log((live.weighted_incidents + 1.0) / (live.expected_incidents + 1.0)))
    relief = math.log1p(live.positive_incidents) / 2.0
    calls = [TREND_VALUE[c] for c in live.trend_calls if c in TREND_VALUE]
    trend = _mean(calls) if calls else 0.0
    return rules.bound * math.tanh(rules.incident_pressure_weight * (relief - pressure) + rules.trend_weight * trend)


def _clip(score):
    return min(max(score, SCORE_MIN), SCORE_MAX)


# --- the score -------------------------------------------------------------------------------------------

def compute(inputs, methodology, *, simulate_uncertainty=True):
    if methodology.is_transition:
        return compute_transition(inputs, methodology)
    streams, rebased = stream_indicator_scores(inputs, methodology)
    weights = methodology.stream_weights()
    available = [s for s in streams if weights[s] > 0]
    if not available:
        raise NoEvidence(f"{inputs.country}: no evidence in any weighted stream")
    shares = normalised_weights(available, weights)

    contributions, stream_scores, base = [], {}, 0.0
    for stream in available:
        indicators = streams[stream]
        score = _mean(list(indicators.values()))
        stream_scores[stream] = {"score": score, "weight": shares[stream],
                                 "indicators": {k: v for k, v in indicators.items() if k is not None}}
        if None in indicators:  # a stream with one overall score (the previous published score)
            contributions.append(Contribution(stream, None, shares[stream] * score))
            base += shares[stream] * score
            continue
        for indicator in methodology.indicators:
            if indicator in indicators:
                points = shares[stream] * indicators[indicator] / len(indicators)
                contributions.append(Contribution(stream, indicator, points))
                base += points
    adjustment = live_adjustment(inputs.live, methodology)
    if adjustment:
        contributions.append(Contribution("live", None, adjustment))
    guiding = _clip(base + adjustment)
    if guiding != base + adjustment:
        contributions.append(Contribution("clipping", None, guiding - (base + adjustment)))

    result = ScoreResult(
        version=methodology.version, country=inputs.country, base=base, adjustment=adjustment, guiding=guiding,
        band=band_for_score(guiding).code, stream_scores=stream_scores,
        missing_streams=[s for s, w in weights.items() if w > 0 and s not in shares],
        contributions=contributions, index_scores=rebased,
    )
    if simulate_uncertainty:
        result.interval, result.probabilities = simulate(inputs, methodology, stream_scores=stream_scores,
                                                         adjustment=adjustment)
        result.interval_level = methodology.uncertainty.interval
    return result


def compute_all(inputs, methodology, *, simulate_uncertainty=True):
    """Every country at once: {key: ScoreResult, or None when the country has no evidence} for a mapping of
    any key (e.g. a country) to its ScoreInputs; each result is exactly `compute`'s."""
    results = {}
    for key, item in inputs.items():
        try:
            results[key] = compute(item, methodology, simulate_uncertainty=simulate_uncertainty)
        except NoEvidence:
            results[key] = None
    return results


def _rng(methodology, country):
    # One stream of random numbers per country and version: reproducible, and independent of the order in
    # which countries are computed.
    return random.Random(methodology.uncertainty.seed * 1_000_003 + zlib.crc32(country.encode()))


def _quantile(sorted_values, q):
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def simulate(inputs, methodology, *, stream_scores, adjustment):
    """(interval, band probabilities) from draws over stream weights (Dirichlet around the declared weights),
    each stream's measurement error, the missing streams and the live adjustment."""
    unc = methodology.uncertainty
    rng = _rng(methodology, inputs.country)
    weights = methodology.stream_weights()
    total_weight = sum(w for w in weights.values() if w > 0)
    missing_share = sum(w for s, w in weights.items() if w > 0 and s not in stream_scores) / total_weight
    draws = []
    for _ in range(unc.draws):
        raw = {s: rng.gammavariate(unc.weight_concentration * weights[s], 1.0) for s in stream_scores}
        total = sum(raw.values()) or 1.0
        score = sum(raw[s] / total * (v["score"] + rng.gauss(0.0, methodology.streams[s].error_sd))
                    for s, v in stream_scores.items())
        if missing_share:
            score += rng.gauss(0.0, unc.missing_stream_sd * missing_share / (1 - missing_share + 1e-9) ** 0.5)
        score += adjustment * (1.0 + rng.gauss(0.0, unc.live_sd_share))
        draws.append(_clip(score))
    draws.sort()
    tail = (1.0 - unc.interval) / 2.0
    interval = (_quantile(draws, tail), _quantile(draws, 1.0 - tail))
    counts = dict.fromkeys((b.code for b in BANDS), 0)
    for value in draws:
        counts[band_for_score(value).code] += 1
    return interval, {code: n / len(draws) for code, n in counts.items()}


# --- sensitivity -----------------------------------------------------------------------------------------

def sensitivity(inputs_list, methodology):
    """Countries whose band changes when one stream's weight, or one external index's weight within its
    indicators, moves by ±`weight_change` (e.g. ±50%)."""
    change = methodology.sensitivity_weight_change
    report = []
    for inputs in inputs_list:
        try:
            base = compute(inputs, methodology, simulate_uncertainty=False)
        except NoEvidence:
            continue
        variants = [(stream, factor, methodology.with_stream_weights({stream: weight * factor}))
                    for stream, weight in methodology.stream_weights().items() for factor in (1 - change, 1 + change)]
        variants += [(f"external:{code}", factor, methodology.with_index_weight(code, rule.weight * factor))
                     for code, rule in methodology.indices.items() for factor in (1 - change, 1 + change)]
        shifts = []
        for name, factor, varied in variants:
            try:
                other = compute(inputs, varied, simulate_uncertainty=False)
            except NoEvidence:
                continue
            if other.band != base.band:
                shifts.append({"stream": name, "factor": factor, "score": other.guiding, "band": other.band})
        if shifts:
            report.append({"country": inputs.country, "score": base.guiding, "band": base.band, "shifts": shifts})
    return report


# --- the transition model (2026.3 on) --------------------------------------------------------------------

def _rebased_by_index(items, methodology):
    return {i.index: {"index": i.index, "value": i.value, "rebased": rebase(i.value, methodology.indices[i.index]),
                      "edition_year": i.edition_year, "events_year": i.events_year, "source": i.source}
            for i in items if i.index in methodology.indices and i.value is not None}


def transition_features(inputs, methodology):
    """(deltas, levels, rebased rows): per index, the change of the rebased value since the data behind the
    previous edition (absent when either value is missing or no newer value was released) and the level."""
    current = _rebased_by_index(inputs.indices, methodology)
    previous = _rebased_by_index(inputs.previous_indices, methodology)
    deltas, levels = {}, {}
    for code, item in current.items():
        levels[code] = item["rebased"]
        before = previous.get(code)
        if before is not None and (item["edition_year"], item["events_year"]) != (before["edition_year"],
                                                                                  before["events_year"]):
            deltas[code] = item["rebased"] - before["rebased"]
            item["previous_rebased"] = before["rebased"]
            item["previous_events_year"] = before["events_year"]
    return deltas, levels, list(current.values())


def transition_model(methodology):
    fitted = methodology.model["fitted"]
    return Model(intercept=fitted["intercept"], coefficients=dict(fitted["coefficients"]),
                 mean_reversion=fitted["mean_reversion"], level=fitted["level"], sigma=fitted["sigma"],
                 delta_sd=dict(fitted["delta_sd"]), level_gap_sd=fitted["level_gap_sd"],
                 interval_multiplier=fitted["interval_multiplier"], hysteresis=fitted["hysteresis"],
                 hysteresis_up=fitted.get("hysteresis_up"))


def compute_transition(inputs, methodology):
    """guiding = previous + c + sum b_k delta_k + a (implied level - previous) [+ live adjustment], with the
    interval from the calibrated out-of-sample spread (wider for every missing input) and the displayed band
    kept at the published one unless the score is more than h points past its edge."""
    model = transition_model(methodology)
    deltas, levels, rebased = transition_features(inputs, methodology)
    implied = model.implied_level(levels)
    level_weights = model.level["weights"]
    terms = []
    previous = inputs.previous_score
    # Partner and in-house assessments (declared pulls, not calibrated: no assessment is public): each stream
    # present pulls the score a declared share of the way to its own level. They never change the interval.
    pulls = dict((methodology.model.get("assessments") or {}))
    forms = {}
    for stream in pulls:
        scores = form_indicator_scores([f for f in inputs.forms if f.stream == stream], methodology)
        if scores:
            forms[stream] = (scores, _mean(list(scores.values())))
    form_share = sum(pulls[s] for s in forms)
    if previous is None:
        # No published score to start from: the implied level (and any assessments), with the spread of a
        # level guess.
        if implied is None and not forms:
            raise NoEvidence(f"{inputs.country}: no previous published score and no complete set of indices")
        rest = 1.0 - form_share if implied is not None else 0.0
        scale = 1.0 if implied is not None else 1.0 / form_share
        if implied is not None:
            terms.append({"term": "level_intercept", "index": None, "weight": rest,
                          "value": model.level["intercept"], "points": rest * model.level["intercept"]})
            for code, w in level_weights.items():
                terms.append({"term": "level", "index": code, "weight": rest * w, "value": levels[code],
                              "points": rest * w * levels[code]})
        for stream, (_, score) in forms.items():
            terms.append({"term": stream, "index": None, "weight": pulls[stream] * scale, "value": score,
                          "points": pulls[stream] * scale * score})
        spread = math.sqrt(model.sigma ** 2 + model.level_gap_sd ** 2)
        missing = ["previous"] + (["level"] if implied is None else [])
    else:
        a = model.mean_reversion if implied is not None else 0.0
        terms.append({"term": "previous", "index": None, "weight": 1.0 - a - form_share, "value": previous,
                      "points": (1.0 - a - form_share) * previous})
        if implied is not None and a:
            terms.append({"term": "level_intercept", "index": None, "weight": a, "value": model.level["intercept"],
                          "points": a * model.level["intercept"]})
            for code, w in level_weights.items():
                terms.append({"term": "level", "index": code, "weight": a * w, "value": levels[code],
                              "points": a * w * levels[code]})
        for stream, (_, score) in forms.items():
            terms.append({"term": stream, "index": None, "weight": pulls[stream], "value": score,
                          "points": pulls[stream] * score})
        terms.append({"term": "change_intercept", "index": None, "weight": 1.0, "value": model.intercept,
                      "points": model.intercept})
        for code, b in model.coefficients.items():
            if deltas.get(code) is not None and b:
                terms.append({"term": "delta", "index": code, "weight": b, "value": deltas[code],
                              "points": b * deltas[code]})
        missing = [code for code in model.coefficients if deltas.get(code) is None]
        spread = model.spread(missing_deltas=missing, level_missing=implied is None)
        if implied is None:
            missing.append("level")
    adjustment = live_adjustment(inputs.live, methodology)
    if adjustment:
        terms.append({"term": "live", "index": None, "weight": 1.0, "value": adjustment, "points": adjustment})
    raw = sum(t["points"] for t in terms)
    guiding = _clip(raw)
    if guiding != raw:
        terms.append({"term": "clipping", "index": None, "weight": 1.0, "value": guiding - raw,
                      "points": guiding - raw})
    half = model.interval_multiplier * spread
    contributions = [Contribution(t["term"], t["index"], t["points"]) for t in terms]
    stream_scores = {}
    if previous is not None:
        stream_scores["published"] = {"score": previous, "weight": 1.0 - form_share - (
            model.mean_reversion if implied is not None else 0.0), "indicators": {}}
    if implied is not None:
        stream_scores["external"] = {"score": implied, "weight": model.mean_reversion if previous is not None
                                     else 1.0 - form_share, "indicators": {}}
    for stream, (indicators, score) in forms.items():
        stream_scores[stream] = {"score": score, "weight": next(t["weight"] for t in terms if t["term"] == stream),
                                 "indicators": indicators}
    return ScoreResult(
        version=methodology.version, country=inputs.country, base=raw - adjustment, adjustment=adjustment,
        guiding=guiding, band=displayed_band(guiding, inputs.previous_band, model.hysteresis, model.hysteresis_up),
        stream_scores=stream_scores, missing_streams=[], contributions=contributions,
        interval=(_clip(guiding - half), _clip(guiding + half)), interval_level=0.9,
        probabilities=band_probabilities(guiding, max(half / Z90, 1e-6)), index_scores=rebased,
        terms=terms, score_band=band_for_score(guiding).code, missing_inputs=missing, model="transition",
        hysteresis=model.hysteresis, half_width=half, hysteresis_up=model.hysteresis_up)


def proposal_due(guiding, published_rating, hysteresis, hysteresis_up=None):
    """The band a proposal should move to, or None: the score must lie in another band *and* more than the
    hysteresis past the nearest edge of the published band (`hysteresis_up` above it, when the version sets
    one), so scores hovering at an edge do not open a proposal every time: the guiding band's rule itself."""
    shown = displayed_band(guiding, published_rating, hysteresis, hysteresis_up)
    return None if shown == published_rating else shown
