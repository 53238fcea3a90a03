import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNER = "partner", _("Research partner")
    EDITOR = "editor", _("Editor")
    PANEL = "panel", _("Advisory panel member")
    ADMIN = "admin", _("Administrator")


# Roles that may not work without a second factor.
ROLES_REQUIRING_2FA = {Role.EDITOR, Role.PANEL, Role.ADMIN}


class Profile(models.Model):
    """What a person may do: one role, an organisation (for partners) and the countries assigned to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTNER)
    organisation = models.ForeignKey(
        "monitoring.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    countries = models.ManyToManyField("countries.Country", blank=True, related_name="assigned_profiles")
    # The language of the person's e-mails (workflow notices); set at sign-up from the page's language.
    language = models.CharField(_("language of e-mails"), max_length=2, choices=settings.LANGUAGES, blank=True)

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def _new_token():
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=7)


class Invitation(models.Model):
    """Sign-up is by invitation only: a single-use token that expires."""

    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    organisation = models.ForeignKey("monitoring.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    countries = models.ManyToManyField("countries.Country", blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    used_at = models.DateTimeField(null=True, blank=True)

    def is_usable(self):
        return self.used_at is None and self.expires_at > timezone.now()

    def __str__(self):
        return f"{self.email} as {self.role}"
