from django.db import models


class PublicationGeneration(models.Model):
    """One row: a counter bumped in the same transaction as every change to public content. Cached public
    pages are keyed by it, so a publication makes every page stale at once, in every worker and on every
    app server (the cache may be per process; this row is shared)."""

    value = models.PositiveBigIntegerField(default=1)

    class Meta:
        db_table = "pagecache_generation"
