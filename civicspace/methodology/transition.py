"""The transition model (methodology 2026.3 on): the guiding score starts from the previous *published* score
and moves it by what changed since, instead of predicting the level from scratch.

    guiding = previous + c + sum_k b_k * delta_k + a * (implied level - previous)

`delta_k` is the change of index k (rebased to 1-100) between the data year behind the previous edition and
the data year behind this one, both read from the vintage public at this date. A missing delta counts as no
change (and widens the interval: its coefficient times the spread of that delta is added to the variance).
The implied level is a linear map of rebased index levels fitted to published scores; when one of its indices
is missing, the mean-reversion term is dropped (and the interval widens the same way).

Fitting (`fit`) is penalised least squares or least absolute deviations with declared signs, with or without a
drift c, and every hyper-parameter (the loss, the drift, mean reversion `a`, the penalty, the band hysteresis
`h`, the interval multiplier) is chosen by cross-validation over groups of the fit rows (`choose`): whole
editions when the fit set holds at least two transition editions, otherwise country folds of the one edition
there is (repeated with differently seeded folds when the version says so). The evaluation edition is never
seen. Pure Python.
"""
import math
import zlib
from operator import mul
from dataclasses import dataclass, field

from .bands import BAND_BY_CODE, BANDS, SCORE_MAX, SCORE_MIN, band_for_score

Z90 = 1.6448536269514722


# --- bands with hysteresis ------------------------------------------------------------------------------

def distance_past_band(score, band_code):
    """Points by which `score` lies outside the published band (0 inside it). Band edges are on the rounded
    score, so the band 61-80 spans 60.5 to 80.5."""
    band = BAND_BY_CODE[band_code]
    if score < band.low - 0.5:
        return (band.low - 0.5) - score
    if score >= band.high + 0.5:
        return score - (band.high + 0.5)
    return 0.0


def margin(score, published_band, hysteresis, hysteresis_up=None):
    """The hysteresis that applies to `score`: `hysteresis_up` above the band's upper edge when the version
    sets one (moving up may ask for more evidence than moving down), otherwise `hysteresis`."""
    if hysteresis_up is not None and score >= BAND_BY_CODE[published_band].high + 0.5:
        return hysteresis_up
    return hysteresis


def displayed_band(score, published_band, hysteresis, hysteresis_up=None):
    """The guiding band: the published band unless the score lies more than the hysteresis past its edge
    (then the band the score is in; `margin`). Without a published band, the band of the score."""
    if published_band is None or published_band not in BAND_BY_CODE:
        return band_for_score(score).code
    if distance_past_band(score, published_band) > margin(score, published_band, hysteresis, hysteresis_up):
        return band_for_score(score).code
    return published_band


def band_probabilities(mean, sd):
    """Probability of each band under a normal distribution of the score (clipped to the scale)."""
    def cdf(x):
        return 0.5 * (1.0 + math.erf((x - mean) / (sd * math.sqrt(2.0))))
    probs = {}
    for band in BANDS:
        low = -math.inf if band.low == SCORE_MIN else band.low - 0.5
        high = math.inf if band.high == SCORE_MAX else band.high + 0.5
        probs[band.code] = max(0.0, (cdf(high) if high != math.inf else 1.0) - (cdf(low) if low != -math.inf else 0.0))
    return probs


# --- rows -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One country in one edition, as the calibration sees it."""
    country: str
    edition: str
    target: float  # the published score of this edition
    target_band: str
    previous: float | None  # the previous edition's published score (None when only a band was published)
    previous_band: str | None
    deltas: dict = field(default_factory=dict)  # index -> change of the rebased value (absent when unknown)
    levels: dict = field(default_factory=dict)  # index -> rebased value behind this edition


def clip(score):
    return min(max(score, SCORE_MIN), SCORE_MAX)


# --- linear algebra (tiny problems) ---------------------------------------------------------------------

def _solve(matrix, vector):
    """Gaussian elimination with partial pivoting (a handful of unknowns)."""
    n = len(vector)
    a = [list(row) + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[pivot][col]) < 1e-12:
            continue
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col])]
    return [a[i][n] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(n)]


class _Design:
    """The columns of a small design matrix and their pairwise products, computed once so that reweighted
    fits (least absolute deviations) only take weighted sums."""

    def __init__(self, xs, ys):
        self.n, self.k = len(ys), len(xs[0]) if xs else 0
        self.ys = list(ys)
        self.cols = [[r[j] for r in xs] for j in range(self.k)]
        self.products = {(i, j): list(map(mul, self.cols[i], self.cols[j]))
                         for i in range(self.k) for j in range(i, self.k)}
        self.cross = [list(map(mul, col, self.ys)) for col in self.cols]

    def residuals(self, c, b):
        fitted = [c] * self.n
        for bj, col in zip(b, self.cols):
            if bj:
                fitted = [f + bj * x for f, x in zip(fitted, col)]
        return [y - f for y, f in zip(self.ys, fitted)]


def _weighted_sum(ws, values):
    return sum(values) if ws is None else sum(map(mul, ws, values))


def _solve_design(design, *, penalty, signs, weights, intercept, iterations=2000):
    n, k = design.n, design.k
    if n == 0:
        return 0.0, [0.0] * k
    total = float(n) if weights is None else sum(weights)
    if intercept:
        means = [_weighted_sum(weights, col) / total for col in design.cols]
        y_mean = _weighted_sum(weights, design.ys) / total
    else:
        means, y_mean = [0.0] * k, 0.0
    # Weighted Gram matrix and cross products of the centred data: sum w x x' - W m m', sum w x y - W m y_mean.
    gram = [[0.0] * k for _ in range(k)]
    for (i, j), values in design.products.items():
        gram[i][j] = gram[j][i] = _weighted_sum(weights, values) - total * means[i] * means[j]
    cross = [_weighted_sum(weights, values) - total * means[j] * y_mean for j, values in enumerate(design.cross)]
    b = _unconstrained(gram, cross, penalty * total, signs)
    if b is not None:  # the problem is convex: an unconstrained optimum within the signs is the optimum
        return y_mean - sum(bj * m for bj, m in zip(b, means)), b
    b = [0.0] * k
    for _ in range(iterations):
        largest = 0.0
        for j in range(k):
            denominator = gram[j][j] + penalty * total
            if denominator <= 0:
                continue
            row = gram[j]
            new = (cross[j] - (sum(map(mul, row, b)) - row[j] * b[j])) / denominator
            sign = (signs or {}).get(j)
            if sign == "+":
                new = max(0.0, new)
            elif sign == "-":
                new = min(0.0, new)
            largest = max(largest, abs(new - b[j]))
            b[j] = new
        if largest < 1e-12:
            break
    return y_mean - sum(bj * m for bj, m in zip(b, means)), b


def _unconstrained(gram, cross, ridge_term, signs):
    """The penalised least-squares coefficients in closed form, or None when the system is (nearly) singular or
    a coefficient breaks its declared sign (then coordinate descent finds the constrained optimum). Both give
    the same optimum where this one applies; this is the fast path of the cross-validation's thousands of fits."""
    k = len(cross)
    if any(gram[j][j] + ridge_term <= 1e-9 for j in range(k)):
        return None
    matrix = [[gram[i][j] + (ridge_term if i == j else 0.0) for j in range(k)] for i in range(k)]
    b = _solve(matrix, cross)
    for j, value in enumerate(b):
        sign = (signs or {}).get(j)
        if (sign == "+" and value < 0) or (sign == "-" and value > 0):
            return None
    return b


def solve(xs, ys, *, penalty=0.0, signs=None, weights=None, intercept=True):
    """Intercept + coefficients minimising sum w_i (y_i - c - x_i.b)^2 + penalty * sum(w) * |b|^2, with b_k >= 0
    where signs[k] is "+" and <= 0 where it is "-" (coordinate descent on the weighted Gram matrix of the
    centred data). Without `intercept`, c is 0 and nothing is centred."""
    return _solve_design(_Design(xs, ys), penalty=penalty, signs=signs, weights=weights, intercept=intercept)


def ridge(xs, ys, *, penalty=0.0, signs=None, intercept=True):
    """Least squares with the ridge penalty and the declared signs (see `solve`)."""
    return solve(xs, ys, penalty=penalty, signs=signs, intercept=intercept)


def least_absolute(xs, ys, *, penalty=0.0, signs=None, intercept=True, iterations=60, floor=0.05):
    """Least absolute deviations (the evaluation's metric is the mean absolute error) with the same penalty
    and signs, by iteratively reweighted least squares: each row weighs 1 / max(|residual|, `floor`) points,
    the weights scaled to a mean of 1 so that the penalty means the same as for least squares."""
    design = _Design(xs, ys)
    options = {"penalty": penalty, "signs": signs, "intercept": intercept}
    c, b = _solve_design(design, weights=None, **options)
    for _ in range(iterations):
        ws = [1.0 / max(abs(e), floor) for e in design.residuals(c, b)]
        mean = sum(ws) / len(ws)
        c2, b2 = _solve_design(design, weights=[w / mean for w in ws], **options)
        done = abs(c2 - c) + sum(abs(p - q) for p, q in zip(b, b2)) < 1e-7
        c, b = c2, b2
        if done:
            break
    return c, b


LOSSES = {"ls": ridge, "lad": least_absolute}


# --- the model ------------------------------------------------------------------------------------------

@dataclass
class Model:
    intercept: float  # c
    coefficients: dict  # index -> b_k
    mean_reversion: float  # a
    level: dict  # {"intercept": float, "weights": {index: w}}: the implied level
    sigma: float  # out-of-sample residual spread (points) with every input present
    delta_sd: dict  # index -> spread of its delta in the fit rows (for the missing-input variance)
    level_gap_sd: float  # spread of (implied level - previous), for a missing level
    interval_multiplier: float  # half-width of the 90% interval in units of the row's spread
    hysteresis: float
    hysteresis_up: float = None  # above the band's upper edge, when the version sets it apart (`margin`)

    def implied_level(self, levels):
        weights = self.level["weights"]
        if not weights or any(levels.get(k) is None for k in weights):
            return None
        return self.level["intercept"] + sum(w * levels[k] for k, w in weights.items())

    def spread(self, *, missing_deltas=(), level_missing=False):
        variance = self.sigma ** 2
        for k in missing_deltas:
            variance += (self.coefficients.get(k, 0.0) * self.delta_sd.get(k, 0.0)) ** 2
        if level_missing:
            variance += (self.mean_reversion * self.level_gap_sd) ** 2
        return math.sqrt(variance)

    def predict(self, previous, deltas, levels):
        """(score, spread, missing) for a country with a previous published score."""
        score = previous + self.intercept
        missing = [k for k in self.coefficients if deltas.get(k) is None]
        for k, b in self.coefficients.items():
            if deltas.get(k) is not None:
                score += b * deltas[k]
        implied = self.implied_level(levels)
        if implied is not None:
            score += self.mean_reversion * (implied - previous)
        spread = self.spread(missing_deltas=missing, level_missing=implied is None)
        return clip(score), spread, missing + (["level"] if implied is None else [])

    def to_json(self):
        return {"intercept": round(self.intercept, 4),
                "coefficients": {k: round(v, 4) for k, v in self.coefficients.items()},
                "mean_reversion": self.mean_reversion,
                "level": {"intercept": round(self.level["intercept"], 4),
                          "weights": {k: round(v, 4) for k, v in self.level["weights"].items()}},
                "sigma": round(self.sigma, 4), "delta_sd": {k: round(v, 4) for k, v in self.delta_sd.items()},
                "level_gap_sd": round(self.level_gap_sd, 4),
                "interval_multiplier": round(self.interval_multiplier, 4), "hysteresis": self.hysteresis,
                **({} if self.hysteresis_up is None else {"hysteresis_up": self.hysteresis_up})}


def fit_level(rows, indices):
    """Least-squares map from rebased index levels to published scores (all fit rows with every index)."""
    usable = [r for r in rows if all(r.levels.get(k) is not None for k in indices)]
    if len(usable) < len(indices) + 2:
        return {"intercept": 0.0, "weights": {}}
    xs = [[1.0] + [r.levels[k] for k in indices] for r in usable]
    ys = [r.target for r in usable]
    k = len(xs[0])
    xtx = [[sum(x[i] * x[j] for x in xs) for j in range(k)] for i in range(k)]
    xty = [sum(x[i] * y for x, y in zip(xs, ys)) for i in range(k)]
    beta = _solve(xtx, xty)
    return {"intercept": beta[0], "weights": dict(zip(indices, beta[1:]))}


def _sd(values):
    values = list(values)
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def fit(rows, *, delta_indices, level_indices, signs, mean_reversion, penalty, level_rows=None, loss="ls",
        intercept=True, level=None):
    """Fit c and b_k (penalised, with signs) on transitions with a real previous score, for a given `a`: by
    least squares or least absolute deviations (`loss`), with a fitted drift c or none (`intercept`). `level`,
    when given, is `fit_level` of these rows already computed (it does not depend on the other parameters)."""
    transitions = [r for r in rows if r.previous is not None]
    if level is None:
        level = fit_level(level_rows if level_rows is not None else rows, level_indices)
    model = Model(0.0, {k: 0.0 for k in delta_indices}, mean_reversion, level, 0.0, {}, 0.0, Z90, 0.0)
    xs, ys = [], []
    for r in transitions:
        implied = model.implied_level(r.levels)
        gap = (implied - r.previous) if implied is not None else 0.0
        xs.append([r.deltas.get(k) or 0.0 for k in delta_indices])
        ys.append(r.target - r.previous - mean_reversion * gap)
    c, b = LOSSES[loss](xs, ys, penalty=penalty, intercept=intercept,
                        signs={j: signs.get(k) for j, k in enumerate(delta_indices)})
    model.intercept = c
    model.coefficients = dict(zip(delta_indices, b))
    model.delta_sd = {k: _sd(r.deltas[k] for r in transitions if r.deltas.get(k) is not None) for k in delta_indices}
    gaps = [model.implied_level(r.levels) - r.previous for r in transitions if model.implied_level(r.levels) is not None]
    model.level_gap_sd = _sd(gaps)
    residuals = [r.target - model.predict(r.previous, r.deltas, r.levels)[0] for r in transitions]
    model.sigma = math.sqrt(sum(e * e for e in residuals) / max(len(residuals) - 1, 1)) if residuals else 0.0
    return model


# --- cross-validation -----------------------------------------------------------------------------------

def groups(rows, *, country_folds=5, repeats=None):
    """How the fit rows are split for choosing hyper-parameters: (grouping, [(name, held_out(row))]). By edition
    when at least two editions hold transitions with a real previous score; otherwise fixed country folds
    (crc32 of the code), and with `repeats` that many differently seeded sets of country folds (crc32 of the
    code and the repeat number), so that one lucky split does not choose."""
    editions = sorted({r.edition for r in rows if r.previous is not None})
    if len(editions) >= 2:
        return "editions", [(e, lambda r, e=e: r.edition == e) for e in editions]
    if repeats is None:
        return "countries", [(f"countries {i + 1}/{country_folds}",
                              lambda r, i=i: zlib.crc32(r.country.encode()) % country_folds == i)
                             for i in range(country_folds)]
    return "countries", [(f"countries {i + 1}/{country_folds}, repeat {seed + 1}/{repeats}",
                          lambda r, i=i, seed=seed: zlib.crc32(f"{r.country}{seed}".encode()) % country_folds == i)
                         for seed in range(repeats) for i in range(country_folds)]


def _params(chosen):
    return {k: chosen[k] for k in ("mean_reversion", "penalty", "loss", "intercept") if k in chosen}


def out_of_fold(rows, params, *, delta_indices, level_indices, signs, country_folds=5, repeats=None, splits=None):
    """[(row, prediction, spread, fold)] for every transition row in every split, each predicted by a model
    fitted without its group; plus the name of the grouping. With repeats, each row appears once per repeat.
    `splits` (from `split_rows`) saves splitting the rows again when several parameter sets are tried."""
    if splits is None:
        splits = split_rows(rows, level_indices=level_indices, country_folds=country_folds, repeats=repeats)
    kind, parts = splits
    predictions = []
    for name, train, held_out, level in parts:
        model = fit(train, delta_indices=delta_indices, level_indices=level_indices, signs=signs, level=level,
                    **params)
        for r in held_out:
            score, spread, _ = model.predict(r.previous, r.deltas, r.levels)
            predictions.append((r, score, spread, name))
    return kind, predictions


def split_rows(rows, *, level_indices, country_folds=5, repeats=None):
    """(grouping, [(name, training rows, held-out transitions, implied-level map of the training rows)])."""
    kind, splits = groups(rows, country_folds=country_folds, repeats=repeats)
    parts = []
    for name, held in splits:
        train = [r for r in rows if not held(r)]
        held_out = [r for r in rows if r.previous is not None and held(r)]
        parts.append((name, train, held_out, fit_level(train, level_indices)))
    return kind, parts


def band_agreement(pairs, hysteresis, hysteresis_up=None):
    """(agreement, false changes, changes caught) of displayed bands [(row, score)] against the published."""
    agree = false = caught = 0
    for r, score in pairs:
        shown = displayed_band(score, r.previous_band, hysteresis, hysteresis_up)
        agree += shown == r.target_band
        false += shown != r.previous_band and shown != r.target_band
        caught += shown != r.previous_band and shown == r.target_band
    return agree, false, caught


def choose(rows, *, delta_indices, level_indices, signs, grid, country_folds=5, repeats=None):
    """Every hyper-parameter by cross-validation on the fit rows alone: the loss, whether to fit a drift c,
    mean reversion a and the penalty by the out-of-fold mean absolute error; then h by the out-of-fold band
    agreement; then the interval multiplier. Returns (chosen, trace)."""
    trace = []
    best = None
    options = {"delta_indices": delta_indices, "level_indices": level_indices, "signs": signs,
               "country_folds": country_folds, "repeats": repeats,
               "splits": split_rows(rows, level_indices=level_indices, country_folds=country_folds, repeats=repeats)}
    for loss in grid.get("loss", ["ls"]):
        for intercept in grid.get("intercept", [True]):
            for a in grid["mean_reversion"]:
                for penalty in grid["penalty"]:
                    params = {"mean_reversion": a, "penalty": penalty, "loss": loss, "intercept": bool(intercept)}
                    kind, preds = out_of_fold(rows, params, **options)
                    mae = sum(abs(r.target - s) for r, s, _, _ in preds) / len(preds)
                    trace.append({**params, "cv_mae": round(mae, 4), "n": len(preds)})
                    if best is None or mae < best[0] - 1e-9:
                        best = (mae, params, preds)
    _, params, preds = best
    # Hysteresis: the most band agreement out of fold; ties go to fewer false changes, then to the larger h
    # (fewer proposals). With "hysteresis_up" in the grid, the margin above the band's upper edge is chosen
    # with it, over every pair (the same tie rules; then the larger downward h).
    h_trace = []
    best_h = None
    pairs = [(r, s) for r, s, _, _ in preds]
    for h in grid["hysteresis"]:
        for h_up in grid.get("hysteresis_up", [None]):
            agree, false, caught = band_agreement(pairs, h, h_up)
            h_trace.append({"hysteresis": h, **({} if h_up is None else {"hysteresis_up": h_up}),
                            "cv_band_agreement": round(agree / len(preds), 4),
                            "cv_false_changes": false, "cv_changes_caught": caught})
            key = (agree, -false, h + (h if h_up is None else h_up), h)
            if best_h is None or key > best_h[0]:
                best_h = (key, h, h_up)
    # Interval: the multiplier of the row's spread that covers 90% of the out-of-fold residuals.
    ratios = sorted(abs(r.target - s) / sd for r, s, sd, _ in preds if sd > 0)
    multiplier = _quantile(ratios, 0.9) if ratios else Z90
    chosen = {"mean_reversion": params["mean_reversion"], "penalty": params["penalty"], "hysteresis": best_h[1],
              "interval_multiplier": round(multiplier, 4), "cv_grouping": kind}
    if best_h[2] is not None:
        chosen["hysteresis_up"] = best_h[2]
    if "loss" in grid or "intercept" in grid:
        chosen.update(loss=params["loss"], intercept=params["intercept"])
    if repeats is not None:
        chosen["cv_repeats"] = repeats
    return chosen, {"grouping": kind, "mean_reversion_and_penalty": trace, "hysteresis": h_trace}


def _quantile(sorted_values, q):
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def calibrate(rows, *, delta_indices, level_indices, signs, grid, country_folds=5, repeats=None):
    """The final model: hyper-parameters chosen by cross-validation, then fitted on every fit row."""
    chosen, trace = choose(rows, delta_indices=delta_indices, level_indices=level_indices, signs=signs,
                           grid=grid, country_folds=country_folds, repeats=repeats)
    model = fit(rows, delta_indices=delta_indices, level_indices=level_indices, signs=signs, **_params(chosen))
    # The spread of a prediction is the out-of-fold one, not the in-sample one.
    _, preds = out_of_fold(rows, _params(chosen), delta_indices=delta_indices, level_indices=level_indices,
                           signs=signs, country_folds=country_folds, repeats=repeats)
    residuals = [r.target - s for r, s, _, _ in preds]
    model.sigma = math.sqrt(sum(e * e for e in residuals) / max(len(residuals) - 1, 1))
    model.hysteresis = chosen["hysteresis"]
    model.hysteresis_up = chosen.get("hysteresis_up")
    model.interval_multiplier = chosen["interval_multiplier"]
    return model, chosen, trace


# --- evaluation -----------------------------------------------------------------------------------------

def evaluate(predictions, *, hysteresis, hysteresis_up=None):
    """Scores of [(row, score, half_width_90, band_probabilities)] against the published edition."""
    scored = [p for p in predictions if p[0].previous_band is not None]
    n = len(scored)
    if not n:
        return {"n": 0}
    agree, false, caught = band_agreement([(r, s) for r, s, _, _ in scored], hysteresis, hysteresis_up)
    covered = sum(s - w <= r.target <= s + w for r, s, w, _ in scored)
    log_score = sum(math.log(max(probs.get(r.target_band, 0.0), 1e-6)) for r, _, _, probs in scored) / n
    mean_error = sum(s - r.target for r, s, _, _ in scored) / n
    return {
        "n": n,
        "mae": round(sum(abs(r.target - s) for r, s, _, _ in scored) / n, 3),
        "mean_error": round(mean_error, 3),
        # Diagnostic only (uses the evaluated edition's own mean): the MAE once the edition-wide shift that
        # no input predicts is taken out; it shows how much of the error is that shift.
        "mae_without_edition_shift": round(sum(abs(r.target - s + mean_error) for r, s, _, _ in scored) / n, 3),
        "band_agreement": round(agree / n, 4),
        "changed_band": sum(r.previous_band != r.target_band for r, *_ in scored),
        "changes_caught": caught,
        "false_changes": false,
        "coverage_90": round(covered / n, 4),
        "mean_log_score": round(log_score, 4),
    }


def reliability(predictions, *, bins=(0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001)):
    """Predicted band probability against the observed frequency, over every (country, band) pair."""
    table = []
    for low, high in zip(bins, bins[1:]):
        pairs = [(probs[b.code], r.target_band == b.code) for r, _, _, probs in predictions for b in BANDS
                 if low <= probs[b.code] < high]
        if pairs:
            table.append({"predicted": f"{low:.1f}-{min(high, 1.0):.1f}", "n": len(pairs),
                          "mean_predicted": round(sum(p for p, _ in pairs) / len(pairs), 4),
                          "observed": round(sum(o for _, o in pairs) / len(pairs), 4)})
    return table


# --- the one report -------------------------------------------------------------------------------------

def _predictions(model, rows):
    out = []
    for r in rows:
        score, spread, _ = model.predict(r.previous, r.deltas, r.levels)
        half = model.interval_multiplier * spread
        out.append((r, score, half, band_probabilities(score, max(half / Z90, 1e-6))))
    return out


def persistence_predictions(fit_rows, rows):
    """The previous published score carried forward; its 90% interval is the 90% quantile of the absolute
    change in the fit transitions."""
    changes = sorted(abs(r.target - r.previous) for r in fit_rows if r.previous is not None)
    half = _quantile(changes, 0.9) if changes else 0.0
    return [(r, r.previous, half, band_probabilities(r.previous, max(half / Z90, 1e-6))) for r in rows]


def static_predictions(pairs, fit_pairs):
    """[(row, score)] of a model without its own spread (the level model): the interval is the 90% quantile of
    its absolute residuals on the fit rows."""
    residuals = sorted(abs(r.target - s) for r, s in fit_pairs)
    half = _quantile(residuals, 0.9) if residuals else 0.0
    return [(r, s, half, band_probabilities(s, max(half / Z90, 1e-6))) for r, s in pairs]


def fold_results(fit_rows, chosen, *, delta_indices, level_indices, signs, country_folds, repeats=None):
    """Each cross-validation fold of the chosen parameters: the transition model against persistence."""
    kind, splits = groups(fit_rows, country_folds=country_folds, repeats=repeats)
    _, preds = out_of_fold(fit_rows, _params(chosen), delta_indices=delta_indices, level_indices=level_indices,
                           signs=signs, country_folds=country_folds, repeats=repeats)
    folds = []
    for name, _ in splits:
        held = [(r, s) for r, s, _, fold in preds if fold == name]
        if not held:
            continue
        agree, false, caught = band_agreement(held, chosen["hysteresis"], chosen.get("hysteresis_up"))
        folds.append({"held_out": name, "n": len(held),
                      "mae": round(sum(abs(r.target - s) for r, s in held) / len(held), 3),
                      "band_agreement": round(agree / len(held), 4), "false_changes": false,
                      "changes_caught": caught,
                      "persistence": {"mae": round(sum(abs(r.target - r.previous) for r, _ in held) / len(held), 3),
                                      "band_agreement": round(sum(r.previous_band == r.target_band
                                                                  for r, _ in held) / len(held), 4)}})
    return kind, folds


def spec_options(spec):
    """What `calibrate` and the cross-validation take from a version's specification (its `model`)."""
    return {"delta_indices": list(spec["delta_indices"]), "level_indices": list(spec["level_indices"]),
            "signs": dict(spec["signs"]), "country_folds": int(spec.get("country_folds", 5)),
            "repeats": int(spec["cv_repeats"]) if spec.get("cv_repeats") else None}


def report(fit_rows, evaluate_rows, *, spec, stored=None, level_pairs=None, level_fit_pairs=None):
    """Calibrate the transition specification on `fit_rows` alone and evaluate it, persistence, the level
    model (given as predictions) and the stored version's model on `evaluate_rows`."""
    options = spec_options(spec)
    model, chosen, trace = calibrate(fit_rows, grid=spec["grid"], **options)
    kind, folds = fold_results(fit_rows, chosen, **options)
    rows = [r for r in evaluate_rows if r.previous is not None and r.previous_band is not None]
    transition_preds = _predictions(model, rows)
    models = {
        "persistence": evaluate(persistence_predictions(fit_rows, rows), hysteresis=math.inf),
        "transition": {**evaluate(transition_preds, hysteresis=model.hysteresis, hysteresis_up=model.hysteresis_up),
                       "model": model.to_json()},
    }
    if level_pairs is not None:
        wanted = {(r.country, r.edition) for r in rows}
        pairs = [(r, s) for r, s in level_pairs if (r.country, r.edition) in wanted]
        models["level"] = evaluate(static_predictions(pairs, level_fit_pairs or []), hysteresis=0.0)
    if stored is not None:
        models["stored_version"] = evaluate(_predictions(stored, rows), hysteresis=stored.hysteresis,
                                            hysteresis_up=stored.hysteresis_up)
    return {"model": model, "chosen": chosen, "trace": trace, "folds": folds, "fold_grouping": kind,
            "models": models, "reliability": reliability(transition_preds),
            "n_fit_transitions": sum(1 for r in fit_rows if r.previous is not None),
            "n_fit_without_previous_score": sum(1 for r in fit_rows if r.previous is None)}
