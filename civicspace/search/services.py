"""Keeping the search index in step with the published content (Saleor's pattern: mark dirty in the
transaction that changes a record, rebuild the dirty records in a job).

- index_mark_dirty(obj): call from the service that changed an update, incident, bill or stage event, inside
  its transaction. Once the transaction commits, that record is re-indexed at once (unless
  settings.SEARCH_INDEX_ON_COMMIT is False); the mark stays until it succeeds, so the job catches up.
- index_rebuild_dirty(): the job (`civicspace search_reindex --dirty`, e.g. every minute from cron).
- index_record(obj): re-index one record now. index_rebuild_all(): everything (`civicspace search_reindex`),
  in bulk (batches of records per transaction, rows by executemany/COPY, stems memoised for the run).
  A publication re-indexes only its own record (index_mark_dirty), never the whole index.

Only what a public page shows is indexed: published updates (their title, summary and body) and their
incidents (place, description and outcome), and bills (short and official titles, summary). Drafts, retracted
updates, sources, editors' notes and victims' names never are; a record that stops being public leaves the
index when it is re-indexed.
"""
import collections
import contextlib
import copy
import functools
import html
import logging
import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.html import strip_tags

from civicspace.legislation.models import Bill, BillSource, StageEvent
from civicspace.legislation.selectors import bills_with_stage
from civicspace.core.text import public_text, render_markdown
from civicspace.core.upsert import without_cyclic_gc
from civicspace.monitoring.models import Incident, Update
from civicspace.monitoring.selectors import incident_text as following_text
from civicspace.monitoring.selectors import update_text

from . import text as search_text
from .engine import LANGS, get_engine
from .models import DirtyRecord, Kind, SearchDocument

logger = logging.getLogger(__name__)

# Sent inside the transaction that changed the index: the public search page changes with it (civicspace.pagecache
# starts a new generation of cached pages).
index_changed = Signal()


def _record_key(obj):
    """(kind, pk) of the record whose documents depend on obj: an incident's documents are rebuilt with its
    update (they follow its status, language and title), a stage event's or source's with its bill."""
    if isinstance(obj, Update):
        return Kind.UPDATE, obj.pk
    if isinstance(obj, Incident):
        return Kind.UPDATE, obj.update_id
    if isinstance(obj, Bill):
        return Kind.BILL, obj.pk
    if isinstance(obj, (StageEvent, BillSource)):
        return Kind.BILL, obj.bill_id
    if obj._meta.label == "cases.Case":  # issue 20: a case's documents are rebuilt from the case
        return Kind.CASE, obj.pk
    if obj._meta.app_label == "cases":
        return Kind.CASE, obj.case_id
    raise TypeError(f"{type(obj).__name__} is not indexed for search")


# Text where CommonMark finds nothing but paragraphs: none of its inline or block characters, no other
# whitespace than spaces and newlines, and no line that could open a block (indented code, a list, a heading).
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>#&|~=\x00-\x09\x0b-\x1f\x7f]|[^\S \n]")
_BLOCK_START = re.compile(r"^(?: |[-+]|\d{1,9}[.)])", re.M)


def _plain_paragraphs(markdown_text):
    """The visible text of Markdown that is only paragraphs (each line stripped, paragraphs apart by one blank
    line), or None when the text may hold any other Markdown (then it is rendered). Equal to rendering it:
    tests/integration/test_search.py checks the two agree."""
    if _MARKUP_CHARS.search(markdown_text) or _BLOCK_START.search(markdown_text):
        return None
    paragraphs = [block for block in re.split(r"\n *\n", markdown_text)]
    return "\n\n".join("\n".join(line.strip() for line in block.split("\n") if line.strip())
                         for block in paragraphs if block.strip()).strip()


@functools.lru_cache(maxsize=256)
def _plain(markdown_text):
    """The visible text of Markdown, as the page renders it (raw HTML is never rendered). Memoised: the five
    languages' documents of a record usually show the same text (the original, where there is no reviewed
    translation), which is rendered once; text that is only paragraphs is not rendered at all."""
    fast = _plain_paragraphs(markdown_text or "")
    if fast is not None:
        return fast
    return _render_plain(markdown_text)


def _render_plain(markdown_text):
    rendered = render_markdown(markdown_text or "")
    rendered = re.sub(r"</(p|li|h\d|blockquote|pre)>", "\n", rendered)
    return html.unescape(strip_tags(rendered)).strip()


def _join(*parts):
    return search_text.clean("\n\n".join(p.strip() for p in parts if p and p.strip()))


_SENTINEL_PK = 987654321987
_url_templates = {}  # (model, lang) -> (before, after) around the pk, or None: reverse() every time


def _url(obj, lang):
    """obj.get_absolute_url() in `lang`. reverse() under translation.override costs ~100 us; a rebuild asks
    for hundreds of thousands, so each model's URL in each language is reversed once with a sentinel pk and
    reused, when it is only the pk that changes (checked against the real URL of the first object)."""
    key = (type(obj), lang)
    template = _url_templates.get(key, False)
    if template:
        return f"{template[0]}{obj.pk}{template[1]}"
    with translation.override(lang):
        real = obj.get_absolute_url()
        if template is False and obj.pk is not None:
            stand_in = copy.copy(obj)
            stand_in.pk = _SENTINEL_PK
            parts = stand_in.get_absolute_url().split(str(_SENTINEL_PK))
            usable = len(parts) == 2 and f"{parts[0]}{obj.pk}{parts[1]}" == real
            _url_templates[key] = tuple(parts) if usable else None
    return real


@dataclass(slots=True)
class Document:
    """A search document about to be inserted in bulk (engine.insert): SearchDocument's fields without the
    cost of a model instance (a rebuild makes millions)."""

    kind: str
    object_id: int
    language: str
    text_language: str
    title: str
    text: str
    url: str
    country_id: int
    date: object = None
    date_precision: str = ""
    parent_id: int | None = None
    pk: int | None = None
    indexed_at: object = None


def update_documents(update, incidents=None):
    """The documents of a published update and its incidents, one per site language, each with the text
    the public page in that language shows (the reviewed translation, else the original). `incidents`: its
    incidents in their order, as instances or as _IncidentRow (the bulk path), when the caller has them."""
    if not update.is_published:
        return []
    original = update.original_language
    documents = []
    incidents = list(update.incidents.all()) if incidents is None else incidents
    by_shown = {}  # shown language -> (the update's text, [(incident, text, its language)]): the same for
    # every page language that shows the update in that language (usually four of the five fall back to it)
    for lang in LANGS:
        title, shown = update_text(update, "title", lang)
        if shown not in by_shown:
            def field(obj, name, shown=shown):
                # The page's language rule (core/text.public_text): the rest follows the title's language.
                return following_text(obj, name, shown=shown, original=original) or ""

            bodies = []
            for incident in incidents:
                body = _join(field(incident, "place"), field(incident, "description"), field(incident, "outcome"))
                if body:
                    bodies.append((incident, body, shown if getattr(incident, f"description_{shown}") else original))
            by_shown[shown] = (_join(field(update, "summary"), _plain(field(update, "body"))), bodies)
        update_body, bodies = by_shown[shown]
        title = search_text.clean(title)
        url = _url(update, lang)
        documents.append(Document(
            kind=Kind.UPDATE, object_id=update.pk, language=lang, text_language=shown, title=title,
            text=update_body, url=url, country_id=update.country_id, date=update.date, date_precision="day"))
        for incident, body, text_language in bodies:
            documents.append(Document(
                kind=Kind.INCIDENT, object_id=incident.pk, parent_id=update.pk, language=lang,
                text_language=text_language, title=title, text=body, url=url, country_id=update.country_id,
                date=incident.date, date_precision=incident.date_precision))
    return documents


def bill_documents(bill):
    """The documents of a bill (every bill is public), with its text as the law page shows it."""
    original = bill.original_language
    documents = []
    for lang in LANGS:
        _title, shown = public_text(bill, "short_title", original=original, statuses=bill.translation_status,
                                    lang=lang)

        def field(name, shown=shown):
            return following_text(bill, name, shown=shown, original=original) or ""

        documents.append(Document(
            kind=Kind.BILL, object_id=bill.pk, language=lang, text_language=shown,
            title=search_text.clean(field("short_title")), text=_join(field("official_title"), field("summary")),
            url=_url(bill, lang), country_id=bill.country_id, date=bill.last_moved,
            date_precision=bill.last_moved_precision or ""))
    return documents


BATCH = 500  # records rebuilt in one transaction by the bulk paths


_INCIDENT_FIELDS = ["pk", "update_id", "date", "date_precision", "place_precision",
                    *[f"{field}_{lang}" for field in ("place", "description", "outcome") for lang in LANGS]]
# What update_documents reads of an incident, as a plain row: building model instances (django-modeltranslation
# wraps each one) was half of a bulk rebuild's Python time (bench/inproc.py reindex).
_IncidentRow = collections.namedtuple("_IncidentRow", _INCIDENT_FIELDS)


def _documents(kind, pks):
    """The documents of records of one kind, as public now (none for a record that is not), built with one
    query per batch for the records (and their incidents)."""
    if kind == Kind.UPDATE:
        updates = list(Update.objects.filter(pk__in=pks).order_by("pk"))
        incidents = {}
        rows = (Incident.objects.filter(update_id__in=[u.pk for u in updates if u.is_published])
                .order_by(*Incident._meta.ordering).values_list(*_INCIDENT_FIELDS))
        for row in map(_IncidentRow._make, rows):
            incidents.setdefault(row.update_id, []).append(row)
        return [doc for update in updates for doc in update_documents(update, incidents.get(update.pk, []))]
    if kind == Kind.CASE:  # issue 20
        from civicspace.cases.search import case_documents

        return [doc for pk in pks for doc in case_documents(pk)]
    return [doc for bill in bills_with_stage().filter(pk__in=pks).order_by("pk") for doc in bill_documents(bill)]


def index_rebuild_records(kind, pks, memo=None):
    """The bulk path (index_rebuild_all, index_rebuild_dirty, the benchmark generator): replace the documents
    of records of one kind with what is public now, in one transaction: their old
    documents deleted, the new ones inserted in bulk with their index entries (engine.insert). Returns how
    many documents they have."""
    pks = list(pks)
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, object_id__in=pks).delete()
        if kind == Kind.UPDATE:
            SearchDocument.objects.filter(kind=Kind.INCIDENT, parent_id__in=pks).delete()
        # A batch: the collector off while it is built (core/upsert.py); one record (a web request): left on.
        with without_cyclic_gc() if len(pks) > 1 else contextlib.nullcontext():
            documents = _documents(kind, pks)
            get_engine().insert(documents, memo)
        index_changed.send(sender=SearchDocument)
    return len(documents)


def _reindex(kind, pk):
    """Replace the documents of one record with what is public now. Returns how many documents it has."""
    return index_rebuild_records(kind, [pk])


def index_record(obj):
    """Re-index one record now (an update with its incidents, or a bill); removes it when it is not public."""
    return _reindex(*_record_key(obj))


def index_remove(obj):
    """Take a record's documents out of the index (before deleting it, for instance)."""
    kind, pk = _record_key(obj)
    if isinstance(obj, Incident):
        SearchDocument.objects.filter(kind=Kind.INCIDENT, object_id=obj.pk).delete()
        return
    SearchDocument.objects.filter(kind=kind, object_id=pk).delete()
    if kind == Kind.UPDATE:
        SearchDocument.objects.filter(kind=Kind.INCIDENT, parent_id=pk).delete()
    index_changed.send(sender=SearchDocument)


def index_mark_dirty(obj):
    """Mark the record that obj belongs to for re-indexing; call it inside the changing transaction."""
    kind, pk = _record_key(obj)
    marked_at = timezone.now()
    DirtyRecord.objects.bulk_create([DirtyRecord(kind=kind, object_id=pk, marked_at=marked_at)],
                                    update_conflicts=True, unique_fields=["kind", "object_id"],
                                    update_fields=["marked_at"])
    if settings.SEARCH_INDEX_ON_COMMIT:
        transaction.on_commit(partial(_rebuild_marked, kind, pk, marked_at))


def index_mark_dirty_many(kind, pks):
    """index_mark_dirty for many records of one kind at once (a bulk import): one bulk insert of their marks
    (an existing mark gets the new time). Once the transaction commits they are re-indexed in batches (unless
    settings.SEARCH_INDEX_ON_COMMIT is False); a batch that fails keeps its marks for the job. Returns how
    many records were marked."""
    pks = sorted(set(pks))
    if not pks:
        return 0
    marked_at = timezone.now()
    DirtyRecord.objects.bulk_create([DirtyRecord(kind=kind, object_id=pk, marked_at=marked_at) for pk in pks],
                                    update_conflicts=True, unique_fields=["kind", "object_id"],
                                    update_fields=["marked_at"], batch_size=5_000)

    def rebuild():
        memo = {}
        for start in range(0, len(pks), BATCH):
            batch = pks[start:start + BATCH]
            try:
                index_rebuild_records(kind, batch, memo)
                DirtyRecord.objects.filter(kind=kind, object_id__in=batch, marked_at=marked_at).delete()
            except Exception:  # the change is committed; the job will index them
                logger.exception("search: re-indexing %s %s..%s failed; left for search_reindex --dirty", kind,
                                 batch[0], batch[-1])

    if settings.SEARCH_INDEX_ON_COMMIT:
        transaction.on_commit(rebuild)
    return len(pks)


def _rebuild_marked(kind, pk, marked_at):
    try:
        _reindex(kind, pk)
        DirtyRecord.objects.filter(kind=kind, object_id=pk, marked_at=marked_at).delete()
    except Exception:  # the change is committed; the job will index it
        logger.exception("search: re-indexing %s %s failed; left for search_reindex --dirty", kind, pk)


def index_rebuild_dirty(*, limit=None):
    """Re-index every record marked dirty (oldest first), in batches of one kind; returns how many. A record
    marked again while it was being indexed keeps its mark for the next run."""
    marks = list(DirtyRecord.objects.order_by("marked_at", "pk")[:limit] if limit else
                 DirtyRecord.objects.order_by("marked_at", "pk"))
    memo = {}
    for kind in dict.fromkeys(mark.kind for mark in marks):
        of_kind = [mark for mark in marks if mark.kind == kind]
        for start in range(0, len(of_kind), BATCH):
            batch = of_kind[start:start + BATCH]
            index_rebuild_records(kind, [mark.object_id for mark in batch], memo)
            for mark in batch:
                DirtyRecord.objects.filter(pk=mark.pk, marked_at=mark.marked_at).delete()
    return len(marks)


def index_rebuild_all(*, progress=None, batch=BATCH):
    """Re-index every public record in bulk: `batch` records of one kind per transaction (their documents
    built together, inserted with executemany on SQLite or COPY on PostgreSQL, each distinct word stemmed
    once per run), so the index stays usable meanwhile; then remove what is no longer public.
    `progress(done, total, label)` is called after each batch. Returns the number of documents."""
    from civicspace.cases.models import Case  # issue 20

    started = timezone.now()
    kinds = [(Kind.UPDATE, Update.objects.published()), (Kind.BILL, Bill.objects.all()),
             (Kind.CASE, Case.objects.published())]
    records = [(kind, list(queryset.order_by("pk").values_list("pk", flat=True))) for kind, queryset in kinds]
    total = sum(len(pks) for _kind, pks in records)
    documents, done, memo = 0, 0, {}
    for kind, pks in records:
        for start in range(0, len(pks), batch):
            chunk = pks[start:start + batch]
            documents += index_rebuild_records(kind, chunk, memo)
            done += len(chunk)
            if progress:
                progress(done, total, f"{kind} {chunk[-1]}")
    with transaction.atomic():
        published = Update.objects.published().values("pk")
        SearchDocument.objects.filter(kind=Kind.UPDATE).exclude(object_id__in=published).delete()
        SearchDocument.objects.filter(kind=Kind.INCIDENT).exclude(parent_id__in=published).delete()
        SearchDocument.objects.filter(kind=Kind.BILL).exclude(object_id__in=Bill.objects.values("pk")).delete()
        SearchDocument.objects.filter(kind=Kind.CASE).exclude(object_id__in=Case.objects.published().values("pk")).delete()
        DirtyRecord.objects.filter(marked_at__lte=started).delete()
        get_engine().clear_orphans()
        index_changed.send(sender=SearchDocument)
    return documents
