"""Alerts: e-mail subscribers (no account), the outbox of public events, what each subscriber was sent, and
webhook endpoints with their deliveries and attempts.

An Event row is written in the same transaction as the change that causes it (civicspace.core.events); the
fan-out job reads it later. Delivery is the idempotency record of an instant alert (one per subscriber, event and
kind): a fan-out run again after a crash finds it and sends nothing twice. Digests are idempotent through their
e-mail key (subscriber + period)."""
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicspace.countries.models import Country, Region
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Term


def new_token():
    return secrets.token_urlsafe(32)


def new_event_uid():
    return f"evt_{uuid.uuid4().hex}"


def new_webhook_secret():
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        INSTANT = "instant", _("at once, one e-mail per event")
        DAILY = "daily", _("a daily digest")
        WEEKLY = "weekly", _("a weekly digest")

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices,
                                 default=Frequency.INSTANT)
    token = models.CharField(max_length=64, unique=True, default=new_token)  # confirm, manage, unsubscribe
    countries = models.ManyToManyField(Country, blank=True, related_name="+", verbose_name=_("countries"))
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("regions"))
    terms = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("freedoms and violation types"),
                                   limit_choices_to={"vocabulary__in": ("freedom", "violation")})
    bills = models.ManyToManyField(Bill, blank=True, related_name="+", verbose_name=_("laws"))
    law_countries = models.ManyToManyField(Country, blank=True, related_name="+",
                                           verbose_name=_("every law of these countries"))
    rating_changes = models.BooleanField(_("rating changes"), default=False)
    watchlist = models.BooleanField(_("Watchlist editions"), default=False)
    findings = models.BooleanField(_("global findings"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"subscriber {self.pk}"


class Event(models.Model):
    """The outbox: one public change, with only public fields (read through the domains' published() doors)."""

    uid = models.CharField(max_length=40, unique=True, default=new_event_uid)  # webhook-id, for de-duplication
    kind = models.CharField(max_length=40, db_index=True)
    object_id = models.PositiveBigIntegerField()
    payload = models.JSONField(default=dict)   # public fields, per language where translated
    match = models.JSONField(default=dict)     # countries, terms, bill: what subscriptions it matches
    related = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.uid})"


class Delivery(models.Model):
    """One instant alert or retraction notice sent to one subscriber: the idempotency record of the fan-out."""

    class Kind(models.TextChoices):
        INSTANT = "instant", "instant"
        RETRACTION = "retraction", "retraction"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    email_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "event", "kind"], name="alerts_delivery_once")]


class WebhookEndpoint(models.Model):
    name = models.CharField(_("name"), max_length=200)
    owner_email = models.EmailField(_("owner's e-mail address"))
    # The language of the e-mails to the owner (the self-service form's language; chosen in the admin).
    language = models.CharField(_("language of the owner's e-mails"), max_length=2, choices=settings.LANGUAGES,
                                default="en")
    url = models.URLField(_("endpoint URL (HTTPS)"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_webhook_secret)
    # After a rotation with overlap, the old secret also signs every request until previous_secret_until (a second
    # "v1," signature in the header, as Standard Webhooks allows), so a receiver keeps working while its owner
    # changes it. Empty after a rotation without overlap (a secret that may have leaked stops at once).
    previous_secret = models.CharField(max_length=100, blank=True, default="")
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    event_types = models.JSONField(_("event types (empty: all)"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Self-service endpoints (a confirmed e-mail, no account): the owner's link to the delivery log, the secret's
    # rotation, the event types and deletion. Empty for endpoints an administrator made.
    manage_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def wants(self, kind):
        return not self.event_types or kind in self.event_types

    def previous_signs_until(self, now):
        """When the previous secret stops signing, if it still signs at `now`; else None."""
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            return self.previous_secret_until
        return None

    def signing_secrets(self, now):
        """The secrets that sign a request sent at `now`: the current one, and the previous one during its overlap."""
        return [self.secret, self.previous_secret] if self.previous_signs_until(now) else [self.secret]


class WebhookRequest(models.Model):
    """A self-service webhook endpoint asked for on the public form and not yet confirmed from the owner's inbox
    (double opt-in). Confirming creates the WebhookEndpoint and deletes this row; unconfirmed ones expire."""

    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500)
    event_types = models.JSONField(default=list, blank=True)  # empty: all
    language = models.CharField(max_length=2, choices=settings.LANGUAGES, default="en")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"webhook request {self.pk}"


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "pending"
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="alerts_webhook_once")]

    def __str__(self):
        return f"{self.event.uid} → {self.endpoint} ({self.state})"


class WebhookAttempt(models.Model):
    """The delivery log: every HTTP attempt with its answer."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
