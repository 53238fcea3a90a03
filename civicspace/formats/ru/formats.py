# Russian: «10 марта 2025 г.» (E is the genitive month name), «март 2025 г.» is Django's «Март 2025 г.».
# A sentence that ends with a date ends with «г.»: the catalogue never adds a second period after it.
DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г. G:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
