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


# --- the signals' own backtest ----------------------------------------------------------------------------

def ranking_backtest(ranked, downgraded, compared, *, ks=(10, 15)):
    """How well a ranking (country codes, highest risk first) put the countries later downgraded at the top.

    `compared`: the countries rated both in the edition and before it (the only ones whose downgrade can be
    observed); the ranking is restricted to them. `downgraded`: those of them that were downgraded. For each k:
    precision (downgraded among the top k), recall (share of all downgrades in the top k) and the lift of the
    precision over the base rate (the share of compared countries downgraded)."""
    compared = set(compared)
    downgraded = set(downgraded) & compared
    order = [c for c in ranked if c in compared]
    base = len(downgraded) / len(compared) if compared else None
    out = {"compared": len(compared), "downgraded": len(downgraded),
           "base_rate": round(base, 4) if base is not None else None}
    for k in ks:
        hits = sum(1 for c in order[:k] if c in downgraded)
        precision = hits / k if order else None
        out[f"hits_at_{k}"] = hits
        out[f"precision_at_{k}"] = round(precision, 4) if precision is not None else None
        out[f"recall_at_{k}"] = round(hits / len(downgraded), 4) if downgraded else None
        out[f"lift_at_{k}"] = round(precision / base, 2) if base and precision is not None else None
    return out


def improves_everywhere(baseline, candidate, *, ks=(10, 15)):
    """True when the candidate ranking finds strictly more downgrades at some k and never fewer, in every
    edition: the rule for admitting a new signal."""
    if not baseline or set(baseline) != set(candidate):
        return False
    for edition in baseline:
        b, c = baseline[edition], candidate[edition]
        if any(c[f"hits_at_{k}"] < b[f"hits_at_{k}"] for k in ks):
            return False
        if not any(c[f"hits_at_{k}"] > b[f"hits_at_{k}"] for k in ks):
            return False
    return True
