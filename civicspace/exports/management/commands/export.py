from django.core.management.base import BaseCommand, CommandError

from civicspace.exports.services import ExportError, export_release, releases_dir


class Command(BaseCommand):
    help = ("Write a data release (CSV and JSON per table, datapackage.json, codebook, changelog, zip). By "
            "default into its own folder of the releases directory, which the public data page lists; with "
            "--out DIR into DIR itself. All or nothing: a failure leaves no release.")

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="DIR", help="write the release into DIR (new or empty)")
        parser.add_argument("--releases", metavar="DIR",
                            help=f"releases directory (default: {releases_dir()})")

    def handle(self, *args, out=None, releases=None, **options):
        try:
            path = export_release(releases, destination=out, progress=lambda message: self.stdout.write(message))
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Release written: {path}"))
