"""Right of reply and corrections: anyone may report an error in a published item, and a party named in it may
answer. A request is seen by editors only once the requester confirmed their e-mail address by a signed link;
nothing the requester typed reaches a public page unless an editor publishes it.

What becomes public is a copy made by the editor's decision (reply_party, reply_text, correction_note), never
the request as typed (requester_* and text are PERSONAL/CONFIDENTIAL in classification.py).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicspace.countries.models import Country
from civicspace.ratings.models import RatingProposal


class RequestType(models.TextChoices):
    CORRECTION = "correction", _("Report an error")
    REPLY = "reply", _("Reply as a party named here")


class ItemKind(models.TextChoices):
    UPDATE = "update", pgettext_lazy("corrected item", "Update")
    INCIDENT = "incident", pgettext_lazy("corrected item", "Incident")
    LAW = "law", pgettext_lazy("corrected item", "Law")
    CASE = "case", pgettext_lazy("corrected item", "Case")
    RATING = "rating", pgettext_lazy("corrected item", "Country rating")


class State(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    PENDING = "pending", _("Waiting for an editor")
    REPLY_PUBLISHED = "reply_published", _("Reply published")
    ACCEPTED = "accepted", _("Correction made")
    DECLINED = "declined", _("Declined")


PUBLIC_STATES = (State.REPLY_PUBLISHED, State.ACCEPTED)


def public_q(prefix=""):
    """The publication rule of corrections, written once: a published reply or an accepted correction."""
    return models.Q(**{f"{prefix}state__in": PUBLIC_STATES})


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(public_q())

    def for_editors(self):
        """What editors see: confirmed requests only (an unconfirmed address may be anyone's)."""
        return self.exclude(state=State.UNCONFIRMED)


class CorrectionRequest(models.Model):
    objects = CorrectionQuerySet.as_manager()

    request_type = models.CharField(max_length=10, choices=RequestType.choices)
    item_kind = models.CharField(max_length=10, choices=ItemKind.choices)
    item_id = models.PositiveIntegerField()
    # Where the record is shown: the item's page ("update:12" also for an incident of update 12).
    page_key = models.CharField(max_length=40, db_index=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    # As typed by the requester: never public.
    requester_name = models.CharField(max_length=200)
    requester_organisation = models.CharField(max_length=200, blank=True)
    requester_role = models.CharField(max_length=200, blank=True)
    requester_email = models.EmailField(max_length=254)
    represents_government = models.BooleanField(default=False)
    text = models.TextField()
    evidence_links = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.UNCONFIRMED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The editor's decision.
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decline_reason = models.TextField(blank=True)  # e-mailed to the requester, never public
    # Public once decided (copies the editor made and checked; nothing is copied by itself).
    reply_party = models.CharField(max_length=300, blank=True)
    reply_text = models.TextField(blank=True)
    reply_translations = models.JSONField(default=dict, blank=True)  # {lang: text}, by the editors
    correction_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A government's challenge to a rating: the proposal it is evidence for (the country's open or next one).
    proposal = models.ForeignKey(RatingProposal, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="challenges")
    version = models.PositiveIntegerField(default=1)  # optimistic locking of editors' decisions

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "published_at"], name="correction_state_published")]

    def __str__(self):
        return f"{self.get_request_type_display()} {self.pk} ({self.item_kind} {self.item_id})"

    @property
    def is_public(self):
        return self.state in PUBLIC_STATES

    @property
    def is_challenge(self):
        return self.item_kind == ItemKind.RATING and self.represents_government
