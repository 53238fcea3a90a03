"""Erase a requester's personal data on request: `civicspace corrections_erase someone@example.org`."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civicspace.corrections.services import requester_erase


class Command(BaseCommand):
    help = ("Erase the personal data of everyone who wrote from an address: unpublished requests are deleted, "
            "published ones keep only what was made public; the e-mails sent to the address are blanked.")

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            count = requester_erase(email=email, actor_label="corrections_erase command")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{count} request(s) erased for that address.")
