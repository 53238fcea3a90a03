from django.conf import settings
from django.core.management.base import BaseCommand

from civicspace.legislation.reference import demo_bills_load
from civicspace.monitoring.reference import demo_load
from civicspace.watchlist.reference import demo_press_release_attach


class Command(BaseCommand):
    help = ("Load the demo content: real, published updates and incidents taken from cited documents "
            "(civicspace/data/demo). Idempotent; never overwrites records that already exist.")

    def handle(self, *args, **options):
        created = demo_load()
        # The intake development set's events, written up as published updates (issue 18; provenance in
        # civicspace/data/demo/README.md). Same loader: found by key, never overwritten.
        created += demo_load(path=settings.PACKAGE_DIR / "data" / "demo" / "intake-devset-updates.json")
        bills = demo_bills_load()
        releases = demo_press_release_attach()
        self.stdout.write(f"Demo content: {created} update(s), {bills} law(s) and {releases} press release(s) "
                          "added.")
