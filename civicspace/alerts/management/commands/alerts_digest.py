import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from civicspace.alerts.services import digest_send


class Command(BaseCommand):
    help = ("Send the daily or weekly alert digests of the period that ended before today (UTC). Run it from cron "
            "(daily after midnight; weekly on Mondays); running it twice sends nothing more.")

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)
        parser.add_argument("--date", help="pretend today is this date (YYYY-MM-DD): the digest of the period "
                                           "before it")
        parser.add_argument("--queue", action="store_true",
                            help="queue the digest on the task worker instead of sending it from this process")

    def handle(self, *args, period, date=None, queue=False, **options):
        if queue:
            from django.db import transaction

            from civicspace.alerts.tasks import alerts_digest
            from civicspace.jobs.services import job_enqueue

            with transaction.atomic():
                job_enqueue(alerts_digest, period=period)
            self.stdout.write(f"Queued the {period} digest")
            return
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"--date: {date!r} is not a date (YYYY-MM-DD)") from None
        result = digest_send(period=period, day=day)
        self.stdout.write(f"{period} digest {result['period']}: {result['events']} event(s), "
                          f"{result['subscribers']} subscriber(s)")
