from django.core.management.base import BaseCommand, CommandError

from civicspace.core.csvfiles import CsvValidationError
from civicspace.ratings.services.importer import ratings_import


class Command(BaseCommand):
    help = "Import published rating editions from a CSV file (validates every row; all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV with columns edition,published,coverage,iso3,country,rating,score,source_url")

    def handle(self, *args, path, **options):
        try:
            editions, ratings = ratings_import(path=path)
        except CsvValidationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Editions: {editions}\nRatings: {ratings}")
