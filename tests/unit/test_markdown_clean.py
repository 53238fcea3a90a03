"""Markdown is stored and published without HTML comments or raw HTML (core/text.clean_markdown)."""
import pytest

from civicspace.core.text import clean_markdown, render_markdown


@pytest.mark.parametrize("text, expected", [
    ("Public.<!-- hidden note -->", "Public."),
    ("A<!-- one\nline two -->B", "AB"),
    ("Open <!-- never closed", "Open "),
    ("<!-- <!-- nested --> -->rest", " -->rest"),
    ("<script>alert(1)</script>Text", "alert(1)Text"),
    ('<div class="x">Para</div>', "Para"),
    ("Keep 3 < 4 and 5 > 2", "Keep 3 < 4 and 5 > 2"),
    ("`<b>` stays code", "`<b>` stays code"),
    ("```\n<!-- code -->\n```\nafter<!-- x -->", "```\n<!-- code -->\n```\nafter"),
    ("<<!-- -->!-- rebuilt -->", ""),  # removing one comment must not assemble another
    ("", ""),
])
def test_clean_markdown(text, expected):
    assert clean_markdown(text) == expected
    assert clean_markdown(clean_markdown(text)) == clean_markdown(text)  # idempotent


def test_a_comment_never_reaches_the_rendered_page():
    html = render_markdown("Visible.\n\n<!-- CANARY-comment -->\n\nAlso <span>visible</span>.")
    assert "CANARY" not in html and "&lt;" not in html
    assert "Visible." in html and "Also visible." in html
