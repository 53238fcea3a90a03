"""Methodology versions are data: one JSON file per version in `versions/`, loaded into frozen dataclasses.

Changing a weight, a rule, a bound or a band means a new version file with a changelog entry; every stored
score records the version that produced it, so any past score can be recomputed with the same numbers.
Pure Python: no Django import.
"""
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

VERSIONS_DIR = Path(__file__).with_name("versions")
ACTIVE_VERSION = "2026.5"
TRANSFORMS = ("linear", "logistic")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Stream:
    code: str
    weight: float
    error_sd: float  # the stream's assumed measurement error, in score points
    national: bool


@dataclass(frozen=True)
class IndexRule:
    """How one external index is rebased to 1-100 and which indicators it measures."""
    code: str
    publisher: str
    name: str
    url: str
    transform: str  # linear between min and max, or logistic around location/scale (latent scales)
    indicators: tuple
    higher_is_freer: bool = True
    min: float | None = None
    max: float | None = None
    location: float = 0.0
    scale: float = 1.0
    weight: float = 1.0  # relative weight among the indices measuring the same indicator
    year: str = "edition"  # which year the source's own `year` column means: edition or events
    available: str = ""  # the release rule in words, for the methodology page
    # When a value became public: 1st of `month` in (edition or events year) + add_years.
    release: MappingProxyType = field(
        default_factory=lambda: MappingProxyType({"year": "edition", "add_years": 0, "month": 1}), hash=False)
    file: str = ""  # the copy in data/reference/indices
    columns: tuple = ()  # the value column, or several whose mean is the value (PTS's three codings)
    # Transition versions: a value whose events are more than `max_age_years` old counts as missing (None:
    # the version's max_input_age_years), and no value of the copy counts before its vintage was public.
    max_age_years: int | None = None
    vintage: str = ""  # e.g. "V-Dem v15"
    vintage_public_from: str = ""  # ISO date; "" when every value counts from its own release date
    # The name, publisher and release rule in the five languages: {"name": {"en": ..., "ru": ...}, ...}.
    texts: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def text(self, key, lang):
        """`name`, `publisher` or `available` in the language (the English field when it has no translation)."""
        return (self.texts.get(key) or {}).get(lang) or getattr(self, key)

    def available_from(self, *, edition_year, events_year):
        """(year, month) from which a value was public, by the declared release rule."""
        base = edition_year if self.release["year"] == "edition" else events_year
        return base + int(self.release["add_years"]), int(self.release["month"])


@dataclass(frozen=True)
class LiveRules:
    bound: float
    incident_pressure_weight: float
    trend_weight: float
    baseline_days: int
    positive_types: frozenset


@dataclass(frozen=True)
class Uncertainty:
    draws: int
    interval: float
    seed: int
    weight_concentration: float
    missing_stream_sd: float
    live_sd_share: float


@dataclass(frozen=True)
class DecisionRules:
    hysteresis: float  # how far (points) past a band edge the score must be before a proposal opens
    quorum: int
    majority: float  # share of agree votes among agree + disagree that carries a proposal
    hysteresis_up: float | None = None  # above the band's upper edge, when the version sets it apart


@dataclass(frozen=True)
class Question:
    code: str
    indicator: str
    text: MappingProxyType


@dataclass(frozen=True)
class Methodology:
    version: str
    released: str
    indicators: tuple
    streams: MappingProxyType  # code -> Stream, in declared order
    indices: MappingProxyType  # code -> IndexRule
    max_input_age_years: int
    live: LiveRules
    uncertainty: Uncertainty
    sensitivity_weight_change: float
    decisions: DecisionRules
    form_min: int
    form_max: int
    answers: MappingProxyType  # "0".."4" -> {lang: label}
    questions: tuple
    changelog: tuple
    raw: MappingProxyType  # the version file as loaded, for the public page and the export
    # The transition model (2026.3 on): {"kind": "transition", "delta_indices", "level_indices", "signs",
    # "grid", "fitted": {...}, "calibration": {...}}; None for the level model of older versions.
    model: MappingProxyType | None = None
    # What the population figures' source notes say, in five languages: {note: {lang: text}}.
    population_sources: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def population_source(self, note, lang):
        """A population figure's source note (e.g. "World Bank SP.POP.TOTL") in the language."""
        return (self.population_sources.get(note) or {}).get(lang) or note

    @property
    def is_transition(self):
        return self.model is not None and self.model.get("kind") == "transition"

    def max_age(self, code):
        rule = self.indices[code]
        return rule.max_age_years if rule.max_age_years is not None else self.max_input_age_years

    def stream_weights(self):
        return {code: s.weight for code, s in self.streams.items()}

    def with_index_weight(self, code, weight):
        """A copy with one external index weighted differently within its indicators (sensitivity runs)."""
        from dataclasses import replace
        indices = dict(self.indices)
        indices[code] = replace(indices[code], weight=float(weight))
        return _replace(self, indices=MappingProxyType(indices))

    def with_stream_weights(self, weights):
        """A copy with other stream weights (for sensitivity runs and calibration); same version label."""
        streams = {code: Stream(code, float(weights.get(code, s.weight)), s.error_sd, s.national)
                   for code, s in self.streams.items()}
        return _replace(self, streams=MappingProxyType(streams))


def _replace(methodology, **changes):
    from dataclasses import replace
    return replace(methodology, **changes)


def parse(data):
    """Build a Methodology from a version's dict, checking it; ConfigError names the bad key."""
    try:
        indicators = tuple(data["indicators"])
        streams = {code: Stream(code, float(s["weight"]), float(s["error_sd"]), bool(s["national"]))
                   for code, s in data["streams"].items()}
        indices = {}
        for code, rule in data["indices"].items():
            fields = {k: v for k, v in rule.items() if k in IndexRule.__dataclass_fields__}
            fields["indicators"] = tuple(rule["indicators"])
            fields["columns"] = tuple(rule.get("columns", ()))
            if "release" in rule:
                fields["release"] = MappingProxyType(dict(rule["release"]))
            if "texts" in rule:
                fields["texts"] = MappingProxyType({k: MappingProxyType(dict(v)) for k, v in rule["texts"].items()})
            indices[code] = IndexRule(code=code, **fields)
        live, unc, dec, form = data["live"], data["uncertainty"], data["decisions"], data["form"]
        methodology = Methodology(
            version=str(data["version"]),
            released=str(data["released"]),
            indicators=indicators,
            streams=MappingProxyType(streams),
            indices=MappingProxyType(indices),
            max_input_age_years=int(data["max_input_age_years"]),
            live=LiveRules(float(live["bound"]), float(live["incident_pressure_weight"]),
                           float(live["trend_weight"]), int(live["baseline_days"]),
                           frozenset(live["positive_types"])),
            uncertainty=Uncertainty(int(unc["draws"]), float(unc["interval"]), int(unc["seed"]),
                                    float(unc["weight_concentration"]), float(unc["missing_stream_sd"]),
                                    float(unc["live_sd_share"])),
            sensitivity_weight_change=float(data["sensitivity"]["weight_change"]),
            decisions=DecisionRules(float(dec["hysteresis"]), int(dec["quorum"]), float(dec["majority"]),
                                    None if dec.get("hysteresis_up") is None else float(dec["hysteresis_up"])),
            form_min=int(form["scale"]["min"]),
            form_max=int(form["scale"]["max"]),
            answers=MappingProxyType(form["answers"]),
            questions=tuple(Question(q["code"], q["indicator"], MappingProxyType(q["text"]))
                            for q in form["questions"]),
            changelog=tuple(data["changelog"]),
            raw=MappingProxyType(data),
            model=MappingProxyType(data["model"]) if data.get("model") else None,
            population_sources=MappingProxyType(
                {k: MappingProxyType(dict(v)) for k, v in (data.get("population_sources") or {}).items()}),
        )
    except KeyError as missing:
        raise ConfigError(f"methodology version is missing the key {missing}") from None
    _check(methodology)
    return methodology


def _check(m):
    if any(s.weight < 0 for s in m.streams.values()):
        raise ConfigError("streams: weights must not be negative")
    if sum(s.weight for s in m.streams.values()) <= 0:
        raise ConfigError("streams: at least one weight must be positive")
    for rule in m.indices.values():
        if rule.weight < 0:
            raise ConfigError(f"indices.{rule.code}.weight: must not be negative")
        if rule.transform not in TRANSFORMS:
            raise ConfigError(f"indices.{rule.code}.transform: '{rule.transform}' is not one of {TRANSFORMS}")
        if rule.transform == "linear" and (rule.min is None or rule.max is None or rule.max <= rule.min):
            raise ConfigError(f"indices.{rule.code}: a linear rule needs min < max")
        if rule.transform == "logistic" and rule.scale <= 0:
            raise ConfigError(f"indices.{rule.code}.scale: must be positive")
        unknown = set(rule.indicators) - set(m.indicators)
        if unknown:
            raise ConfigError(f"indices.{rule.code}.indicators: unknown {sorted(unknown)}")
    for q in m.questions:
        if q.indicator not in m.indicators:
            raise ConfigError(f"form.questions.{q.code}.indicator: unknown '{q.indicator}'")
    if not 0 < m.uncertainty.interval < 1:
        raise ConfigError("uncertainty.interval: must be between 0 and 1")
    if m.decisions.hysteresis_up is not None and m.decisions.hysteresis_up < 0:
        raise ConfigError("decisions.hysteresis_up: must not be negative")
    if m.live.bound < 0:
        raise ConfigError("live.bound: must not be negative")
    if m.model is not None:
        if m.model.get("kind") != "transition":
            raise ConfigError(f"model.kind: '{m.model.get('kind')}' is not 'transition'")
        for key in ("delta_indices", "level_indices", "signs", "grid", "fitted"):
            if key not in m.model:
                raise ConfigError(f"model: missing the key '{key}'")
        for code in [*m.model["delta_indices"], *m.model["level_indices"]]:
            if code not in m.indices:
                raise ConfigError(f"model: unknown index '{code}'")
        for stream, share in (m.model.get("assessments") or {}).items():
            if stream not in m.streams or not 0 <= share <= 1:
                raise ConfigError(f"model.assessments.{stream}: must be a stream with a share between 0 and 1")
        for code, sign in m.model["signs"].items():
            if sign not in ("+", "-", ""):
                raise ConfigError(f"model.signs.{code}: '{sign}' is not '+', '-' or ''")
    if not m.changelog or m.changelog[-1]["version"] != m.version:
        raise ConfigError("changelog: the last entry must describe this version")


@lru_cache(maxsize=None)
def load(version=ACTIVE_VERSION):
    path = VERSIONS_DIR / f"{version}.json"
    if not path.is_file():
        raise ConfigError(f"no methodology version '{version}' (looked for {path.name})")
    return parse(json.loads(path.read_text(encoding="utf-8")))


def available_versions():
    return sorted(p.stem for p in VERSIONS_DIR.glob("*.json"))
