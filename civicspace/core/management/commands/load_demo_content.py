from django.core.management.base import BaseCommand

from civicspace.legislation.reference import demo_bills_load
from civicspace.monitoring.reference import demo_load


class Command(BaseCommand):
    help = ("Load the demo content: real, published updates and incidents taken from cited documents "
            "(civicspace/data/demo). Idempotent; never overwrites records that already exist.")

    def handle(self, *args, **options):
        created = demo_load()
        bills = demo_bills_load()
        self.stdout.write(f"Demo content: {created} update(s) and {bills} law(s) created.")
