"""How much does a Watchlist place mean? For each rating edition: of the countries on a Watchlist in the 12
months before it, how many were downgraded in it, against the downgrade rate of all countries rated in both
that edition and an earlier one. Pure Python: plain data in, rows out."""
from dataclasses import dataclass
from datetime import date, timedelta

RANK = {"open": 1, "narrowed": 2, "obstructed": 3, "repressed": 4, "closed": 5}


@dataclass(frozen=True)
class BacktestRow:
    edition: str
    published: date
    watchlisted: int  # on a Watchlist in the 12 months before, and rated before and in this edition
    watchlisted_downgraded: int
    all_compared: int
    all_downgraded: int

    @property
    def watchlisted_rate(self):
        return self.watchlisted_downgraded / self.watchlisted if self.watchlisted else None

    @property
    def all_rate(self):
        return self.all_downgraded / self.all_compared if self.all_compared else None


def backtest(editions, ratings, watchlist_entries, *, lookback_days=365):
    """editions: [(code, published date)]; ratings: {(edition code, country): rating};
    watchlist_entries: [(edition date, country)]. Only editions that can be compared with an earlier rating
    give a row. A country's previous rating is its rating in the newest earlier edition that rates it."""
    rows = []
    ordered = sorted(editions, key=lambda e: e[1])
    for index, (code, published) in enumerate(ordered):
        since = published - timedelta(days=lookback_days)
        listed = {country for when, country in watchlist_entries if since < when <= published}
        compared = downgraded = w_compared = w_downgraded = 0
        countries = {country for (edition, country) in ratings if edition == code}
        for country in countries:
            previous = next((ratings[(c, country)] for c, _ in reversed(ordered[:index]) if (c, country) in ratings),
                            None)
            if previous is None:
                continue
            down = RANK[ratings[(code, country)]] > RANK[previous]
            compared += 1
            downgraded += down
            if country in listed:
                w_compared += 1
                w_downgraded += down
        if compared:
            rows.append(BacktestRow(code, published, w_compared, w_downgraded, compared, downgraded))
    return rows
