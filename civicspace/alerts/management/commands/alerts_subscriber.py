import json

from django.core.management.base import BaseCommand, CommandError

from civicspace.alerts.services import subscriber_delete, subscriber_export


class Command(BaseCommand):
    help = ("An address's data on request (subscription, webhook endpoints it owns or asked for, alert e-mails): "
            "--export EMAIL prints everything held as JSON; --delete EMAIL erases it.")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--export", metavar="EMAIL")
        group.add_argument("--delete", metavar="EMAIL")

    def handle(self, *args, export=None, delete=None, **options):
        if export:
            data = subscriber_export(email=export)
            if data is None:
                raise CommandError(f"Nothing is held about the address {export}")
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            if not subscriber_delete(email=delete):
                raise CommandError(f"Nothing is held about the address {delete}")
            self.stdout.write(f"Erased everything held about {delete}: the subscription, the webhook endpoints it owned "
                              f"or asked for, and the alert e-mails kept for it.")
