from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from civicspace.countries.models import Country
from civicspace.methodology.bands import RATING_CODES

from .labels import RATING_NAMES

RATING_CHOICES = [(code, RATING_NAMES[code]) for code in RATING_CODES]


class RatingEditionQuerySet(models.QuerySet):
    def published(self):
        """Every edition: an edition exists only once published (a draft is an EditionDraft)."""
        return self.all()


def decision_published_q(prefix=""):
    """The publication rule of rating decisions, written once: a decision (and its rationale) is public once the
    edition draft it belongs to has been published as an edition."""
    return models.Q(**{f"{prefix}draft__edition__isnull": False})


class EditionDraftQuerySet(models.QuerySet):
    def published(self):
        return self.filter(edition__isnull=False)

    def unpublished(self):
        return self.filter(edition__isnull=True)


class RatingDecisionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(decision_published_q())


class RatingEdition(models.Model):
    """A dated release of published ratings (e.g. the December 2023 edition)."""

    objects = RatingEditionQuerySet.as_manager()

    class Coverage(models.TextChoices):
        COMPLETE = "complete", "complete"
        PARTIAL = "partial", "partial"

    class Precision(models.TextChoices):
        DAY = "day", "day"
        MONTH = "month", "month"

    code = models.CharField(max_length=50, unique=True)  # the source's name, e.g. "PPUA 2023"
    slug = models.SlugField(unique=True)  # year-month of publication, e.g. "2023-12"
    published = models.DateField()
    published_precision = models.CharField(max_length=5, choices=Precision.choices)
    coverage = models.CharField(max_length=8, choices=Coverage.choices)

    class Meta:
        ordering = ["-published"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        """'December 2023' in the active language."""
        return formats.date_format(self.published, "YEAR_MONTH_FORMAT")

    @property
    def is_complete(self):
        return self.coverage == self.Coverage.COMPLETE


class PublishedRating(models.Model):
    """A country's rating (and, from 2023, its guiding score) as published in one edition."""

    edition = models.ForeignKey(RatingEdition, on_delete=models.CASCADE, related_name="ratings")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="published_ratings")
    rating = models.CharField(max_length=10, choices=RATING_CHOICES)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    source_url = models.URLField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "country"], name="one_rating_per_country_per_edition"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=100),
                name="score_between_1_and_100",
            ),
            models.CheckConstraint(condition=models.Q(rating__in=RATING_CODES), name="rating_is_known"),
        ]

    def __str__(self):
        return f"{self.country} {self.edition.slug}: {self.rating}"


# --- Methodology inputs and guiding scores (issue #5) ----------------------------------------------------

class IndexValue(models.Model):
    """One country-year value of an external index, as read from the copy in data/reference/indices."""

    index = models.CharField(max_length=40, db_index=True)  # code of the methodology's index rule, e.g. fh_e
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="index_values")
    year = models.PositiveSmallIntegerField()  # the source's own `year` column
    edition_year = models.PositiveSmallIntegerField(null=True, blank=True)  # the publication's edition
    events_year = models.PositiveSmallIntegerField(null=True, blank=True)  # the year the value describes
    value = models.FloatField()
    available_from = models.DateField()  # when the value was public, by the index's declared release rule
    source_file = models.CharField(max_length=100)
    source_line = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index", "country", "year"], name="one_value_per_index_year")]
        indexes = [models.Index(fields=["country", "index", "available_from"])]

    def __str__(self):
        return f"{self.index} {self.country_id} {self.year}: {self.value}"


class Assessment(models.Model):
    """A coded assessment of one country on the methodology's form, by a research partner (partner analysis)
    or by the monitor's researchers (in-house analysis). Justifications are for staff, never public."""

    class Stream(models.TextChoices):
        PARTNER = "partner", _("Partner analysis")
        INHOUSE = "inhouse", _("In-house analysis")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="assessments")
    stream = models.CharField(max_length=8, choices=Stream.choices)
    organisation = models.ForeignKey("monitoring.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="assessments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    period_end = models.DateField(_("end of the period assessed"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    form_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField()
    justification = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]


class GuidingScore(models.Model):
    """A computed guiding score with the exact inputs and methodology version that produced it."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="guiding_scores")
    as_of = models.DateField()
    version = models.CharField(max_length=20)
    inputs = models.JSONField()  # engine.ScoreInputs.to_json()
    result = models.JSONField()  # engine.ScoreResult.to_json()
    score = models.DecimalField(max_digits=5, decimal_places=2)
    interval_low = models.DecimalField(max_digits=5, decimal_places=2)
    interval_high = models.DecimalField(max_digits=5, decimal_places=2)
    band = models.CharField(max_length=10, choices=RATING_CHOICES)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        indexes = [models.Index(fields=["country", "-as_of"])]


# --- Rating decisions ------------------------------------------------------------------------------------

class EditionDraft(models.Model):
    """A rating edition in preparation: it collects panel decisions; publishing it creates the frozen
    RatingEdition. Regular editions (e.g. December 2026) rate every country; interim ones only the decided."""

    objects = EditionDraftQuerySet.as_manager()

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular edition")
        INTERIM = "interim", _("Interim change")

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    publish_on = models.DateField(_("publication date"))
    edition = models.OneToOneField(RatingEdition, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="draft")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-publish_on"]

    @property
    def is_published(self):
        return self.edition_id is not None

    @property
    def title(self):
        return formats.date_format(self.publish_on, "YEAR_MONTH_FORMAT")


class RatingProposal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for panel review")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="rating_proposals")
    score = models.ForeignKey(GuidingScore, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_rating = models.CharField(max_length=10, choices=RATING_CHOICES)
    to_rating = models.CharField(max_length=10, choices=RATING_CHOICES)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reason = models.TextField(blank=True)  # why it was opened: the score rule, or an editor's note
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # empty when the score rule opened it
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["country"], condition=models.Q(status="open"),
                                               name="one_open_proposal_per_country")]


class PanelVote(models.Model):
    class Vote(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")
        ABSTAIN = "abstain", _("Abstain")

    proposal = models.ForeignKey(RatingProposal, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=8, choices=Vote.choices)
    comment = models.TextField(_("comment"))
    voted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="one_vote_per_member")]


class RatingDecision(models.Model):
    """The recorded decision on a proposal; it may differ from the score. The rationale is public once its
    edition is published (RatingDecision.objects.published())."""

    objects = RatingDecisionQuerySet.as_manager()

    proposal = models.OneToOneField(RatingProposal, on_delete=models.PROTECT, related_name="decision")
    draft = models.ForeignKey(EditionDraft, on_delete=models.PROTECT, related_name="decisions")
    rating = models.CharField(max_length=10, choices=RATING_CHOICES)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rationale = models.TextField(_("public rationale"))  # translated (see translation.py)
    # Issue 21: the public answer to the governments' challenges attached to the proposal (proposal.challenges,
    # from the corrections app); required when there is one.
    challenge_answer = models.TextField(_("answer to challenges"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)


class Erratum(models.Model):
    """A correction to a published (frozen) edition: recorded and shown, never a silent edit."""

    edition = models.ForeignKey(RatingEdition, on_delete=models.PROTECT, related_name="errata")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    rating_before = models.CharField(max_length=10, choices=RATING_CHOICES)
    rating_after = models.CharField(max_length=10, choices=RATING_CHOICES)
    score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at"]
