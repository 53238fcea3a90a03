import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from civicspace.methodology import config as methodology_config
from civicspace.methodology import engine
from civicspace.ratings.services.scoring import score_inputs, scores_compute_all


class Command(BaseCommand):
    help = ("Compute and store every country's guiding score as of a date (default today) with the active "
            "methodology version; --sensitivity lists the countries whose band changes under plausible weight "
            "changes.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="date (YYYY-MM-DD); default today")
        parser.add_argument("--methodology", dest="version", default=methodology_config.ACTIVE_VERSION,
                            help="methodology version (default: the active one)")
        parser.add_argument("--sensitivity", action="store_true", help="print the sensitivity report too")

    def handle(self, *args, as_of=None, version=None, sensitivity=False, **options):
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
            methodology_config.load(version)
        except ValueError as exc:
            raise CommandError(f"--as-of / --version: {exc}") from exc
        self.stdout.write(f"Computing guiding scores as of {day} with methodology {version} ...")
        rows, without = scores_compute_all(as_of=day, version=version)
        self.stdout.write(f"  scored: {len(rows)}; without any evidence: {', '.join(without) or 'none'}")
        if sensitivity:
            methodology = methodology_config.load(version)
            inputs = score_inputs(as_of=day, methodology=methodology)
            report = engine.sensitivity(list(inputs.values()), methodology)
            self.stdout.write(f"Sensitivity (one stream's or one index's weight ±{methodology.sensitivity_weight_change:.0%}): "
                              f"{len(report)} countries could change band")
            for item in report:
                shifts = "; ".join(f"{s['stream']} x{s['factor']:g} -> {s['band']} ({s['score']:.1f})"
                                   for s in item["shifts"])
                self.stdout.write(f"  {item['country']} {item['band']} ({item['score']:.1f}): {shifts}")
        self.stdout.write(self.style.SUCCESS("Guiding scores are stored."))
