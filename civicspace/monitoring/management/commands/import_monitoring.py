from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civicspace.core.csvfiles import CsvValidationError
from civicspace.monitoring.importer import records_import
from civicspace.monitoring.models import Organisation, Status


class Command(BaseCommand):
    help = ("Import monitoring records (updates, incidents, victims, sources) from the CSV files of a data "
            "release or files shaped like them: DIR/updates.csv and, when present, incidents.csv, victims.csv "
            "and sources.csv. Every line is validated first; all or nothing.")
    # A data command, like migrate: the system checks (about a second at startup) are for `check` and runserver.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")
        parser.add_argument("--organisation", required=True, metavar="SLUG",
                            help="the organisation the imported records belong to")
        parser.add_argument("--status", choices=[Status.DRAFT, Status.PUBLISHED], default=Status.DRAFT,
                            help="draft (default: editors review and publish them) or published (public at once)")
        parser.add_argument("--keep-ids", action="store_true",
                            help="keep the files' ids (moving records between instances keeps their URLs)")
        parser.add_argument("--public-names", action="store_true",
                            help="victims' names in the files were published already (a public data release)")
        parser.add_argument("--index-later", action="store_true",
                            help="leave the published updates marked for `civicspace search_reindex --dirty` "
                                 "instead of indexing them when the import commits (large imports)")

    def handle(self, *args, directory, organisation, status, keep_ids, public_names, index_later, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"unknown organisation '{organisation}'") from None
        if index_later:
            settings.SEARCH_INDEX_ON_COMMIT = False  # this process only: the marks stay for the job
        try:
            report = records_import(directory=directory, organisation=org, status=status, keep_ids=keep_ids,
                                    public_names=public_names)
        except CsvValidationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Imported for {org.slug} as {status}: {report}")
        if report.published and index_later:
            self.stdout.write("Run `civicspace search_reindex --dirty` to index the published updates.")
