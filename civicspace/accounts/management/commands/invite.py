from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civicspace.accounts.models import Role
from civicspace.accounts.services import invitation_create
from civicspace.countries.models import Country
from civicspace.jobs.services import email_queue
from civicspace.monitoring.models import Organisation


class Command(BaseCommand):
    help = "Invite someone: creates a single-use sign-up link (valid 7 days), e-mails it and prints it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", help="organisation slug (required for partners)")
        parser.add_argument("--countries", default="", help="comma-separated country codes, e.g. KGZ,KAZ")
        parser.add_argument("--language", default="en", choices=[code for code, _ in settings.LANGUAGES])
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the site is served")

    def handle(self, *args, email, role, organisation, countries, language, base_url, **options):
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                raise CommandError(f"--organisation: no organisation with slug '{organisation}'")
        if role == Role.PARTNER and org is None:
            raise CommandError("--organisation: a research partner must belong to an organisation")
        codes = [c.strip().upper() for c in countries.split(",") if c.strip()]
        found = list(Country.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {c.code for c in found})
        if unknown:
            raise CommandError(f"--countries: unknown country code(s): {', '.join(unknown)}")
        invitation = invitation_create(email=email, role=role, organisation=org, countries=found)
        with translation.override(language):
            link = base_url.rstrip("/") + reverse("invitation_accept", args=[invitation.token])
            subject = _("Invitation to the Civic Space Monitor")
            body = _("You are invited to the Civic Space Monitor. Open this link within 7 days to create your "
                     "account; it works once:") + f"\n\n{link}\n"
        # Sent by a background job (at most once per invitation), not while the command waits on SMTP.
        email_queue(key=f"invitation:{invitation.pk}", to=invitation.email, subject=subject, body=body)
        self.stdout.write(f"Invitation for {invitation.email} ({role}), valid until {invitation.expires_at:%Y-%m-%d}:")
        self.stdout.write(link)
