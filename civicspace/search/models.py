from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicspace.countries.models import Country


class Kind(models.TextChoices):
    UPDATE = "update", _("Update")
    INCIDENT = "incident", _("Incident")
    BILL = "bill", _("Law")
    CASE = "case", _("Case")  # issue 20: cases


class SearchDocument(models.Model):
    """What one language's public page shows of one published record, as searched.

    One row per record and site language: `language` is the page's language, `text_language` the language
    the text is written in (the reviewed translation, else the original, exactly as the public page falls
    back), which chooses the stemmer. Only public text is ever copied here: titles, summaries and bodies of
    updates, descriptions and outcomes of incidents, titles and summaries of bills; never sources, editors'
    notes or victims' names.

    The search index lives beside the row: on PostgreSQL a `vector tsvector` column of this table (GIN
    index), on SQLite the FTS5 table `search_document_fts` (rowid = id) holding stems. Both are created by
    the migration, outside the model, and written by civicspace.search.engine.
    """

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)  # an incident's update
    language = models.CharField(max_length=2, choices=settings.LANGUAGES)
    text_language = models.CharField(max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(max_length=600)  # shown; searched too, except an incident's (its update's title)
    text = models.TextField()  # plain text searched and shown in snippets
    url = models.CharField(max_length=300)
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(null=True, blank=True)  # bills: date of the last verified stage
    date_precision = models.CharField(max_length=5, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_document"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "language"],
                                               name="search_document_unique")]
        indexes = [models.Index(fields=["language", "text_language"], name="search_document_lang"),
                   models.Index(fields=["kind", "parent_id"], name="search_document_parent")]

    def __str__(self):
        return f"{self.kind} {self.object_id} [{self.language}]"


class DirtyRecord(models.Model):
    """A record whose documents must be rebuilt (marked in the transaction that changed it; cleared by
    index_rebuild_dirty, the `search_reindex --dirty` job)."""

    kind = models.CharField(max_length=8, choices=[(Kind.UPDATE, Kind.UPDATE.label), (Kind.BILL, Kind.BILL.label),
                                                     (Kind.CASE, Kind.CASE.label)])
    object_id = models.PositiveBigIntegerField()
    marked_at = models.DateTimeField()

    class Meta:
        db_table = "search_dirty"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_dirty_unique")]
