"""Rebasing external index values to the 1-100 score scale by each index's declared rule. Pure Python."""
import math

from .bands import SCORE_MAX, SCORE_MIN

SPAN = SCORE_MAX - SCORE_MIN


def rebase(value, rule):
    """`value` on the index's own scale -> 1..100, higher always freer.

    linear: the declared theoretical minimum maps to 1 and the maximum to 100 (reversed when lower is freer);
    values outside the declared range are clipped to it. logistic: for latent scales with no theoretical
    bounds (V-Dem), 1 + 99 / (1 + exp(-(value - location) / scale)).
    """
    value = float(value)
    if rule.transform == "linear":
        share = (min(max(value, rule.min), rule.max) - rule.min) / (rule.max - rule.min)
    elif rule.transform == "logistic":
        z = (value - rule.location) / rule.scale
        share = 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
    else:
        raise ValueError(f"unknown transform {rule.transform!r}")
    if not rule.higher_is_freer:
        share = 1.0 - share
    return SCORE_MIN + SPAN * share
