"""Every rating colour is readable (issue #22): its text at least 4.5:1 (WCAG 1.4.3), the badge's edge at least
3:1 against the page (1.4.11), and the stylesheet uses the same colours as the social cards and charts."""
import re
from pathlib import Path

import pytest

from civicspace.methodology.bands import RATING_CODES
from civicspace.ratings.labels import RATING_COLOURS

CSS = (Path(__file__).resolve().parents[2] / "civicspace" / "core" / "static" / "civicspace" / "site.css").read_text()
PAGE = "#ffffff"
INK = "#1b1b1b"


def luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_variable(name):
    return re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1).lower()


def css_text_colour(code):
    rule = re.search(rf"\.r-{code} \{{[^}}]*\}}", CSS).group(0)
    colour = re.search(r"(?<![-\w])color:\s*([^;]+);", rule).group(1).strip()
    if colour == "var(--ink)":
        return INK
    colour = colour.lower()
    return "#" + "".join(ch * 2 for ch in colour[1:]) if len(colour) == 4 else colour


def test_the_contrast_formula_matches_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("code", RATING_CODES)
def test_each_rating_colour_has_readable_text_and_a_visible_edge(code):
    background, text = RATING_COLOURS[code]
    assert contrast(background, text) >= 4.5, f"{code}: text {text} on {background} is {contrast(background, text):.2f}:1"
    assert css_variable(code) == background.lower(), f"site.css --{code} differs from ratings/labels.py"
    assert css_text_colour(code) == text.lower(), f"site.css .r-{code} text differs from ratings/labels.py"
    # The badge's edge (border: 1px solid var(--ink)) against the page and against its own fill.
    assert "border: 1px solid var(--ink)" in re.search(r"\.badge \{[^}]*\}", CSS).group(0)
    assert contrast(INK, PAGE) >= 3


def test_a_focus_ring_is_styled_for_every_focusable_element():
    rule = re.search(r"([^{}]*):focus-visible[^{]*\{[^}]*outline: 3px solid", CSS)
    assert rule
    for selector in ("a:focus-visible", "button:focus-visible", "input:focus-visible", "select:focus-visible",
                     "textarea:focus-visible", "summary:focus-visible"):
        assert selector in CSS, selector
