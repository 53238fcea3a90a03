"""Dates in the language's own formats (civicspace/formats, civicspace/core/l10n.py), never a literal pattern."""
import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from civicspace.core.l10n import partial_date_text

ROOT = Path(__file__).resolve().parents[2] / "civicspace"
DAY = dt.date(2025, 3, 10)
DECEMBER = dt.date(2025, 12, 1)

EXPECTED = {
    "en": ("10 March 2025", "December 2025"),
    "ru": ("10 марта 2025 г.", "Декабрь 2025 г."),
    "fr": ("10 mars 2025", "décembre 2025"),
    "es": ("10 de marzo de 2025", "diciembre de 2025"),
    "ar": ("10 مارس 2025", "ديسمبر 2025"),
}


@pytest.mark.parametrize("lang", EXPECTED)
def test_dates_read_as_the_language_writes_them(lang):
    day, month = EXPECTED[lang]
    with translation.override(lang):
        assert partial_date_text(DAY, "day") == day
        assert partial_date_text(DECEMBER, "month") == month
        assert partial_date_text(DAY, "year") == "2025"
        march = partial_date_text(DAY, "month")
        rendered = Template("{% load civicspace %}{{ d }}|{% partial_date d 'month' %}|{{ n|floatformat:2 }}").render(
            Context({"d": DAY, "n": 80.48}))
    shown_day, shown_month, number = rendered.split("|")
    assert shown_day == day
    assert shown_month == march
    # Western Arabic digits everywhere; the decimal point in English and Arabic, the comma in the others.
    assert number == ("80.48" if lang in ("en", "ar") else "80,48")


def test_a_russian_sentence_ending_in_a_date_has_one_period():
    with translation.override("ru"):
        text = Template('{% load i18n %}{% blocktranslate with date=d|date:"DATE_FORMAT" %}This statement was last '
                        'reviewed on {{ date }}.{% endblocktranslate %}').render(Context({"d": DAY}))
    assert text.endswith("10 марта 2025 г.") and "г.." not in text


NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "YEAR_MONTH_FORMAT",
         "MONTH_DAY_FORMAT"}
MACHINE = {"c", "Y-m-d", "Y", "Y-m", "U"}  # ISO dates for datetime attributes, URLs and the chart's year axis


def test_no_literal_date_pattern_in_templates_or_code():
    found = []
    for path in ROOT.rglob("*"):
        if path.suffix not in (".html", ".txt", ".py") or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        patterns = re.findall(r"\|date:\s*[\"']([^\"']+)[\"']", text)
        patterns += re.findall(r"date_format\([^,()]+,\s*[\"']([^\"']+)[\"']", text)
        found += [f"{path.relative_to(ROOT)}: {p!r}" for p in patterns if p not in NAMED | MACHINE]
    assert not found, "use a named format (DATE_FORMAT, YEAR_MONTH_FORMAT ...):\n" + "\n".join(found)


def test_no_russian_message_puts_a_period_after_a_date():
    """Russian dates end in «г.»: a message whose date placeholder is followed by a period prints «г..»."""
    from tests.unit.test_glossary import read_po

    dates = r"%\((date|since|released|start|end|until|published|end_date|previous_date|expires)\)s\."
    po = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    bad = [english for _context, english, texts in read_po(po) for text in texts if re.search(dates, text)]
    assert not bad, bad
