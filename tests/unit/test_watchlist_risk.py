"""Watchlist early-warning signals, from hand-made series (pure Python: no database)."""
import ast
import dataclasses
import math
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicspace.methodology.bands import rating_for_score
from civicspace.watchlist import risk
from civicspace.watchlist.config import DEFAULT
from civicspace.watchlist.risk import (
    BillFact, Candidate, IncidentFact, ScoreFact, assess, legislative_threat, partner_trend, poisson_tail, rank,
    score_momentum, severe_events, violation_surge,
)

AS_OF = date(2025, 6, 30)


def ago(days):
    return AS_OF - timedelta(days=days)


def incident(days_ago, *types, victims=0, label=""):
    return IncidentFact(ago(days_ago), tuple(types), victims, label)


def monthly_raids(months=15):
    """One raid a month, every month: 3 in the surge window, 12 in the year before it."""
    return [incident(15 + 30 * i, "raid_search", label=f"raid {i}") for i in range(months)]


def p_value(explanation):
    match = re.search(r"p([<=])([0-9.e-]+)", explanation)
    assert match, explanation
    return float(match.group(2))


# --- violation surge -------------------------------------------------------------------------------------

def test_a_steady_rate_is_not_a_surge():
    surge = violation_surge(monthly_raids(), as_of=AS_OF)
    assert surge.value == 0
    assert "no significant surge" in surge.explanation
    assert p_value(surge.explanation) > 0.05
    assert surge.evidence == ("raid 0", "raid 1", "raid 2")  # only the incidents in the window


def test_severe_incidents_on_top_of_a_steady_baseline_are_a_surge():
    series = monthly_raids() + [incident(3 * i, "protesters_killed", label=f"killing {i}") for i in range(8)]
    surge = violation_surge(series, as_of=AS_OF)
    assert surge.value > 0
    assert p_value(surge.explanation) < 0.05
    assert surge.explanation.startswith("46.0 weighted violations in the last 90 days against 5.9 expected")
    assert len(surge.evidence) == 10 and surge.evidence[0] == "killing 0"  # most severe, newest first


def test_a_moderate_surge_gets_a_value_between_0_and_1():
    series = monthly_raids() + [incident(3 * i, "raid_search") for i in range(4)]
    surge = violation_surge(series, as_of=AS_OF)
    expected = 24 * 90 / 365
    assert surge.value == pytest.approx((14 / expected - 1) / 4)
    assert 0 < surge.value < 1


@pytest.mark.parametrize("kind", ["raid_search", "journalist_detained", "journalist_killed", "liquidation"])
def test_one_incident_in_a_quiet_country_is_not_a_surge(kind):
    surge = violation_surge([incident(10, kind)], as_of=AS_OF)
    assert surge.value == 0
    assert "only 1 violation" in surge.explanation


def test_without_the_minimum_count_one_killing_would_pass_the_weighted_test():
    """Why surge_min_incidents exists: weight 5 against the 0.5 floor gives p < 0.001."""
    literal = dataclasses.replace(DEFAULT, surge_min_incidents=1)
    assert violation_surge([incident(10, "journalist_killed")], as_of=AS_OF, config=literal).value > 0


def test_six_detentions_of_journalists_in_a_quiet_country_are_a_surge():
    series = [incident(5 * i, "journalist_detained", victims=1) for i in range(6)]
    surge = violation_surge(series, as_of=AS_OF)
    assert surge.value == 1  # 18 against the floor of 0.5
    assert p_value(surge.explanation) < 0.05


def test_surge_ignores_positive_developments_and_the_future():
    quiet = [incident(10, "release"), incident(20, "acquittal"), incident(-5, "journalist_killed"),
             incident(-6, "journalist_killed")]
    surge = violation_surge(quiet, as_of=AS_OF)
    assert surge.value == 0 and surge.evidence == ()


def test_an_incident_weighs_as_its_most_severe_type_not_the_sum():
    assert risk.incident_weight(incident(1, "raid_search", "office_sealed", "hrd_killed")) == 5
    assert risk.incident_weight(incident(1, "some_new_code")) == 1
    assert risk.incident_weight(incident(1, "release")) == 0
    assert risk.incident_weight(incident(1)) == 1  # an untyped incident still counts


def test_the_surge_window_ends_90_days_back_and_the_baseline_starts_there():
    surge = violation_surge([incident(89, "raid_search", label="in"), incident(90, "raid_search", label="out"),
                             incident(454, "raid_search", label="baseline"), incident(455, "raid_search")],
                            as_of=AS_OF)
    assert surge.evidence == ("in",)
    assert "(2.0 weighted vs 1.0 expected)" in surge.explanation  # 4.0 in the baseline year, 455 days is out


def test_poisson_tail_matches_closed_forms():
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 0.5) == pytest.approx(1 - math.exp(-0.5))
    assert poisson_tail(3, 0.5) == pytest.approx(1 - math.exp(-0.5) * (1 + 0.5 + 0.125))
    # Far in the tail the first term dominates; 1 - cdf would have returned 0.
    first = math.exp(-0.5) * 0.5 ** 40 / math.factorial(40)
    assert poisson_tail(40, 0.5) == pytest.approx(first, rel=0.02)
    assert poisson_tail(40, 0.5) > 0


@given(st.integers(0, 60), st.floats(0.1, 50))
def test_poisson_tail_is_a_probability_falling_with_k(k, lam):
    assert 0 <= poisson_tail(k + 1, lam) <= poisson_tail(k, lam) <= 1


# --- legislative threat ----------------------------------------------------------------------------------

def bill(category="foreign_agent", direction="restrictive", stage="second_reading", days_ago=30, title="Bill"):
    return BillFact(title, category, direction, stage, ago(days_ago) if days_ago is not None else None)


def threat(*bills):
    return legislative_threat(bills, as_of=AS_OF).value


def test_a_moving_foreign_agent_bill_outweighs_a_stalled_one_and_a_media_bill_in_committee():
    moving = threat(bill())
    assert moving == pytest.approx(0.6)
    assert threat(bill(days_ago=400)) == 0
    assert threat(bill(days_ago=None)) == 0
    assert moving > threat(bill(category="media", stage="committee")) == pytest.approx(0.24)


def test_enabling_and_ended_bills_do_not_count_and_mixed_counts_half():
    assert threat(bill(direction="enabling")) == 0
    for stage in ("withdrawn", "lapsed", "struck_down", "repealed"):
        assert threat(bill(stage=stage)) == 0
    assert threat(bill(direction="mixed")) == pytest.approx(threat(bill()) / 2)


def test_the_legislative_window_ends_180_days_back():
    assert threat(bill(days_ago=179)) > 0
    assert threat(bill(days_ago=180)) == 0


def test_legislative_threat_is_capped_and_names_the_bills():
    signal = legislative_threat([bill(stage="signed", title="Foreign representatives law"),
                                 bill(category="media", stage="committee", title="Mass media law")], as_of=AS_OF)
    assert signal.value == 1
    assert "Foreign representatives law (signed, 30 days ago)" in signal.explanation
    assert "Mass media law (committee" in signal.explanation
    assert signal.evidence[0] == f"Foreign representatives law: signed on {ago(30).isoformat()}"


# --- severe events ---------------------------------------------------------------------------------------

def test_a_liquidation_and_a_mass_detention_of_journalists_make_two_severe_events():
    signal = severe_events([incident(10, "liquidation", label="liquidation of Bir Duino"),
                            incident(40, "journalist_detained", victims=11, label="11 journalists detained")],
                           as_of=AS_OF)
    assert signal.value == 1
    assert signal.explanation == "2 severe events in the last 90 days (liquidation, mass detention of journalists)"
    assert signal.evidence == ("liquidation of Bir Duino", "11 journalists detained")


def test_detaining_two_journalists_is_not_severe_and_five_is():
    assert severe_events([incident(10, "journalist_detained", victims=2)], as_of=AS_OF).value == 0
    assert severe_events([incident(10, "protesters_detained", victims=5)], as_of=AS_OF).value == 0.5
    assert severe_events([incident(10, "raid_search", victims=30)], as_of=AS_OF).value == 0


def test_severe_events_outside_the_window_do_not_count():
    assert severe_events([incident(90, "journalist_killed"), incident(-1, "hrd_killed")], as_of=AS_OF).value == 0


# --- score momentum --------------------------------------------------------------------------------------

KYRGYZSTAN = [ScoreFact(date(2023, 12, 1), 39.67), ScoreFact(date(2024, 12, 1), 36.0),
              ScoreFact(date(2025, 12, 1), 32.19)]


def test_kyrgyzstans_falling_scores_give_momentum():
    signal = score_momentum(list(reversed(KYRGYZSTAN)))  # the order given does not matter
    assert signal.value == pytest.approx(0.381 * 0.7)  # 3.81 points down; 11.69 above 20.5, no edge bonus
    assert signal.explanation.startswith("score fell 3.81 points (36 to 32.19)")


def test_a_rising_series_gets_only_the_edge_bonus_or_nothing():
    far = [ScoreFact(date(2023, 12, 1), 30.0), ScoreFact(date(2024, 12, 1), 35.0)]
    near = [ScoreFact(date(2023, 12, 1), 35.0), ScoreFact(date(2024, 12, 1), 41.0)]
    assert score_momentum(far).value == 0
    assert score_momentum(near).value == pytest.approx(0.3)


def test_just_above_a_boundary_gets_the_edge_bonus():
    assert score_momentum([ScoreFact(date(2025, 12, 1), 40.6)]).value == pytest.approx(0.3)
    assert score_momentum([ScoreFact(date(2025, 12, 1), 40.5)]).value == pytest.approx(0.3)
    assert score_momentum([ScoreFact(date(2025, 12, 1), 40.4)]).value == 0  # already repressed, 19.9 above closed


def test_a_closed_country_gets_no_edge_bonus_and_no_scores_give_nothing():
    signal = score_momentum([ScoreFact(date(2025, 12, 1), 15.0)])
    assert signal.value == 0 and "already in the lowest band" in signal.explanation
    assert score_momentum([]) == risk.Signal("score_momentum", 0.0, "no published scores", ())


def test_a_large_drop_is_capped():
    drop = [ScoreFact(date(2024, 12, 1), 50.0), ScoreFact(date(2025, 12, 1), 30.0)]
    assert score_momentum(drop).value == pytest.approx(0.7)


def test_scores_published_after_as_of_are_ignored():
    assert score_momentum(KYRGYZSTAN, as_of=date(2025, 1, 1)).value == pytest.approx(0.367 * 0.7)


def test_band_boundaries_agree_with_the_published_band_rule():
    for i, boundary in enumerate(DEFAULT.band_boundaries):
        assert rating_for_score(boundary) == DEFAULT.band_names[i + 1]
        assert rating_for_score(round(boundary - 0.01, 2)) == DEFAULT.band_names[i]


# --- partner trend ---------------------------------------------------------------------------------------

def test_trend_calls():
    assert partner_trend(["worse", "worse", "same", "better"]).value == pytest.approx(0.25)
    assert partner_trend(["worse"] * 3).value == 1
    assert partner_trend(["better", "better", "worse"]).value == 0
    signal = partner_trend([])
    assert signal.value == 0 and signal.explanation == "no trend calls recorded"
    with pytest.raises(ValueError):
        partner_trend(["Worse"])


def test_index_changes_count_a_predicted_fall_like_score_momentum_counts_a_fall():
    fall = risk.IndexChange(points=-2.5, parts=(("rsf", -1.75), ("fh_e", -0.75), ("pts", 0.0)))
    signal = risk.index_changes(fall)
    assert signal.value == pytest.approx(2.5 / DEFAULT.momentum_full_drop)
    assert signal.explanation == "external indices predict -2.50 points for the score (rsf -1.75, fh_e -0.75)"
    assert signal.evidence == ("rsf: -1.75 points", "fh_e: -0.75 points")  # an index that did not move is not named
    assert risk.index_changes(risk.IndexChange(points=1.2, parts=(("rsf", 1.2),))).value == 0  # a rise: no risk
    assert risk.index_changes(risk.IndexChange(points=-40.0, parts=(("rsf", -40.0),))).value == 1  # capped
    unknown = risk.index_changes(None)
    assert unknown.value == 0 and unknown.explanation == "no change of the external indices known"


def test_the_index_changes_weigh_as_configured_and_nothing_without_their_weight():
    fall = risk.IndexChange(points=-5.0, parts=(("fh_e", -5.0),))
    base = assess("XX", scores=[ScoreFact(date(2025, 1, 1), 90.0)], as_of=AS_OF)
    with_fall = assess("XX", scores=[ScoreFact(date(2025, 1, 1), 90.0)], as_of=AS_OF, index_change=fall)
    assert with_fall.risk == pytest.approx(base.risk + DEFAULT.weights["index_changes"] * 0.5)
    assert with_fall.reasons == ("external indices predict -5.00 points for the score (fh_e -5.00)",)
    unweighted = dataclasses.replace(DEFAULT, weights={**DEFAULT.weights, "index_changes": 0.0})
    assert assess("XX", scores=[ScoreFact(date(2025, 1, 1), 90.0)], as_of=AS_OF, index_change=fall,
                  config=unweighted).risk == base.risk


# --- assess and rank -------------------------------------------------------------------------------------

def test_assess_combines_the_weighted_signals_strongest_reason_first():
    candidate = assess("KG", incidents=[incident(10, "liquidation"),
                                        incident(40, "journalist_detained", victims=11)],
                       bills=[bill(stage="signed")], scores=KYRGYZSTAN, trend_calls=["worse", "same"], as_of=AS_OF)
    assert [s.name for s in candidate.signals] == list(risk.SIGNAL_ORDER)
    assert candidate.risk == pytest.approx(sum(DEFAULT.weights[s.name] * s.value for s in candidate.signals))
    values = {s.name: s.value for s in candidate.signals}
    # surge: 7.0 against the 0.5 floor, capped at 1; legislative 1; severe 1; trend .5; momentum from
    # 39.67 -> 36.0 (the 2025 score is published after as_of)
    assert values["violation_surge"] == 1
    assert values["score_momentum"] == pytest.approx(0.367 * 0.7)
    assert candidate.risk == pytest.approx(0.35 + 0.25 + 0.25 + 0.1 * 0.2569 + 0.05 * 0.5)
    by_name = {s.name: s.explanation for s in candidate.signals}
    assert candidate.reasons == tuple(by_name[n] for n in ("violation_surge", "legislative_threat",
                                                           "severe_events", "score_momentum", "partner_trend"))
    assert values["index_changes"] == 0  # no index change given


def test_assess_gives_reasons_only_for_signals_that_fired():
    candidate = assess("NO", incidents=[], bills=[], scores=[ScoreFact(date(2025, 1, 1), 90.0)],
                       trend_calls=["same"], as_of=AS_OF)
    assert candidate.risk == 0 and candidate.reasons == ()


def cand(country, risk):
    return Candidate(country, risk, (), ())


def test_rank_breaks_ties_by_country_code():
    ranked = rank([cand("UZ", 0.5), cand("KG", 0.7), cand("AZ", 0.5), cand("BY", 0.5)])
    assert [c.country for c in ranked] == ["KG", "AZ", "BY", "UZ"]
    with pytest.raises(ValueError):
        rank([cand("KG", 0.5), cand("KG", 0.6)])


@given(st.lists(st.tuples(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
                          st.sampled_from([0.0, 0.1, 0.25, 0.25, 0.5, 1.0])),
                unique_by=lambda t: t[0], max_size=12), st.data())
def test_the_ranking_does_not_depend_on_input_order(rows, data):
    candidates = [cand(code, risk) for code, risk in rows]
    shuffled = data.draw(st.permutations(candidates))
    assert rank(shuffled) == rank(candidates)


TYPE_CODES = sorted(DEFAULT.severity) + ["unknown_code"]
incident_types = st.lists(st.sampled_from(TYPE_CODES), max_size=3).map(tuple)


def incidents_between(low, high):
    return st.builds(lambda days, types, victims: IncidentFact(ago(days), types, victims),
                     st.integers(low, high), incident_types, st.integers(0, 15))


def risk_of(incidents, bills, trend_calls):
    return assess("KG", incidents=incidents, bills=bills, scores=KYRGYZSTAN, trend_calls=trend_calls,
                  as_of=AS_OF).risk


small_history = dict(
    incidents=st.lists(incidents_between(-30, 500), max_size=25),
    bills=st.lists(st.builds(bill, st.sampled_from(sorted(DEFAULT.category_weight)),
                             st.sampled_from(["restrictive", "mixed", "enabling"]),
                             st.sampled_from(sorted(DEFAULT.stage_proximity)), st.integers(0, 400)), max_size=3),
    trend_calls=st.lists(st.sampled_from(["worse", "same", "better"]), max_size=4),
)


@settings(max_examples=300)
@given(new=incidents_between(0, 89), **small_history)
def test_a_new_incident_in_the_window_never_lowers_the_risk(new, incidents, bills, trend_calls):
    assert risk_of(incidents + [new], bills, trend_calls) >= risk_of(incidents, bills, trend_calls)


@given(new=st.one_of(incidents_between(-200, -1), incidents_between(455, 1000)), **small_history)
def test_an_incident_outside_both_windows_changes_nothing(new, incidents, bills, trend_calls):
    assert risk_of(incidents + [new], bills, trend_calls) == risk_of(incidents, bills, trend_calls)


def test_a_busier_baseline_can_lower_the_risk_by_design():
    """The surge is relative to the country's own past: more violations last year raise the bar."""
    recent = [incident(3 * i, "raid_search") for i in range(6)]
    busier = recent + [incident(100 + 10 * i, "raid_search") for i in range(30)]
    assert risk_of(busier, [], []) < risk_of(recent, [], [])


# --- no Django -------------------------------------------------------------------------------------------

WATCHLIST = Path(risk.__file__).parent


@pytest.mark.parametrize("name", ["__init__.py", "risk.py", "config.py"])
def test_the_module_imports_only_the_standard_library(name):
    tree = ast.parse((WATCHLIST / name).read_text(encoding="utf-8"))
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.append(node.module)
    roots = {module.split(".")[0] for module in imported}
    assert "django" not in roots
    assert roots <= sys.stdlib_module_names, roots - sys.stdlib_module_names


def test_importing_the_signals_loads_no_django():
    code = ("import sys, civicspace.watchlist.risk; "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], cwd=WATCHLIST.parents[1]).returncode == 0


# --- the baseline as tallies and every country at once (set-based recomputation) --------------------------

def test_baseline_tallies_give_exactly_the_signals_of_the_incidents_they_count():
    import random
    from collections import Counter

    rng = random.Random(17)
    codes = list(DEFAULT.severity) + ["an_unknown_code"]
    facts, full = {}, {}
    for n in range(40):
        incidents = [incident(rng.randint(-5, 500), *rng.sample(codes, rng.choice([0, 1, 1, 2, 3])),
                              victims=rng.choice([0, 3, 8]), label=f"incident {i}") for i in range(rng.randint(0, 60))]
        window = DEFAULT.surge_window_days
        recent = tuple(i for i in incidents if 0 <= (AS_OF - i.date).days < window)
        counted = Counter(tuple(sorted(i.types)) for i in incidents
                          if window <= (AS_OF - i.date).days < window + DEFAULT.baseline_days)
        tallies = tuple(risk.IncidentTally(types, count) for types, count in counted.items())
        code = f"C{n:02d}"
        facts[code] = risk.CountryFacts(incidents=recent, baseline=tallies, scores=KYRGYZSTAN[: n % 4])
        full[code] = assess(code, incidents=incidents, scores=KYRGYZSTAN[: n % 4], as_of=AS_OF)
    ranked = risk.assess_all(facts, as_of=AS_OF)
    assert ranked == rank(full.values())
    assert any(c.signals[0].value > 0 for c in ranked)  # some surges: the baseline mattered
    # Without tallies, every incident is read as before.
    assert risk.assess_all({"C00": risk.CountryFacts(incidents=tuple(monthly_raids()))}, as_of=AS_OF) == \
        [assess("C00", incidents=monthly_raids(), as_of=AS_OF)]
