from django.db import models
from django.utils import formats

from civicspace.countries.models import Country
from civicspace.methodology.bands import RATING_CODES

from .labels import RATING_NAMES

RATING_CHOICES = [(code, RATING_NAMES[code]) for code in RATING_CODES]


class RatingEdition(models.Model):
    """A dated release of published ratings (e.g. the December 2023 edition)."""

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
        return formats.date_format(self.published, "F Y")

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
