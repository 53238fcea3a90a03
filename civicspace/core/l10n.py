"""Locale-aware dates and punctuation, for templates (core/templatetags/locale_text.py) and code alike.

- Dates go through the language's named formats (civicspace/formats/<lang>/formats.py), never a literal
  pattern: a date known to the day is DATE_FORMAT («10 марта 2025 г.», «10 de marzo de 2025»), to the month
  YEAR_MONTH_FORMAT («diciembre de 2025»), to the year the year alone.
- A label's colon is the language's: French puts a no-break space before it («Source : …»).
- A list's separator is the language's: Arabic uses the Arabic comma «، ».
- An arrow from an old value to a new one points in the reading direction: → in left-to-right languages,
  ← in Arabic (the arrow character is not mirrored by the bidi algorithm).
- A number with a fixed count of decimals is rounded to them (decimal_text), in the language's format.
"""
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, get_language_bidi

NBSP = "\u00a0"
COLONS = {"fr": NBSP + ":"}
LIST_SEPARATORS = {"ar": "، "}
CLAUSE_SEPARATORS = {"ar": "؛ ", "fr": "\u00a0; "}  # between items that contain commas themselves


def _lang():
    return (get_language() or "en").split("-")[0]


def partial_date_text(value, precision="day"):
    """A date shown only as precisely as it is known: 15 January 2024, January 2024, or 2024."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


def decimal_text(value, decimals):
    """`value` with `decimals` decimals in the active language's number format, rounded: Django's number_format
    cuts a float's extra decimals off (0.9086 as a percentage gave "90.8", 12.349 gave "12.34")."""
    return number_format(round(value, decimals), decimal_pos=decimals)


def colon():
    return COLONS.get(_lang(), ":")


def list_separator():
    return LIST_SEPARATORS.get(_lang(), ", ")


def join_list(items):
    return list_separator().join(str(item) for item in items)


def clause_separator():
    return CLAUSE_SEPARATORS.get(_lang(), "; ")


def join_clauses(items):
    """Items that may contain commas, joined with the language's semicolon (Arabic «؛», French « ; »)."""
    return clause_separator().join(str(item) for item in items)


def change_arrow():
    """The arrow from before to after in the reading direction of the active language."""
    return "←" if get_language_bidi() else "→"
