from django.core.management.base import BaseCommand

from civicspace.alerts.services import webhook_requests_expire, webhook_retry_due


class Command(BaseCommand):
    help = ("Send the webhook deliveries whose next attempt (after back-off) is due, and delete the self-service "
            "requests never confirmed within their link's life. Under `make stack` the worker runs deferred attempts "
            "itself; in the embedded mode run this from cron every minute.")

    def add_arguments(self, parser):
        parser.add_argument("--retry-due", action="store_true", required=True)

    def handle(self, *args, **options):
        self.stdout.write(f"{webhook_retry_due()} delivery attempt(s) made; "
                          f"{webhook_requests_expire()} unconfirmed webhook request(s) expired")
