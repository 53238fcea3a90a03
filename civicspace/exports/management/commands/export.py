from django.core.management.base import BaseCommand, CommandError

from civicspace.exports.services import ExportError, Progress, export_release, releases_dir


class Command(BaseCommand):
    help = ("Write a data release (CSV and JSON per table, datapackage.json, codebook, changelog, zip). By "
            "default into its own folder of the releases directory, which the public data page lists; with "
            "--out DIR into DIR itself. All or nothing: a failure leaves no release. Progress (each table's rows "
            "and rate) goes to stderr; -v 0 silences it.")

    def add_arguments(self, parser):
        parser.add_argument("--out", metavar="DIR", help="write the release into DIR (new or empty)")
        parser.add_argument("--releases", metavar="DIR",
                            help=f"releases directory (default: {releases_dir()})")

    def handle(self, *args, out=None, releases=None, verbosity=1, **options):
        progress = Progress(self.stderr._out, enabled=verbosity > 0)
        try:
            path = export_release(releases, destination=out, progress=progress)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Release written: {path}"))
