from django.core.management.base import BaseCommand, CommandError

from civicspace.exports.services import ExportError, export_release, releases_dir


class Command(BaseCommand):
    help = ("Write a data release (CSV and JSON per table, datapackage.json, codebook, changelog, zip) into its "
            "own folder of the releases directory. All or nothing: a failure leaves no release.")

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="DIR",
                            help=f"releases directory (default: {releases_dir()})")

    def handle(self, *args, out=None, **options):
        try:
            path = export_release(out, progress=lambda message: self.stdout.write(message))
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Release written: {path}"))
