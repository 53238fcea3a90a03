# Arabic: «10 مارس 2025», «مارس 2025», Western Arabic digits (see civicspace/formats/__init__.py), no Latin
# comma between the month and the year (Django's own format has «،» there; CLDR's long date has none).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
