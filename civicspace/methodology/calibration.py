"""Calibration: fit non-negative weights of the inputs to published scores, and measure how well they
predict an edition they were not fitted on, next to the persistence baseline (last edition's band carried
forward). Pure Python: no Django import.

A prediction uses the weights of the inputs a country has, re-normalised (as the engine does for missing
streams), scaled by the sum of all weights so that a fit whose weights do not add up to 1 stays honest.
"""
from dataclasses import dataclass, field

from .bands import band_for_score


@dataclass(frozen=True)
class Observation:
    country: str
    edition: str
    target: float  # the published score
    target_band: str  # the published rating
    previous_band: str | None  # the rating of the previous edition, for the persistence baseline
    features: dict = field(default_factory=dict)  # feature -> value on 1-100 (absent when unknown)
    previous_estimated: bool = False  # the "previous" feature is the previous band's midpoint (no score then)


def nnls(rows, targets, *, iterations=2000, tolerance=1e-10):
    """Non-negative least squares by cyclic coordinate descent: min ||Xw - y||^2 subject to w >= 0.
    Small problems only (a handful of features); exact enough for weights reported to 3 decimals."""
    k = len(rows[0]) if rows else 0
    weights = [0.0] * k
    residual = list(targets)
    norms = [sum(r[j] * r[j] for r in rows) for j in range(k)]
    for _ in range(iterations):
        largest_step = 0.0
        for j in range(k):
            if norms[j] == 0:
                continue
            gradient = sum(r[j] * e for r, e in zip(rows, residual))
            new = max(0.0, weights[j] + gradient / norms[j])
            step = new - weights[j]
            if step:
                for i, r in enumerate(rows):
                    residual[i] -= step * r[j]
                weights[j] = new
                largest_step = max(largest_step, abs(step))
        if largest_step < tolerance:
            break
    return weights


def fit(observations, features):
    """Weights per feature, fitted on the observations that have every feature."""
    complete = [o for o in observations if all(o.features.get(f) is not None for f in features)]
    if not complete:
        raise ValueError("no observation has all of the features " + ", ".join(features))
    rows = [[o.features[f] for f in features] for o in complete]
    weights = nnls(rows, [o.target for o in complete])
    return {"weights": dict(zip(features, weights)), "n_fit": len(complete)}


def predict(weights, observation):
    available = {f: w for f, w in weights.items() if observation.features.get(f) is not None}
    share = sum(available.values())
    if share <= 0:
        return None
    value = sum(w * observation.features[f] for f, w in available.items()) / share * sum(weights.values())
    return min(max(value, 1.0), 100.0)


def evaluate(weights, observations):
    """mae and band agreement of the predictions, with the persistence baseline on the same countries."""
    scored = []
    for o in observations:
        prediction = predict(weights, o)
        if prediction is not None and o.previous_band is not None:
            scored.append((o, prediction))
    n = len(scored)
    if not n:
        return {"n": 0, "mae": None, "band_agreement": None,
                "persistence": {"band_agreement": None, "mae": None, "n_mae": 0}}
    mae = sum(abs(p - o.target) for o, p in scored) / n
    agree = sum(band_for_score(p).code == o.target_band for o, p in scored) / n
    persistence = sum(o.previous_band == o.target_band for o, _ in scored) / n
    previous_scores = [(o.features["previous"], o.target) for o, _ in scored if o.features.get("previous") is not None]
    return {
        "n": n,
        "mae": round(mae, 3),
        "band_agreement": round(agree, 4),
        "persistence": {
            "band_agreement": round(persistence, 4),
            "mae": round(sum(abs(a - b) for a, b in previous_scores) / len(previous_scores), 3)
            if previous_scores else None,
            "n_mae": len(previous_scores),
        },
        "changed_band": sum(o.previous_band != o.target_band for o, _ in scored),
        "changes_caught": sum(o.previous_band != o.target_band and band_for_score(p).code == o.target_band
                              for o, p in scored),
    }


def fit_and_evaluate(observations, features, fit_editions, evaluate_editions):
    fitted = fit([o for o in observations if o.edition in fit_editions], features)
    result = evaluate(fitted["weights"], [o for o in observations if o.edition in evaluate_editions])
    return {"fit": list(fit_editions), "evaluate": list(evaluate_editions), "n_fit": fitted["n_fit"],
            "weights": {f: round(w, 4) for f, w in fitted["weights"].items()}, **result}


def leave_one_edition_out(observations, features, editions):
    """Fit on all editions but one, evaluate on that one, for each edition in turn."""
    folds = []
    for held_out in editions:
        others = [e for e in editions if e != held_out]
        folds.append(fit_and_evaluate(observations, features, others, [held_out]))
    return folds
