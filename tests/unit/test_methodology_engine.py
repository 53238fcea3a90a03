"""The pure scoring engine: rebasing rules, weights, contributions, live adjustment, uncertainty, sensitivity,
proposals' hysteresis and calibration. Inputs here are synthetic and labelled as such (test data only)."""
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicspace.methodology import config as methodology_config
from civicspace.methodology.bands import rating_for_score
from civicspace.methodology.calibration import Observation, evaluate, fit, leave_one_edition_out
from civicspace.methodology.engine import (
    FormInput,
    IndexInput,
    LiveEvidence,
    NoEvidence,
    ScoreInputs,
    compute,
    live_adjustment,
    proposal_due,
    sensitivity,
)
from civicspace.methodology.rebase import rebase

# Structural tests pin version 2026.1 (three streams, equal index weights) so their expectations stay true
# when the active version changes; the calibrated 2026.2 has its own tests below.
M = methodology_config.load("2026.1")
CALIBRATED = methodology_config.load("2026.2")


def inputs(**kw):
    """Synthetic test inputs for a fictional country code 'TST'."""
    return ScoreInputs(country=kw.pop("country", "TST"), as_of="2026-11-27", **kw)


INDICES = (IndexInput("fh_e", 6), IndexInput("fh_d", 8), IndexInput("rsf", 50.0),
           IndexInput("vdem_assembly", 0.0), IndexInput("vdem_cso_repression", 0.0), IndexInput("pts", 3))


# --- rebasing ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("index, low, high", [("fh_e", 0, 12), ("fh_d", 0, 16), ("rsf", 0, 100)])
def test_linear_rules_map_their_declared_bounds_to_1_and_100(index, low, high):
    rule = M.indices[index]
    assert rebase(low, rule) == 1 and rebase(high, rule) == 100
    assert rebase(low - 5, rule) == 1 and rebase(high + 5, rule) == 100  # clipped to the declared range


def test_political_terror_scale_is_inverted():
    rule = M.indices["pts"]
    assert rebase(1, rule) == 100 and rebase(5, rule) == 1 and rebase(3, rule) == pytest.approx(50.5)


def test_latent_vdem_scores_use_the_declared_logistic_transform():
    rule = M.indices["vdem_assembly"]
    assert rebase(0, rule) == pytest.approx(50.5)
    assert 1 < rebase(-4, rule) < 3 and 98 < rebase(4, rule) < 100
    assert rebase(-1000, rule) >= 1 and rebase(1000, rule) <= 100


# --- weights and contributions -------------------------------------------------------------------------

def test_contributions_add_up_to_the_score():
    forms = (FormInput("partner", {q.code: 1 for q in M.questions}),
             FormInput("inhouse", {q.code: 3 for q in M.questions[:6]}))
    live = LiveEvidence("2025-12-09", "2026-11-27", weighted_incidents=30, expected_incidents=5,
                        trend_calls=("worse",))
    result = compute(inputs(indices=INDICES, forms=forms, live=live), M)
    assert sum(c.points for c in result.contributions) == pytest.approx(result.guiding, abs=1e-9)
    assert result.adjustment < 0 and {c.stream for c in result.contributions} >= {"partner", "inhouse", "external",
                                                                                   "live"}


def test_missing_streams_hand_their_weight_to_the_others():
    result = compute(inputs(indices=INDICES), M)
    assert result.missing_streams == ["partner", "inhouse"]
    assert result.stream_scores["external"]["weight"] == 1.0
    both = compute(inputs(indices=INDICES, forms=(FormInput("partner", {q.code: 4 for q in M.questions}),)), M)
    partner, external = M.streams["partner"].weight, M.streams["external"].weight
    assert both.stream_scores["partner"]["weight"] == pytest.approx(partner / (partner + external))
    # Partner answers of 4 everywhere give 100 per indicator.
    assert both.base == pytest.approx(both.stream_scores["partner"]["weight"] * 100
                                      + both.stream_scores["external"]["weight"] * result.base)


def test_a_missing_stream_widens_the_interval():
    full = compute(inputs(indices=INDICES, forms=(FormInput("partner", {q.code: 2 for q in M.questions}),
                                                  FormInput("inhouse", {q.code: 2 for q in M.questions}))), M)
    external_only = compute(inputs(indices=INDICES), M)
    width = lambda r: r.interval[1] - r.interval[0]  # noqa: E731
    assert width(external_only) > width(full)


def test_no_evidence_means_no_score():
    with pytest.raises(NoEvidence):
        compute(inputs(), M)


def test_clipping_is_a_contribution_so_the_sum_still_holds():
    closed = (IndexInput("fh_e", 0), IndexInput("fh_d", 0), IndexInput("rsf", 0), IndexInput("pts", 5))
    live = LiveEvidence("2025-12-09", "2026-11-27", weighted_incidents=500, expected_incidents=0,
                        trend_calls=("worse",) * 3)
    result = compute(inputs(indices=closed, live=live), M)
    assert result.guiding == 1
    assert any(c.stream == "clipping" for c in result.contributions)
    assert sum(c.points for c in result.contributions) == pytest.approx(1.0)


def test_live_adjustment_is_bounded_and_a_quiet_period_is_not_an_improvement():
    extreme = LiveEvidence("a", "b", weighted_incidents=10_000, expected_incidents=0, trend_calls=("worse",) * 9)
    assert -M.live.bound <= live_adjustment(extreme, M) < -0.99 * M.live.bound
    quiet = LiveEvidence("a", "b", weighted_incidents=0, expected_incidents=40)
    assert live_adjustment(quiet, M) == 0
    better = LiveEvidence("a", "b", positive_incidents=3, trend_calls=("better",))
    assert 0 < live_adjustment(better, M) <= M.live.bound


# --- bands at the edges --------------------------------------------------------------------------------

@pytest.mark.parametrize("score, band", [(20, "closed"), (21, "repressed"), (40, "repressed"), (41, "obstructed"),
                                         (60, "obstructed"), (61, "narrowed"), (80, "narrowed"), (81, "open")])
def test_band_edges(score, band):
    assert rating_for_score(score) == band


@pytest.mark.parametrize("score, rating, expected", [
    (40.4, "obstructed", None),  # in the band below, but within the 2-point margin of 40.5
    (38.4, "obstructed", "repressed"),  # more than 2 points past the edge
    (50, "obstructed", None),  # same band
    (82.4, "narrowed", None), (82.6, "narrowed", "open"),
])
def test_proposals_need_the_score_past_the_hysteresis_margin(score, rating, expected):
    assert proposal_due(score, rating, M.decisions.hysteresis) == expected


# --- uncertainty ---------------------------------------------------------------------------------------

def test_the_simulation_is_reproducible_and_depends_on_the_seed():
    first = compute(inputs(indices=INDICES), M)
    again = compute(inputs(indices=INDICES), M)
    assert first.interval == again.interval and first.probabilities == again.probabilities
    assert sum(first.probabilities.values()) == pytest.approx(1.0)
    assert first.interval[0] < first.guiding < first.interval[1]
    reseeded = json.loads(json.dumps(dict(M.raw)))
    reseeded["uncertainty"]["seed"] += 1
    assert compute(inputs(indices=INDICES), methodology_config.parse(reseeded)).interval != first.interval


def test_a_stored_result_is_recomputed_exactly_from_its_json_inputs():
    original = inputs(indices=INDICES, forms=(FormInput("partner", {"association_funding": 2}),),
                      live=LiveEvidence("2025-12-09", "2026-11-27", 3.0, 1.5, 1, ("same", "worse")))
    stored = json.loads(json.dumps(original.to_json()))
    assert compute(ScoreInputs.from_json(stored), M).to_json() == compute(original, M).to_json()


# --- monotonicity (property-based) ---------------------------------------------------------------------

index_values = st.fixed_dictionaries({
    "fh_e": st.integers(0, 12), "fh_d": st.integers(0, 16), "rsf": st.floats(0, 100),
    "vdem_assembly": st.floats(-4, 4), "vdem_cso_repression": st.floats(-4, 4), "pts": st.integers(1, 5)})


@settings(max_examples=150, deadline=None)
@given(values=index_values, which=st.sampled_from(["fh_e", "fh_d", "rsf", "vdem_assembly", "vdem_cso_repression",
                                                    "pts"]),
       answers=st.lists(st.integers(0, 4), min_size=12, max_size=12), bump=st.integers(0, 11),
       incidents=st.floats(0, 50), trend=st.sampled_from(["worse", "same", "better"]))
def test_a_better_input_never_lowers_the_score(values, which, answers, bump, incidents, trend):
    def score(vals, ans, weighted, call):
        live = LiveEvidence("a", "b", weighted_incidents=weighted, expected_incidents=5, trend_calls=(call,))
        forms = (FormInput("partner", dict(zip([q.code for q in M.questions], ans))),)
        return compute(inputs(indices=tuple(IndexInput(k, v) for k, v in vals.items()), forms=forms, live=live),
                       M, simulate_uncertainty=False).guiding

    base = score(values, answers, incidents, trend)
    better = dict(values)
    rule = M.indices[which]
    step = (rule.max - rule.min) / 10 if rule.transform == "linear" else 0.5
    better[which] = values[which] + (step if rule.higher_is_freer else -step)
    assert score(better, answers, incidents, trend) >= base - 1e-9
    improved = list(answers)
    improved[bump] = min(4, improved[bump] + 1)
    assert score(values, improved, incidents, trend) >= base - 1e-9
    assert score(values, answers, incidents / 2, trend) >= base - 1e-9  # fewer violations
    order = ["worse", "same", "better"]
    better_call = order[min(order.index(trend) + 1, 2)]
    assert score(values, answers, incidents, better_call) >= base - 1e-9


# --- sensitivity ---------------------------------------------------------------------------------------

def test_sensitivity_lists_a_country_at_a_band_edge_and_not_one_deep_inside():
    # Synthetic: just above the open/narrowed edge, with two indices of expression that disagree (FH D says
    # closed, RSF says open), so weighting FH D more pulls it below the edge. A country deep inside a band
    # whose indices agree does not move.
    edge = inputs(country="EDG", indices=(IndexInput("fh_e", 10.93), IndexInput("pts", 1.356),
                                          IndexInput("fh_d", 0), IndexInput("rsf", 100.0)))
    inside = inputs(country="INS", indices=(IndexInput("fh_e", 12), IndexInput("fh_d", 16), IndexInput("rsf", 95.0)))
    base = compute(edge, M, simulate_uncertainty=False)
    report = {r["country"]: r for r in sensitivity([edge, inside], M)}
    assert "INS" not in report
    assert "EDG" in report, base.guiding
    assert base.band == "open"
    assert {"stream": "external:fh_d", "factor": 1.5} in [{k: s[k] for k in ("stream", "factor")}
                                                          for s in report["EDG"]["shifts"]]
    assert all(s["band"] == "narrowed" for s in report["EDG"]["shifts"])


# --- configuration -------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", methodology_config.available_versions())
def test_every_version_file_is_valid_and_ends_its_changelog_with_itself(version):
    m = methodology_config.load(version)
    assert m.version == version and m.changelog[-1]["version"] == version
    for entry in m.changelog:
        assert set(entry["changes"]) == {"en", "ru", "fr", "es", "ar"}, entry["version"]
    for q in m.questions:
        assert set(q.text) == {"en", "ru", "fr", "es", "ar"}, q.code


def test_the_active_version_is_the_newest_and_keeps_the_history_of_the_older_ones():
    versions = methodology_config.available_versions()
    assert methodology_config.ACTIVE_VERSION == versions[-1]
    active = methodology_config.load()
    assert [e["version"] for e in active.changelog] == versions


# --- 2026.2: the previous published score as a stream ---------------------------------------------------

def test_the_previous_published_score_is_one_stream_with_one_contribution():
    item = inputs(indices=INDICES, previous_score=30.0)
    result = compute(item, CALIBRATED)
    published = [c for c in result.contributions if c.stream == "published"]
    assert len(published) == 1 and published[0].indicator is None
    shares = {s: v["weight"] for s, v in result.stream_scores.items()}
    w = CALIBRATED.streams
    assert shares["published"] == pytest.approx(w["published"].weight / (w["published"].weight + w["external"].weight))
    assert published[0].points == pytest.approx(shares["published"] * 30.0)
    assert sum(c.points for c in result.contributions) == pytest.approx(result.guiding)
    assert compute(inputs(indices=INDICES, previous_score=40.0), CALIBRATED).guiding > result.guiding


def test_a_version_without_the_published_stream_ignores_the_previous_score():
    assert compute(inputs(indices=INDICES, previous_score=99.0), M).guiding == compute(inputs(indices=INDICES), M).guiding


@pytest.mark.parametrize("change, message", [
    (lambda d: d["streams"]["partner"].update(weight=-1), "weights must not be negative"),
    (lambda d: d["indices"]["fh_e"].update(transform="cubic"), "indices.fh_e.transform"),
    (lambda d: d["indices"]["rsf"].update(min=100), "indices.rsf: a linear rule needs min < max"),
    (lambda d: d["indices"]["pts"].update(indicators=["happiness"]), "indices.pts.indicators"),
    (lambda d: d.pop("live"), "missing the key 'live'"),
    (lambda d: d["changelog"].pop(), "changelog"),
])
def test_a_bad_version_file_is_refused_with_the_key_named(change, message):
    data = json.loads(json.dumps(dict(M.raw)))
    change(data)
    with pytest.raises(methodology_config.ConfigError, match=message):
        methodology_config.parse(data)


# --- calibration ---------------------------------------------------------------------------------------

def _synthetic_observations(true_weights, editions=("E1", "E2", "E3"), n=80, noise=0.0, seed=7):
    rng = random.Random(seed)
    result = []
    for edition in editions:
        for i in range(n):
            features = {k: rng.uniform(1, 100) for k in true_weights}
            target = min(max(sum(w * features[k] for k, w in true_weights.items()) + rng.gauss(0, noise), 1), 100)
            result.append(Observation(f"C{i}", edition, target, rating_for_score(target),
                                      rating_for_score(features.get("previous", target)), features))
    return result


def test_calibration_recovers_known_non_negative_weights():
    true = {"previous": 0.5, "fh_e": 0.3, "rsf": 0.2, "pts": 0.0}
    fitted = fit(_synthetic_observations(true), list(true))["weights"]
    for k, w in true.items():
        assert fitted[k] == pytest.approx(w, abs=1e-4), k


def test_fitted_weights_are_never_negative():
    # The target falls as 'pts' rises: least squares would give it a negative weight; NNLS gives 0.
    rng = random.Random(3)
    obs = []
    for i in range(100):
        f = {"fh_e": rng.uniform(1, 100), "pts": rng.uniform(1, 100)}
        y = min(max(0.9 * f["fh_e"] - 0.3 * f["pts"] + 20, 1), 100)
        obs.append(Observation(str(i), "E", y, rating_for_score(y), None, f))
    assert fit(obs, ["fh_e", "pts"])["weights"]["pts"] == 0


def test_evaluation_reports_the_persistence_baseline_and_leave_one_out_covers_every_edition():
    true = {"previous": 0.7, "fh_e": 0.3}
    obs = _synthetic_observations(true, noise=2.0)
    result = evaluate(true, obs)
    assert result["n"] == len(obs) and result["mae"] < 2.5
    assert 0 <= result["persistence"]["band_agreement"] <= 1
    folds = leave_one_edition_out(obs, list(true), ["E1", "E2", "E3"])
    assert [f["evaluate"] for f in folds] == [["E1"], ["E2"], ["E3"]]
    assert all(f["fit"] == [e for e in ["E1", "E2", "E3"] if e not in f["evaluate"]] for f in folds)


# --- 2026.3: the transition model (synthetic inputs, test data only) -----------------------------------

from civicspace.methodology import transition as T  # noqa: E402

V3 = methodology_config.load("2026.3")
FITTED = V3.model["fitted"]
INDEX_RANGES = {"fh_e": (0, 12), "fh_d": (0, 16), "rsf": (0.0, 100.0), "pts": (1.0, 5.0),
                "vdem_assembly": (-4.0, 4.0), "vdem_cso_repression": (-4.0, 4.0)}


@st.composite
def transition_inputs(draw):
    previous = draw(st.floats(1, 100))
    band = draw(st.sampled_from([rating_for_score(previous)]))
    now, before = [], []
    for code, (low, high) in INDEX_RANGES.items():
        if draw(st.booleans()):
            now.append(IndexInput(code, draw(st.floats(low, high)), edition_year=2025, events_year=2024))
        if draw(st.booleans()):
            before.append(IndexInput(code, draw(st.floats(low, high)), edition_year=2024, events_year=2023))
    return inputs(previous_score=previous, previous_band=band, indices=tuple(now), previous_indices=tuple(before))


@settings(max_examples=150, deadline=None)
@given(transition_inputs())
def test_v3_contributions_add_up_to_the_score_and_weights_are_the_applied_ones(item):
    result = compute(item, V3)
    assert sum(t["points"] for t in result.terms) == pytest.approx(result.guiding, abs=1e-9)
    assert sum(c.points for c in result.contributions) == pytest.approx(result.guiding, abs=1e-9)
    for t in result.terms:
        if t["term"] in ("previous", "level", "delta"):
            assert t["points"] == pytest.approx(t["weight"] * t["value"], abs=1e-9)
    assert result.interval[0] <= result.guiding <= result.interval[1]


@settings(max_examples=150, deadline=None)
@given(transition_inputs(), st.sampled_from(sorted(INDEX_RANGES)))
def test_v3_a_missing_input_never_moves_the_score_and_always_widens_the_interval(item, code):
    full = compute(item, V3)
    deltas, _, _ = compute.__globals__["transition_features"](item, V3)
    if deltas.get(code) is None or code in FITTED["level"]["weights"]:
        return  # dropping a level index moves the level term: its own property below
    # Without the previous edition's value the change of `code` is unknown: counted as none.
    fewer = ScoreInputs(**{**item.__dict__, "previous_indices": tuple(i for i in item.previous_indices
                                                                      if i.index != code)})
    partial = compute(fewer, V3)
    b = FITTED["coefficients"].get(code, 0.0)
    # The same score as if that index had not changed (before clipping to 1-100), and never a narrower interval.
    assert partial.base == pytest.approx(full.base - b * deltas[code], abs=1e-9)
    assert partial.half_width >= full.half_width - 1e-12
    if b:
        assert partial.half_width > full.half_width


def test_v3_missing_deltas_count_as_no_change_and_widen():
    base = inputs(previous_score=50.0, previous_band="obstructed")
    alone = compute(base, V3)
    # No index at all: the score is the previous score plus the average change, and the interval is widest.
    assert alone.guiding == pytest.approx(50.0 + FITTED["intercept"])
    full = compute(inputs(previous_score=50.0, previous_band="obstructed",
                          indices=(IndexInput("fh_e", 6, 2025, 2024), IndexInput("fh_d", 8, 2025, 2024),
                                   IndexInput("rsf", 50.0, 2025, 2024), IndexInput("pts", 3, None, 2024)),
                          previous_indices=(IndexInput("fh_e", 6, 2024, 2023), IndexInput("fh_d", 8, 2024, 2023),
                                            IndexInput("rsf", 50.0, 2024, 2023), IndexInput("pts", 3, None, 2023))),
                   V3)
    assert alone.interval[1] - alone.interval[0] > full.interval[1] - full.interval[0]
    assert "level" in alone.missing_inputs and "fh_e" in alone.missing_inputs


@settings(max_examples=200, deadline=None)
@given(st.floats(1, 100), st.sampled_from(["open", "narrowed", "obstructed", "repressed", "closed"]),
       st.floats(0, 10))
def test_hysteresis_never_changes_a_band_within_h(score, published, h):
    shown = T.displayed_band(score, published, h)
    if T.distance_past_band(score, published) <= h:
        assert shown == published
    else:
        assert shown == rating_for_score(score)
    # The same rule opens proposals.
    due = proposal_due(score, published, h)
    assert (due is None) == (shown == published)


@settings(max_examples=300, deadline=None)
@given(st.floats(1, 100), st.sampled_from(["open", "narrowed", "obstructed", "repressed", "closed"]),
       st.floats(0, 10), st.floats(0, 10))
def test_a_separate_margin_above_the_band_holds_upward_moves_only(score, published, h, h_up):
    shown = T.displayed_band(score, published, h, h_up)
    band = T.BAND_BY_CODE[published]
    past = T.distance_past_band(score, published)
    above = score >= band.high + 0.5
    if past <= (h_up if above else h):
        assert shown == published
    else:
        assert shown == rating_for_score(score)
    # Below the band nothing changes from the one-margin rule; the same rule opens proposals.
    if not above:
        assert shown == T.displayed_band(score, published, h)
    assert (proposal_due(score, published, h, h_up) is None) == (shown == published)


@pytest.mark.parametrize("score, published, expected", [
    (60.9, "obstructed", "obstructed"),  # 0.4 past the upper edge (60.5): within both margins
    (63.0, "obstructed", "obstructed"),  # 2.5 above: past h = 2, within h_up = 8
    (68.6, "obstructed", "narrowed"),  # 8.1 above: past h_up
    (38.4, "obstructed", "repressed"),  # 2.1 below the lower edge (40.5): past h = 2
    (38.6, "obstructed", "obstructed"),
])
def test_v5_moves_a_band_up_only_eight_points_past_its_edge(score, published, expected):
    fitted = V5.model["fitted"]
    assert T.displayed_band(score, published, fitted["hysteresis"], fitted["hysteresis_up"]) == expected
    due = proposal_due(score, published, V5.decisions.hysteresis, V5.decisions.hysteresis_up)
    assert due == (None if expected == published else expected)


@settings(max_examples=100, deadline=None)
@given(st.floats(5, 95), st.sampled_from(sorted(INDEX_RANGES)), st.floats(0.01, 1.0))
def test_v3_the_score_moves_in_the_declared_direction_of_each_coefficient(previous, code, step):
    low, high = INDEX_RANGES[code]
    before = IndexInput(code, low + (high - low) * 0.4, 2024, 2023)
    lower = IndexInput(code, low + (high - low) * 0.4, 2025, 2024)
    higher = IndexInput(code, low + (high - low) * min(0.4 + 0.5 * step, 1.0), 2025, 2024)
    a = compute(inputs(previous_score=previous, indices=(lower,), previous_indices=(before,)), V3)
    b = compute(inputs(previous_score=previous, indices=(higher,), previous_indices=(before,)), V3)
    rule = V3.indices[code]
    freer = rebase(higher.value, rule) >= rebase(lower.value, rule)
    sign = V3.model["signs"][code]
    if sign == "+":
        assert (b.guiding >= a.guiding - 1e-9) if freer else (b.guiding <= a.guiding + 1e-9)


def test_ridge_keeps_declared_signs_and_shrinks_toward_zero():
    rng = random.Random(7)  # synthetic data
    xs = [[rng.gauss(0, 1), rng.gauss(0, 1)] for _ in range(200)]
    ys = [1.0 + 2.0 * x[0] - 1.0 * x[1] + rng.gauss(0, 0.5) for x in xs]
    c, b = T.ridge(xs, ys, signs={0: "+", 1: "+"})
    assert b[1] == 0.0 and b[0] == pytest.approx(2.0, abs=0.2)
    _, shrunk = T.ridge(xs, ys, penalty=10.0)
    assert abs(shrunk[0]) < abs(b[0])


@pytest.mark.parametrize("penalty", [0.0, 0.3, 10.0])
def test_the_closed_form_fast_path_finds_the_optimum_coordinate_descent_finds(penalty, monkeypatch):
    rng = random.Random(5)  # synthetic data
    xs = [[rng.gauss(0, 1), rng.gauss(0, 2), rng.gauss(1, 1)] for _ in range(150)]
    ys = [3.0 + 1.5 * x[0] + 0.5 * x[1] - 0.8 * x[2] + rng.gauss(0, 1) for x in xs]
    signs = {0: "+", 2: "-"}  # the unconstrained optimum keeps these: the closed form answers
    answered, closed_form = [], T._unconstrained
    monkeypatch.setattr(T, "_unconstrained", lambda *args: answered.append(closed_form(*args)) or answered[-1])
    fast = T.ridge(xs, ys, penalty=penalty, signs=signs)
    assert answered and answered[-1] is not None and fast[1][0] > 0 > fast[1][2]  # the fast path gave it
    monkeypatch.setattr(T, "_unconstrained", lambda *args: None)  # coordinate descent only
    slow = T.ridge(xs, ys, penalty=penalty, signs=signs)
    assert fast[0] == pytest.approx(slow[0], abs=1e-8) and fast[1] == pytest.approx(slow[1], abs=1e-8)
    # A sign the data break sends the fit to coordinate descent: that coefficient is held at 0.
    monkeypatch.undo()
    c, b = T.ridge(xs, ys, penalty=penalty, signs={0: "-"})
    assert b[0] == 0.0


def test_v3_version_records_its_calibration_and_hysteresis():
    assert V3.is_transition and V3.decisions.hysteresis == FITTED["hysteresis"]
    assert V3.model["calibration"]["fit"] == ["PPUA 2023", "PPUA 2024"]
    assert all(V3.max_age(code) == 2 for code in V3.indices)


def test_v3_assessments_pull_the_score_by_their_declared_share_and_the_points_still_add_up():
    answers = {q.code: 4 for q in V3.questions}  # synthetic: every answer "fully"
    base = inputs(previous_score=40.0, previous_band="repressed")
    with_forms = inputs(previous_score=40.0, previous_band="repressed",
                        forms=(FormInput("partner", answers), FormInput("inhouse", answers)))
    a, b = compute(base, V3), compute(with_forms, V3)
    shares = V3.model["assessments"]
    assert b.guiding == pytest.approx(a.guiding + (shares["partner"] + shares["inhouse"]) * (100.0 - 40.0))
    assert sum(t["points"] for t in b.terms) == pytest.approx(b.guiding)
    assert {"partner", "inhouse"} <= set(b.stream_scores) and b.half_width == a.half_width
    # Without a previous score or indices, the assessments alone carry the score.
    alone = compute(inputs(forms=(FormInput("partner", answers),)), V3)
    assert alone.guiding == pytest.approx(100.0) and "previous" in alone.missing_inputs


# --- 2026.4: the loss, the drift and the folds are cross-validated choices ------------------------------

V4 = methodology_config.load("2026.4")


def test_least_absolute_deviations_resist_outliers_that_pull_least_squares():
    rng = random.Random(11)  # synthetic data
    xs = [[rng.gauss(0, 1)] for _ in range(200)]
    ys = [0.5 * x[0] + rng.gauss(0, 0.3) for x in xs]
    ys[:10] = [y + 40.0 for y in ys[:10]]  # a few wild rows
    c_ls, b_ls = T.ridge(xs, ys)
    c_lad, b_lad = T.least_absolute(xs, ys)
    assert abs(c_lad) < 0.2 < abs(c_ls)
    assert b_lad[0] == pytest.approx(0.5, abs=0.1)


def test_without_a_drift_the_intercept_is_zero_and_signs_still_hold():
    rng = random.Random(3)  # synthetic data
    xs = [[rng.gauss(0, 1), rng.gauss(0, 1)] for _ in range(100)]
    ys = [2.0 + 1.0 * x[0] - 1.0 * x[1] for x in xs]
    for solver in (T.ridge, T.least_absolute):
        c, b = solver(xs, ys, signs={0: "+", 1: "+"}, intercept=False)
        assert c == 0.0 and b[1] == 0.0 and b[0] > 0


def test_repeated_country_folds_hold_out_every_row_once_per_repeat():
    rows = [T.Row(country=f"C{i:02d}", edition="E2", target=50.0 + i % 7, target_band="obstructed",
                  previous=50.0, previous_band="obstructed", deltas={"rsf": float(i % 5 - 2)},
                  levels={"rsf": 50.0}) for i in range(40)]  # synthetic rows
    kind, splits = T.groups(rows, country_folds=5, repeats=3)
    assert kind == "countries" and len(splits) == 15
    for seed in range(3):
        held = [sum(held_out(r) for _, held_out in splits[seed * 5:(seed + 1) * 5]) for r in rows]
        assert held == [1] * len(rows)
    _, preds = T.out_of_fold(rows, {"mean_reversion": 0.0, "penalty": 1.0, "loss": "lad", "intercept": False},
                             delta_indices=["rsf"], level_indices=[], signs={"rsf": "+"}, repeats=3)
    assert len(preds) == 3 * len(rows)


def test_v4_records_what_cross_validation_chose_and_both_evaluations():
    calibration = V4.model["calibration"]
    chosen = calibration["chosen"]
    assert {"loss", "intercept", "mean_reversion", "penalty", "hysteresis", "cv_repeats"} <= set(chosen)
    assert V4.decisions.hysteresis == V4.model["fitted"]["hysteresis"] == chosen["hysteresis"]
    assert chosen["intercept"] or V4.model["fitted"]["intercept"] == 0.0
    for fold in (calibration, calibration["reverse_fold"]):
        assert {"persistence", "level", "transition"} <= set(fold["evaluation"])


# --- 2026.5: a separate margin above the band ------------------------------------------------------------

V5 = methodology_config.load("2026.5")


def test_v5_records_both_margins_as_cross_validation_chose_them_and_keeps_2026_4_otherwise():
    calibration = V5.model["calibration"]
    chosen, fitted = calibration["chosen"], V5.model["fitted"]
    assert V5.decisions.hysteresis == fitted["hysteresis"] == chosen["hysteresis"] == 2
    assert V5.decisions.hysteresis_up == fitted["hysteresis_up"] == chosen["hysteresis_up"] == 8
    assert V5.model["grid"]["hysteresis_up"] == V5.model["grid"]["hysteresis"]
    # The score is 2026.4's: only the margins differ.
    assert {k: v for k, v in fitted.items() if k != "hysteresis_up"} == V4.model["fitted"]
    evaluation = calibration["evaluation"]
    assert evaluation["transition"]["band_agreement"] >= 0.91 > evaluation["persistence"]["band_agreement"]
    assert evaluation["transition"]["mae"] < 3.51 and evaluation["transition"]["false_changes"] <= 6
    assert 0.85 <= evaluation["transition"]["coverage_90"] <= 0.95
    assert {"persistence", "level", "transition"} <= set(calibration["reverse_fold"]["evaluation"])
    assert methodology_config.ACTIVE_VERSION == "2026.5"
    # Older versions have one margin, and their results keep the shape they were stored in.
    assert V4.decisions.hysteresis_up is None and "hysteresis_up" not in V4.model["fitted"]


# --- serialisation and the all-countries entry point ------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(transition_inputs(), st.sampled_from(["2026.1", "2026.2", "2026.3", "2026.4", "2026.5"]))
def test_to_json_is_exactly_dataclasses_asdict(item, version):
    import dataclasses

    from civicspace.methodology.engine import compute_all

    item = dataclasses.replace(item, forms=(FormInput("partner", {"q1": 2, "q2": None}, "synthetic"),),
                               live=LiveEvidence("2025-12-09", "2026-11-27", 12.0, 4.5, 2, ("worse", "same")))
    methodology = methodology_config.load(version)
    assert item.to_json() == dataclasses.asdict(item)
    assert json.dumps(item.to_json()) == json.dumps(dataclasses.asdict(item))  # tuples stay tuples
    results = compute_all({"TST": item, "none": inputs(country="NON")}, methodology)
    assert results["none"] is None  # no evidence: no score
    result = results["TST"]
    if result is None:
        with pytest.raises(NoEvidence):
            compute(item, methodology)
        return
    assert result.to_json() == compute(item, methodology).to_json()
    expected = dataclasses.asdict(result)
    expected["interval"] = list(result.interval)
    if result.hysteresis_up is None:  # only versions with a margin above the band store it
        del expected["hysteresis_up"]
    assert result.to_json() == expected and type(result.to_json()["contributions"][0]) is dict
