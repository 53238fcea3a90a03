from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civicspace.core.csvfiles import CsvValidationError
from civicspace.countries.services import countries_load_registry
from civicspace.findings.reference import population_load
from civicspace.monitoring.reference import taxonomy_load
from civicspace.ratings.services.indices import indices_load
from civicspace.ratings.services.importer import ratings_import
from civicspace.watchlist.reference import hrc_sessions_load, watchlist_history_load


class Command(BaseCommand):
    help = (
        "Load the real reference data shipped in civicspace/data/reference: regions, the 198 rated countries "
        "and territories, and every published rating edition. Idempotent: a second run changes nothing."
    )

    def handle(self, *args, **options):
        reference = settings.REFERENCE_DATA_DIR
        try:
            with transaction.atomic():  # countries and ratings land together or not at all
                self.stdout.write("[1/7] regions and countries ...")
                regions, countries = countries_load_registry(reference_dir=reference)
                self.stdout.write(f"      regions: {regions}\n      countries: {countries}")
                self.stdout.write("[2/7] published ratings ...")
                editions, ratings = ratings_import(
                    path=reference / "civicus" / "ratings.csv", actor_label="load_reference_data"
                )
                self.stdout.write(f"      editions: {editions}\n      ratings: {ratings}")
                self.stdout.write("[3/7] taxonomy ...")
                self.stdout.write(f"      terms: {taxonomy_load()}")
                self.stdout.write("[4/7] Human Rights Council sessions ...")
                self.stdout.write(f"      sessions: {hrc_sessions_load()}")
                self.stdout.write("[5/7] Watchlist editions ...")
                self.stdout.write(f"      editions: {watchlist_history_load()}")
                self.stdout.write("[6/7] population ...")
                self.stdout.write(f"      figures: {population_load()}")
                self.stdout.write("[7/7] external indices (Freedom House, RSF, V-Dem, Political Terror Scale) ...")
                self.stdout.write(f"      values: {indices_load()}")
        except CsvValidationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Reference data is loaded."))
