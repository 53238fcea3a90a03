import csv
from pathlib import Path

from django.core.management.base import BaseCommand

from civicspace.watchlist.config import DEFAULT
from civicspace.watchlist.selectors import backtest_rows, signals_backtest


class Command(BaseCommand):
    help = "Watchlist tools. `watchlist backtest [--csv FILE]`: downgrade rates of watchlisted countries."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        bt = sub.add_parser("backtest", help="replay the real history of ratings and Watchlist editions")
        bt.add_argument("--csv", default="var/watchlist-backtest.csv", help="where to write the table as CSV")
        bt.add_argument("--skip-signals", action="store_true",
                        help="only the editions table: the signals' own backtest calibrates the methodology again "
                             "for each edition it leaves out (about 20 s)")

    def handle(self, *args, action, **options):
        rows = backtest_rows()
        header = ["edition", "published", "watchlisted", "downgraded", "rate", "all compared", "all downgraded",
                  "all rate"]

        def pct(value):
            return "—" if value is None else f"{value:.0%}"

        table = [[r.edition, r.published.isoformat(), r.watchlisted, r.watchlisted_downgraded, pct(r.watchlisted_rate),
                  r.all_compared, r.all_downgraded, pct(r.all_rate)] for r in rows]
        widths = [max(len(str(x)) for x in column) for column in zip(header, *table)]
        for line in [header, *table]:
            self.stdout.write("  ".join(str(x).rjust(w) for x, w in zip(line, widths)))
        path = Path(options["csv"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["edition", "published", "watchlisted", "watchlisted_downgraded", "all_compared",
                             "all_downgraded"])
            for r in rows:
                writer.writerow([r.edition, r.published.isoformat(), r.watchlisted, r.watchlisted_downgraded,
                                 r.all_compared, r.all_downgraded])
        self.stdout.write(f"Written to {path}")
        if not options["skip_signals"]:
            self._signals()

    def _signals(self):
        """The signals' own backtest: ranked as of 1 June before each edition, precision and recall at 10
        and 15 against the base rate; and whether the index changes are admitted as a signal."""
        rows, admitted = signals_backtest()
        write_signals_backtest(self.stdout.write, rows, admitted)


def write_signals_backtest(write, rows, admitted):
    """The lines `civicspace watchlist backtest` prints for the signals' own backtest (rows, admitted as
    selectors.signals_backtest gives them)."""
    write("")
    write("Signals ranked as of 1 June before each edition (downgrades found in the top k):")
    for row in rows:
        for name, r in (("signals", row["signals"]), ("+ index changes", row.get("with_index_changes"))):
            if r is None:
                continue
            write(f"  {row['edition']} {name:16} base rate {r['base_rate']:.1%} ({r['downgraded']} of "
                  f"{r['compared']}); top 10: {r['hits_at_10']} (precision {r['precision_at_10']:.0%}, recall "
                  f"{r['recall_at_10'] or 0:.0%}, {r['lift_at_10']}x); top 15: {r['hits_at_15']} (precision "
                  f"{r['precision_at_15']:.0%}, recall {r['recall_at_15'] or 0:.0%}, {r['lift_at_15']}x)")
    fitted = sorted({(row["edition"], ", ".join(row["index_model_fitted_on"])) for row in rows
                     if row.get("index_model_fitted_on")})
    if fitted:
        write("Index changes from a model calibrated without the edition it ranks for: " + "; ".join(
            f"{edition}: calibrated on {on}" for edition, on in fitted))
    weight = DEFAULT.weights["index_changes"]
    if admitted:
        verdict = ("admitted: they find more downgrades in every edition, out of sample; the live signals "
                   f"weigh them {weight:g}" if weight else
                   "admitted by the backtest, but the signal configuration gives them no weight yet")
    else:
        verdict = ("NOT admitted: they do not find more downgrades in every edition" +
                   (f", yet the signal configuration weighs them {weight:g}: take the weight out" if weight
                    else "; the signals stay as they are"))
    write("Index changes as a signal: " + verdict + ".")
