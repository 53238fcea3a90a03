"""Weights and windows of the watchlist signals. Changing any value means a new `version`."""
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(mapping):
    # Read-only so that nobody can change DEFAULT (shared by every caller) by accident.
    return field(default_factory=lambda: MappingProxyType(dict(mapping)), hash=False)


_SEVERITY = {
    "journalist_killed": 5.0, "hrd_killed": 5.0, "protesters_killed": 5.0,
    "liquidation": 4.0, "internet_shutdown": 4.0,
    "journalist_detained": 3.0, "hrd_detained": 3.0, "excessive_force": 3.0, "foreign_agent_designation": 3.0,
    "protesters_detained": 2.0, "raid_search": 2.0, "office_sealed": 2.0, "restrictive_law": 2.0,
    "negative_court_ruling": 2.0, "legal_harassment": 2.0, "travel_ban": 2.0, "surveillance": 2.0,
    "censorship": 2.0,
    # Positive developments are recorded as incidents too, but they are not violations.
    "positive_court_ruling": 0.0, "release": 0.0, "positive_law_change": 0.0, "registration_restored": 0.0,
    "acquittal": 0.0, "protest_facilitated": 0.0,
}

_CATEGORY_WEIGHT = {
    "foreign_agent": 1.0, "ngo": 0.9, "media": 0.8, "protest": 0.8, "internet": 0.8, "terrorism": 0.7,
    "defamation": 0.6, "other": 0.5,
}

_STAGE_PROXIMITY = {
    "drafted": 0.1, "introduced": 0.2, "committee": 0.3, "first_reading": 0.4, "second_reading": 0.6,
    "third_reading": 0.8, "passed_legislature": 0.85, "passed_upper_chamber": 0.9, "sent_to_head_of_state": 0.95,
    "vetoed": 0.5, "signed": 1.0, "veto_overridden": 1.0, "published": 1.0, "in_force": 1.0, "amended": 0.7,
    "withdrawn": 0.0, "lapsed": 0.0, "struck_down": 0.0, "repealed": 0.0,
}

_WEIGHTS = {
    "violation_surge": 0.35, "legislative_threat": 0.25, "severe_events": 0.25, "score_momentum": 0.10,
    "partner_trend": 0.05,
    # 2026.2: the transition methodology's index changes, at score momentum's weight (the weight its backtest
    # admitted it with: selectors.signals_backtest); the other weights are unchanged, so rankings without
    # index changes stay as they were.
    "index_changes": 0.10,
}


@dataclass(frozen=True)
class SignalConfig:
    version: str = "2026.2"

    # Violation surge
    surge_window_days: int = 90
    baseline_days: int = 365
    surge_alpha: float = 0.05  # one-sided Poisson test
    baseline_floor_per_window: float = 0.5  # minimum expected severity-weighted count per window
    # The test runs on severity-weighted counts, so one killing (weight 5) in a quiet country would be
    # "significant" on its own; a surge needs at least this many incidents. Single severe incidents are
    # caught by severe_events instead.
    surge_min_incidents: int = 2
    severity: MappingProxyType = _frozen(_SEVERITY)
    unknown_severity: float = 1.0  # for codes not in `severity`, and for incidents without a type

    # Severe events (counted over the surge window)
    severe_types: frozenset = frozenset(
        {"liquidation", "internet_shutdown", "journalist_killed", "hrd_killed", "protesters_killed"})
    mass_detention_types: frozenset = frozenset({"journalist_detained", "hrd_detained", "protesters_detained"})
    mass_detention_min_victims: int = 5

    # Partner trend calls: those whose period ends in this many days before the target date
    trend_window_days: int = 180

    # Legislative threat
    legislative_window_days: int = 180
    category_weight: MappingProxyType = _frozen(_CATEGORY_WEIGHT)
    stage_proximity: MappingProxyType = _frozen(_STAGE_PROXIMITY)
    mixed_factor: float = 0.5  # a mixed bill counts at this fraction of a restrictive one

    # Score momentum. A score falls into the lower band once it drops below a boundary (scores are
    # rounded half up: 40.5 is obstructed, 40.49 repressed).
    band_boundaries: tuple = (20.5, 40.5, 60.5, 80.5)
    band_names: tuple = ("closed", "repressed", "obstructed", "narrowed", "open")  # lowest first
    momentum_full_drop: float = 10.0  # a drop of this many points gives the full drop part
    momentum_drop_share: float = 0.7
    momentum_edge_points: float = 3.0  # closer than this to the boundary below earns the edge bonus
    momentum_edge_bonus: float = 0.3

    # Combining
    weights: MappingProxyType = _frozen(_WEIGHTS)


DEFAULT = SignalConfig()
