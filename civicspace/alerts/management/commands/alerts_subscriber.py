import json

from django.core.management.base import BaseCommand, CommandError

from civicspace.alerts.services import subscriber_delete, subscriber_export


class Command(BaseCommand):
    help = "A subscriber's data on request: --export EMAIL prints everything held as JSON; --delete EMAIL erases it."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--export", metavar="EMAIL")
        group.add_argument("--delete", metavar="EMAIL")

    def handle(self, *args, export=None, delete=None, **options):
        if export:
            data = subscriber_export(email=export)
            if data is None:
                raise CommandError(f"No subscriber with the address {export}")
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            if not subscriber_delete(email=delete):
                raise CommandError(f"No subscriber with the address {delete}")
            self.stdout.write(f"Deleted the subscriber {delete} and the alert e-mails kept for it.")
