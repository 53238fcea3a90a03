# French: 10 mars 2025, mars 2025 (Django's own; repeated here so that the site's choice is in one place).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
