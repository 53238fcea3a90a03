"""The five civic-space ratings and the score bands that define them.

A guiding score (1-100, published with up to two decimals) maps to a rating by rounding it to a whole number
first, half up: a published 80.48 is narrowed, 80.5 is open. This is the rule every published score in the
reference data agrees with.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCORE_MIN = 1
SCORE_MAX = 100


@dataclass(frozen=True)
class Band:
    code: str
    low: int  # inclusive, on the rounded score
    high: int  # inclusive
    rank: int  # 1 = most open


# Ordered from most open to most closed.
BANDS = (
    Band("open", 81, 100, 1),
    Band("narrowed", 61, 80, 2),
    Band("obstructed", 41, 60, 3),
    Band("repressed", 21, 40, 4),
    Band("closed", 1, 20, 5),
)
BAND_BY_CODE = {band.code: band for band in BANDS}
RATING_CODES = tuple(band.code for band in BANDS)


class ScoreOutOfRange(ValueError):
    pass


def rounded_score(score) -> int:
    """The whole-number score that decides the band (half up, so 20.5 -> 21)."""
    return int(Decimal(str(score)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def band_for_score(score) -> Band:
    whole = rounded_score(score)
    if not SCORE_MIN <= whole <= SCORE_MAX:
        raise ScoreOutOfRange(f"score {score} is outside {SCORE_MIN}-{SCORE_MAX}")
    for band in BANDS:
        if band.low <= whole <= band.high:
            return band
    raise AssertionError("bands do not cover the score range")  # pragma: no cover


def rating_for_score(score) -> str:
    return band_for_score(score).code


def band_midpoint(code) -> float:
    """The middle of a rating's band: what stands in for a score when only the rating was published."""
    band = BAND_BY_CODE[code]
    return (band.low + band.high) / 2


def compare_ratings(before: str, after: str) -> int:
    """+1 if `after` is more open than `before` (an upgrade), -1 for a downgrade, 0 when unchanged."""
    b, a = BAND_BY_CODE[before].rank, BAND_BY_CODE[after].rank
    return (b > a) - (b < a)
