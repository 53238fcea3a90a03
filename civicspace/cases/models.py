"""Cases: one person or organisation followed through detention, charges, trial, sentence and release.

Nothing about where a case stands is stored: status.py derives it from the verified events. A person's name is
confidential until an editor records why it may be published (case_name_publish); until then every public output
describes the person ("a journalist of Temirov Live") instead of naming them.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from civicspace.countries.models import Country
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Incident, Term, Update

from . import status as case_status_rules

KIND_LABELS = {
    "arrest": pgettext_lazy("case event", "Arrest or detention"),
    "charge": pgettext_lazy("case event", "Charged"),
    "pretrial_detention": pgettext_lazy("case event", "Pre-trial detention ordered"),
    "house_arrest": pgettext_lazy("case event", "House arrest"),
    "travel_ban": pgettext_lazy("case event", "Travel ban"),
    "hearing": pgettext_lazy("case event", "Hearing"),
    "verdict": pgettext_lazy("case event", "Verdict"),
    "appeal": pgettext_lazy("case event", "Appeal"),
    "release": pgettext_lazy("case event", "Released"),
    "pardon": pgettext_lazy("case event", "Pardoned"),
    "acquittal": pgettext_lazy("case event", "Acquitted"),
    "charges_dropped": pgettext_lazy("case event", "Charges dropped"),
    "exile": pgettext_lazy("case event", "Forced into exile"),
    "death_in_custody": pgettext_lazy("case event", "Died in custody"),
    "raid": pgettext_lazy("case event", "Raid"),
    "premises_sealed": pgettext_lazy("case event", "Premises sealed"),
    "designation": pgettext_lazy("case event", "Designation (e.g. “foreign agent”, “extremist”)"),
    "registration_refused": pgettext_lazy("case event", "Registration refused"),
    "liquidation_ordered": pgettext_lazy("case event", "Liquidation ordered"),
    "org_appeal": pgettext_lazy("case event", "Appeal"),
    "reinstated": pgettext_lazy("case event", "Reinstated"),
}
assert set(KIND_LABELS) == set(case_status_rules.KINDS)
KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in case_status_rules.KINDS]

STATUS_LABELS = {
    "at_liberty": pgettext_lazy("case status", "At liberty"),
    "detained": pgettext_lazy("case status", "Detained"),
    "house_arrest": pgettext_lazy("case status", "Under house arrest"),
    "serving": pgettext_lazy("case status", "Sentenced and serving"),
    "released": pgettext_lazy("case status", "Released"),
    "closed": pgettext_lazy("case status", "Closed"),
    "operating": pgettext_lazy("case status", "Operating"),
    "restricted": pgettext_lazy("case status", "Restricted"),
    "liquidated": pgettext_lazy("case status", "Liquidated"),
}
assert set(STATUS_LABELS) == set(case_status_rules.STATUSES)
STATUS_CHOICES = [(code, STATUS_LABELS[code]) for code in case_status_rules.STATUSES]


class SubjectType(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class CaseState(models.TextChoices):
    """Where the record is in the editorial workflow (not where the case stands: that is status.py's)."""
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NameReason(models.TextChoices):
    CONSENT = "consent", _("The person (or their family or lawyer) consented to being named")
    PUBLIC_FIGURE = "public_figure", _("A public figure whose case is already public")


class CaseQuerySet(models.QuerySet):
    def published(self):
        """The one public door: published cases only."""
        return self.filter(state=CaseState.PUBLISHED)


class Case(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cases")
    subject_type = models.CharField(max_length=12, choices=SubjectType.choices)
    victim_type = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                    limit_choices_to={"vocabulary": "victim"})
    organisation = models.CharField(
        max_length=200, blank=True,
        help_text=_("For a person: the outlet or organisation they work for. For an organisation: its name."))
    # CONFIDENTIAL: a person's name never reaches a public output unless name_published (with a reason).
    subject_name = models.CharField(max_length=200, blank=True)
    name_published = models.BooleanField(default=False)
    # The public copy of the name, written only by case_name_publish (with its audited reason) and cleared when the
    # reason is withdrawn or the name changes; subject_name itself never reaches a public output.
    published_name = models.CharField(max_length=200, blank=True)
    name_reason = models.CharField(max_length=15, choices=NameReason.choices, blank=True)
    name_reason_note = models.TextField(blank=True)
    name_published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    name_published_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    editor_note = models.TextField(blank=True)  # never public
    incidents = models.ManyToManyField(Incident, related_name="cases", blank=True)
    updates = models.ManyToManyField(Update, related_name="cases", blank=True)
    state = models.CharField(max_length=10, choices=CaseState.choices, default=CaseState.PROPOSED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking
    import_key = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["country__code", "pk"]
        indexes = [models.Index(fields=["country", "state"], name="case_country_state")]

    def __str__(self):
        return f"Case {self.pk}"

    def get_absolute_url(self):
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def is_person(self):
        return self.subject_type == SubjectType.PERSON

    def public_name(self):
        """The name a public output may show: an organisation's name, or a person's once published with a
        reason; otherwise ''."""
        if not self.is_person:
            return self.organisation
        return self.published_name if self.name_published and self.name_reason else ""


class CaseSource(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    date = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=1000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return self.title


class Charge(models.Model):
    """A legal provision cited against the subject; linked to a tracked bill when it is one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    provision = models.CharField(max_length=300)  # e.g. "Article 278 of the Criminal Code"
    description = models.CharField(max_length=300, blank=True)
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.SET_NULL, related_name="charges")
    source = models.ForeignKey(CaseSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    verified = models.BooleanField(default=False, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.provision


class CaseEvent(models.Model):
    """One dated, sourced step of a case. Partners propose; only events an editor verified count."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=25, choices=KIND_CHOICES)
    date = models.DateField(_("date"))
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices,
                                      default=DatePrecision.DAY)
    sentence = models.CharField(max_length=15, blank=True, choices=[
        ("custodial", _("Prison term")), ("non_custodial", _("Non-custodial (probation, suspended, fine)")),
        ("acquitted", _("Acquitted"))])
    sentence_days = models.PositiveIntegerField(null=True, blank=True)
    sentence_text = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=10, blank=True, choices=[
        ("upheld", _("Upheld")), ("overturned", _("Overturned")), ("reduced", _("Reduced")),
        ("retrial", _("Sent for retrial")), ("pending", _("Pending"))])
    note = models.TextField(blank=True)
    source = models.ForeignKey(CaseSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    verified = models.BooleanField(default=False, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.kind} {self.date}"

    def as_rule_event(self):
        return case_status_rules.Event(kind=self.kind, date=self.date, precision=self.date_precision,
                                       sentence=self.sentence, sentence_days=self.sentence_days,
                                       outcome=self.outcome)
