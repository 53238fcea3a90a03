from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A CIVICUS Monitor region (Africa, Americas, Asia-Pacific, Europe and Central Asia, MENA)."""

    code = models.SlugField(unique=True)
    name = models.CharField(max_length=100)  # translated: name_en, name_ru, ... (see translation.py)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Country(models.Model):
    """A rated country or territory.

    `code` is the stable public identifier used in URLs and data: the ISO 3166-1 alpha-3 code, the
    user-assigned XKX for Kosovo, and Natural Earth's SOL for Somaliland, which has no ISO code.
    """

    code = models.CharField(max_length=3, unique=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True, null=True, blank=True)
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True, null=True, blank=True)
    iso_numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3, unique=True, null=True, blank=True)
    name = models.CharField(max_length=120)  # translated: name_en, name_ru, ...
    # The spelling the monitor publishes (e.g. "Occupied Palestinian Territories"); importers join on it
    # only for the entity without an ISO code.
    monitor_name = models.CharField(max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")
    region_source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    @property
    def slug(self):
        return self.code.lower()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("publishing:country_detail", args=[self.slug])
