from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from civicspace.countries.models import Country
from civicspace.monitoring.models import Incident, Term, Update

from .timeline import STAGE_CODES

STAGE_LABELS = {
    "drafted": pgettext_lazy("bill stage", "Drafted"),
    "introduced": pgettext_lazy("bill stage", "Introduced"),
    "committee": pgettext_lazy("bill stage", "In committee"),
    "first_reading": pgettext_lazy("bill stage", "First reading"),
    "second_reading": pgettext_lazy("bill stage", "Second reading"),
    "third_reading": pgettext_lazy("bill stage", "Third or final reading"),
    "passed_legislature": pgettext_lazy("bill stage", "Passed by the legislature"),
    "passed_upper_chamber": pgettext_lazy("bill stage", "Passed by the upper chamber"),
    "sent_to_head_of_state": pgettext_lazy("bill stage", "Sent to the head of state"),
    "signed": pgettext_lazy("bill stage", "Signed into law"),
    "vetoed": pgettext_lazy("bill stage", "Vetoed"),
    "veto_overridden": pgettext_lazy("bill stage", "Veto overridden"),
    "published": pgettext_lazy("bill stage", "Published"),
    "in_force": pgettext_lazy("bill stage", "In force"),
    "amended": pgettext_lazy("bill stage", "Amended"),
    "withdrawn": pgettext_lazy("bill stage", "Withdrawn"),
    "lapsed": pgettext_lazy("bill stage", "Lapsed"),
    "struck_down": pgettext_lazy("bill stage", "Struck down by a court"),
    "repealed": pgettext_lazy("bill stage", "Repealed"),
}
assert set(STAGE_LABELS) == set(STAGE_CODES)
STAGE_CHOICES = [(code, STAGE_LABELS[code]) for code in STAGE_CODES]


class Category(models.TextChoices):
    FOREIGN_AGENT = "foreign_agent", _("Foreign agent / foreign funding")
    NGO = "ngo", _("NGO registration and operation")
    MEDIA = "media", _("Media and online content")
    PROTEST = "protest", _("Protest and assembly")
    INTERNET = "internet", _("Internet and surveillance")
    TERRORISM = "terrorism", _("Counter-terrorism and extremism")
    DEFAMATION = "defamation", _("Defamation and insult")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    RESTRICTIVE = "restrictive", _("Restrictive")
    ENABLING = "enabling", _("Enabling")
    MIXED = "mixed", _("Mixed")


class Bill(models.Model):
    """A draft law (or law) that affects civic space, followed through its stages."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="bills")
    # official_title, short_title and summary are translated (see translation.py)
    official_title = models.CharField(_("official title"), max_length=500, blank=True)
    short_title = models.CharField(_("short title"), max_length=200)
    summary = models.TextField(_("plain-language summary"), blank=True)
    original_language = models.CharField(_("original language"), max_length=2, choices=settings.LANGUAGES,
                                         default="en")
    translation_status = models.JSONField(default=dict, blank=True)
    number = models.CharField(_("bill number"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    freedoms = models.ManyToManyField(Term, related_name="bills", blank=True,
                                      limit_choices_to={"vocabulary": "freedom"})
    passed_with_improvements = models.BooleanField(
        _("passed with improvements"), default=False,
        help_text=_("Restrictive provisions were removed before the law was passed."))
    updates = models.ManyToManyField(Update, related_name="bills", blank=True)
    incidents = models.ManyToManyField(Incident, related_name="bills", blank=True)
    import_key = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic locking: the edit form carries the version it was loaded at; a stale save is a conflict screen.
    version = models.PositiveIntegerField(default=0)
    # Where the bill stands: derived by timeline.current_event from its verified stage events and stored by
    # services.bill_stage_refresh whenever an event is saved or deleted (signals.py), so that lists filter and
    # sort on it in the database. Never written anywhere else.
    current_stage = models.CharField(_("current stage"), max_length=25, choices=STAGE_CHOICES, null=True,
                                     blank=True, editable=False)
    last_moved = models.DateField(_("last moved"), null=True, blank=True, editable=False)
    last_moved_precision = models.CharField(max_length=5, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__code", "pk"]
        indexes = [models.Index(fields=["current_stage"], name="bill_current_stage"),
                   models.Index(fields=["last_moved"], name="bill_last_moved")]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("publishing:bill_detail", args=[self.pk])


class BillSource(models.Model):
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    is_text = models.BooleanField(_("this is a version of the bill's text"), default=False)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title


def verified_q(prefix=""):
    """The publication rule of legislation, written once: a stage event is public once an editor verified it."""
    return models.Q(**{f"{prefix}verified": True})


class StageEventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(verified_q())

    def proposed(self):
        """Proposed by a partner, not verified yet: staff-only (see docs/security.md, need-to-know)."""
        return self.exclude(verified_q())


class StageEvent(models.Model):
    """One dated step of a bill. Partners propose events for their countries; only verified events count."""

    class DatePrecision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")

    objects = StageEventQuerySet.as_manager()

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("stage"), max_length=25, choices=STAGE_CHOICES)
    date = models.DateField(_("date"))
    date_precision = models.CharField(_("date precision"), max_length=5, choices=DatePrecision.choices,
                                      default=DatePrecision.DAY)
    note = models.TextField(_("note"), blank=True)  # translated
    source = models.ForeignKey(BillSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    verified = models.BooleanField(default=False, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.bill}: {self.stage} {self.date}"
