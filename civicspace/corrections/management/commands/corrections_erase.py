"""Erase a requester's personal data on request: `civicspace corrections_erase someone@example.org`; with
`--expired` (e.g. daily from cron), delete the unconfirmed requests whose confirmation link has expired."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicspace.corrections.services import requester_erase, requests_expired_delete


class Command(BaseCommand):
    help = ("Erase the personal data of everyone who wrote from an address: unpublished requests are deleted, "
            "published ones keep only what was made public; the e-mails sent to the address are blanked.")

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?")
        parser.add_argument("--expired", action="store_true",
                            help="delete unconfirmed requests whose confirmation link has expired")

    def handle(self, *args, email=None, expired=False, **options):
        if expired:
            count = requests_expired_delete(actor_label="corrections_erase --expired")
            self.stdout.write(f"{count} expired unconfirmed request(s) deleted.")
            if not email:
                return
        try:
            count = requester_erase(email=email, actor_label="corrections_erase command")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{count} request(s) erased for that address.")
