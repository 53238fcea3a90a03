from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civicspace.countries.models import Country
from civicspace.ratings.models import RATING_CHOICES, RatingEdition


class HRCSession(models.Model):
    """A regular session of the UN Human Rights Council: Watchlist editions are timed against them."""

    number = models.PositiveSmallIntegerField(unique=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)  # blank when not found in the sources
    source_url = models.URLField(max_length=500)

    class Meta:
        ordering = ["-start"]

    def __str__(self):
        return _("%(n)sth session of the Human Rights Council") % {"n": self.number}


def published_q(prefix=""):
    """The publication rule of the Watchlist, written once: an edition (and its entries) is public once
    published; a draft never is."""
    return models.Q(**{f"{prefix}status": WatchlistEdition.Status.PUBLISHED})


class WatchlistEditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())


class WatchlistEntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q("edition__"))


class WatchlistEdition(models.Model):
    objects = WatchlistEditionQuerySet.as_manager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")

    slug = models.SlugField(unique=True)  # the target date, e.g. 2024-03-05 (or 2021-02 when only the month is known)
    target_date = models.DateField(_("target date"))
    date_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    hrc_session = models.ForeignKey(HRCSession, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="watchlist_editions", verbose_name=_("Human Rights Council session"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking of the press release: its form carries the version it was loaded at.
    version = models.PositiveIntegerField(default=0)
    # The press release (translated: pr_title_en, ...). `press_release_text` holds a published release verbatim
    # (historical editions); otherwise the page is composed from the parts and each country's rationale.
    pr_title = models.CharField(_("press release title"), max_length=300, blank=True)
    pr_dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    pr_lead = models.TextField(_("lead paragraph"), blank=True)
    pr_about = models.TextField(_("about the monitor"), blank=True)
    pr_contact = models.TextField(_("media contact"), blank=True)
    press_release_text = models.TextField(_("press release as published"), blank=True)
    source_note = models.TextField(blank=True)
    import_key = models.CharField(max_length=100, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-target_date"]

    def __str__(self):
        return self.title

    @property
    def title(self):
        fmt = "DATE_FORMAT" if self.date_precision == self.Precision.DAY else "YEAR_MONTH_FORMAT"
        return _("Watchlist of %(date)s") % {"date": formats.date_format(self.target_date, fmt)}

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def get_absolute_url(self):
        return reverse("publishing:watchlist_edition", args=[self.slug])


class WatchlistEntry(models.Model):
    objects = WatchlistEntryQuerySet.as_manager()

    edition = models.ForeignKey(WatchlistEdition, on_delete=models.CASCADE, related_name="entries")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="watchlist_entries")
    position = models.PositiveSmallIntegerField(default=0)
    rationale = models.TextField(_("rationale"), blank=True)  # translated
    translation_status = models.JSONField(default=dict, blank=True)
    confirmed = models.BooleanField(default=True)  # False: reported by one source, contradicted by another
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    # Frozen when the edition is published.
    rating_at_publication = models.CharField(max_length=10, choices=RATING_CHOICES, blank=True)
    score_at_publication = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # Optimistic locking of the rationale: its form carries the version it was loaded at.
    version = models.PositiveIntegerField(default=0)
    rating_edition = models.ForeignKey(RatingEdition, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "country__code"]
        constraints = [models.UniqueConstraint(fields=["edition", "country"], name="one_entry_per_country")]

    def __str__(self):
        return f"{self.edition.slug} {self.country.code}"
