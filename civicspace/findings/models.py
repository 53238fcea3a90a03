from django.db import models

from civicspace.countries.models import Country


class Population(models.Model):
    """Total population of a rated country in a year, with the source it was read from."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="population")
    year = models.PositiveSmallIntegerField()
    population = models.PositiveBigIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year"], name="one_population_per_year")]
