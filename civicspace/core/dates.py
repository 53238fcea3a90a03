"""Dates known only to the month or the year: '2024-01-15' (day), '2024-01' (month), '2024' (year)."""
import datetime as dt

FORMATS = (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year"))


def parse_partial_date(text, *, precisions=("day", "month", "year")):
    """(date, precision) for the first format that fits, the date being the first day of the period;
    ValueError when the text is not a date of an allowed precision."""
    for fmt, precision in FORMATS:
        if precision not in precisions:
            continue
        try:
            return dt.datetime.strptime(text, fmt).date(), precision
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date")
