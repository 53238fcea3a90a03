from django.core.management.base import BaseCommand, CommandError

from civicspace.monitoring.selectors import incident_type_ids_mismatched
from civicspace.monitoring.services import incident_type_ids_repair


class Command(BaseCommand):
    help = ("Check that each incident's copy of its types (Incident.type_ids, which the Watchlist signals and the "
            "guiding scores count by) matches its types; --repair rewrites the ones that differ. The site keeps "
            "the copy itself; only a write that bypassed it (raw SQL) can leave one behind. Exits with an error "
            "when a check finds any, for a cron job's alert.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rewrite the copies that differ (audited)")

    def handle(self, *args, repair, **options):
        if repair:
            found = incident_type_ids_repair()
            self.stdout.write(f"Repaired the copy of {len(found)} incident(s)" +
                              (f": {', '.join(map(str, found[:20]))}{' …' if len(found) > 20 else ''}" if found else ""))
            return
        found = incident_type_ids_mismatched(limit=21)
        if found:
            shown = ", ".join(map(str, found[:20])) + (" and more" if len(found) > 20 else "")
            raise CommandError(f"the copy of the types differs for incident(s) {shown}; run with --repair")
        self.stdout.write("Every incident's copy of its types matches its types.")
