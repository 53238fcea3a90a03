"""The site's date and number formats per language (settings.FORMAT_MODULE_PATH), over Django's own.

Only what differs from Django's locale files is set here; everything else falls back to them. Templates and
code use the named formats (DATE_FORMAT, YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT, SHORT_DATE_FORMAT), never a
literal pattern such as "j F Y": the pattern is the language's (tests/unit/test_dates.py).

Digits: Western Arabic digits (0-9) in every language, Arabic included, as the CIVICUS Monitor's Arabic pages
and UN Arabic documents print figures; in Arabic the decimal separator is the point and thousands are grouped
with a comma (so 80.48, as the catalogue's Arabic text writes it).
"""
