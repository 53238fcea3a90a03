"""Importing monitoring records (updates, incidents, victims, sources and their taxonomy links) from CSV files
shaped like the public data release's (civicspace/exports/codebook.py): an organisation bringing its archive,
or records moved from another instance (`civicspace export` there, `civicspace import_monitoring` here).

Every line of every file is validated first and every problem is reported as "file, line N, field 'x':
message" (core/csvfiles); only when there is none are all the rows written, in one transaction, in bulk (COPY
on PostgreSQL, executemany on SQLite: core/upsert.bulk_insert); on PostgreSQL a large import into tables
with fewer rows has the foreign keys of its link tables checked once at the end, as pg_restore does
(core/upsert.foreign_keys_checked_at_the_end). One audit event `monitoring.records_import`
records the import.

- The records belong to the importing organisation (the files' organisation columns are not read).
- They come in as drafts unless the caller asks for `published` explicitly; published ones keep the file's
  published_at (now when blank) and are marked for the search index (search.services.index_mark_dirty_many).
- Ids in the files link the files together. With keep_ids the records keep them (refused where one is taken:
  moving a whole instance keeps its URLs); otherwise they get new ids. Each update's file id is kept in its
  import_key, so importing the same archive twice for the same organisation is refused line by line.
- languages: the original language and reviewed translations; text given in another language is kept as a
  draft translation. Victims' names are kept sensitive (never published) unless public_names says the files
  are a public release, whose names were published already.
- No revision-history rows are written (the import is one audit event); a record's history starts with its
  next edit. No public event (no alert) is sent: an archive is not news.
"""
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from civicspace.audit.services import audit_event_record
from civicspace.core.csvfiles import CsvValidationError, RowError, read_rows
from civicspace.core.text import clean_markdown
from civicspace.core.upsert import (bulk_insert, foreign_keys_checked_at_the_end, next_ids, reset_sequences,
                                   without_cyclic_gc)
from civicspace.countries.models import Country
from civicspace.search.models import Kind
from civicspace.search.services import index_mark_dirty_many

from .models import (Incident, Organisation, Source, Status, Term, TranslationStatus, Update, Victim, Vocabulary,
                     type_ids_text)

LANGS = [code for code, _name in settings.LANGUAGES]
FILES = ("updates.csv", "incidents.csv", "victims.csv", "sources.csv")
REQUIRED = {
    "updates.csv": ["id", "country", "date", "original_language", "freedoms"],
    "incidents.csv": ["id", "update", "date", "date_precision", "types"],
    "victims.csv": ["id", "incident", "type"],
    "sources.csv": ["id", "update", "title"],
}
STATUSES = (Status.DRAFT, Status.PUBLISHED)
# Plain strings, read once: an enum member's attribute access costs more than the rest of a row's check.
FREEDOM, TYPES = (Vocabulary.FREEDOM.value,), (Vocabulary.VIOLATION.value, Vocabulary.POSITIVE.value)
PERPETRATOR, VICTIM = (Vocabulary.PERPETRATOR.value,), Vocabulary.VICTIM.value
DATE_PRECISIONS, PLACE_PRECISIONS = list(Incident.DatePrecision.values), list(Incident.PlacePrecision.values)
COUNTRY_ONLY = Incident.PlacePrecision.COUNTRY.value
# A whole instance at ten times today's volume: incidents.csv of 500,000 incidents in five languages is about
# 300 MB (29 MB at the benchmark's scale 0.1; the reference files' 100 MB limit is far below it).
MAX_FILE_BYTES = 2 * 2**30
DATETIME = "%Y-%m-%dT%H:%M:%SZ"
_url = URLValidator(schemes=["http", "https"])
_TEXT = ("title", "summary", "body", "place", "description", "outcome", "names", "publisher")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ImportReport:
    updates: int = 0
    incidents: int = 0
    victims: int = 0
    sources: int = 0
    links: int = 0
    published: list = field(default_factory=list)  # ids of the published updates
    keys_checked_at_end: bool = False  # PostgreSQL: see core/upsert.foreign_keys_checked_at_the_end

    def __str__(self):
        keys = ("; their foreign keys checked once at the end (the link tables were locked while written)"
                if self.keys_checked_at_end else "")
        return (f"{self.updates} updates, {self.incidents} incidents, {self.victims} victims, {self.sources} "
                f"sources, {self.links} taxonomy and source links{keys}")


class _Checker:
    """Collects RowErrors; each check returns the parsed value or None."""

    def __init__(self):
        self.errors = []
        self._lookups = {}

    def error(self, name, line, column, message):
        self.errors.append(RowError(name, line, column, message))

    def identifier(self, name, line, row, column, seen=None):
        text = row.get(column, "")
        if not text:
            self.error(name, line, column, "is empty")
            return None
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            self.error(name, line, column, f"'{text}' is not a positive whole number")
            return None
        value = int(text)
        if seen is not None:
            if value in seen:
                self.error(name, line, column, f"duplicate id {value} (also on line {seen[value]})")
                return None
            seen[value] = line
        return value

    def reference(self, name, line, row, column, rows, other):
        """The id in `column` of a row that points at a row of another file (`rows`: its rows by id, `other`: its
        name); an error when it is not there. Returns the id (None when it is not a valid id at all)."""
        value = self.identifier(name, line, row, column)
        if value is not None and value not in rows:
            self.error(name, line, column, f"{column} {value} is not in {other}")
        return value

    def date(self, name, line, row, column, required=True):
        text = row.get(column, "")
        if not text:
            if required:
                self.error(name, line, column, "is empty")
            return None
        try:
            if not _DATE.match(text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            self.error(name, line, column, f"'{text}' is not a date (YYYY-MM-DD)")
            return None

    def choice(self, name, line, row, column, allowed, default=None):
        text = row.get(column, "")
        if not text and default is not None:
            return default
        if text not in allowed:
            self.error(name, line, column, f"'{text}' is not one of: {', '.join(allowed)}")
            return None
        return text

    def flag(self, name, line, row, column):
        """An optional yes/no column: true, false, 1, 0, yes, no (any case) or empty (None: not said)."""
        text = row.get(column, "").lower()
        if not text:
            return None
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        self.error(name, line, column, f"'{row[column]}' is not one of: true, false")
        return None

    def length(self, name, line, column, text, limit):
        if len(text) > limit:
            self.error(name, line, column, f"is longer than {limit} characters")

    def terms(self, name, line, row, column, vocabularies, terms, required=False):
        """The term ids named in a ';'-separated cell, each code looked up in `vocabularies` in order."""
        lookup = self._lookups.get(vocabularies)
        if lookup is None:  # {code: id} for these vocabularies, the first one winning, built once
            lookup = self._lookups[vocabularies] = {}
            for vocabulary in reversed(vocabularies):
                lookup.update({code: pk for (v, code), pk in terms.items() if v == vocabulary})
        text = row.get(column, "")
        found = []
        for code in text.split(";") if text else ():
            code = code.strip()
            if not code:
                continue
            pk = lookup.get(code)
            if pk is None:
                self.error(name, line, column, f"unknown {' or '.join(vocabularies)} code '{code}'")
            elif pk not in found:
                found.append(pk)
        if required and not found and not any(c.strip() for c in text.split(";")):
            self.error(name, line, column, "names no term")
        return found


def _text(row, column):
    return row.get(column, "")


def _stream(directory, filename, read_errors):
    """(line, row) of one file as it is read (rows are not kept: the checks keep compact tuples). A file that
    cannot be read (not UTF-8, a missing column, a malformed line) adds its error to read_errors and ends."""
    path = Path(directory) / filename
    if filename != "updates.csv" and not path.exists():
        return
    codes = None
    try:
        # Text is kept exactly as written (a release's text comes back unchanged); codes, ids and dates are
        # read without surrounding spaces.
        for line, row in read_rows(path, REQUIRED[filename], strip=False, max_bytes=MAX_FILE_BYTES):
            if codes is None:
                # Free text: a _TEXT column or one of its translations (not place_precision, a code).
                codes = [key for key in row if key not in _TEXT
                         and not (key[:-3] in _TEXT and key[-3] == "_" and key[-2:] in LANGS)]
            for key in codes:
                row[key] = row[key].strip()
            yield line, row
    except CsvValidationError as exc:
        read_errors += exc.errors


_COLUMNS = {}


def _translated(row, base, original, limit=None, check=None, where=None, clean=None):
    """{lang: text} of one translated field: the file's <base>_<lang> columns (the <base> column, when the
    file has it, is the original language's text)."""
    columns = _COLUMNS.get(base)
    if columns is None:
        columns = _COLUMNS[base] = [(lang, f"{base}_{lang}") for lang in LANGS]
    values = {}
    for lang, column in columns:
        text = row.get(column, "")
        if lang == original and not text:
            text = row.get(base, "")
        if text:
            if clean:
                text = clean(text)
            if limit and check and len(text) > limit:
                check.length(where[0], where[1], column, text, limit)
        values[lang] = text
    return values


def records_import(*, directory, organisation, status=Status.DRAFT, keep_ids=False, public_names=False,
                   actor=None, actor_label="import_monitoring"):
    """Validate the files in `directory` (updates.csv; incidents.csv, victims.csv and sources.csv when present)
    and write every record, or raise CsvValidationError with every problem and write nothing. Returns an
    ImportReport."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    directory = Path(directory)
    if not (directory / "updates.csv").exists():
        raise CsvValidationError([RowError("updates.csv", 0, "-", f"file not found in {directory}")])
    with without_cyclic_gc():  # the check allocates millions of small objects (core/upsert.py)
        return _import(directory=directory, organisation=organisation, status=status, keep_ids=keep_ids,
                       public_names=public_names, actor=actor, actor_label=actor_label)


def _import(*, directory, organisation, status, keep_ids, public_names, actor, actor_label):
    check = _Checker()
    read_errors = []  # an unreadable file or a missing column: its lines cannot be checked (reported alone)
    files = {name: _stream(directory, name, read_errors) for name in FILES}
    seen_ids = {name: {} for name in FILES}  # {id: line} of each file

    terms = {(t.vocabulary, t.code): t.pk for t in Term.objects.only("pk", "vocabulary", "code")}
    countries = {code.upper(): pk for code, pk in Country.objects.values_list("code", "pk")}
    key_prefix = f"import:{organisation.slug}:"[:80]
    imported_keys = set(Update.objects.filter(import_key__startswith=key_prefix).values_list("import_key", flat=True))
    now = timezone.now()

    # --- updates.csv -------------------------------------------------------------------------------------------
    name = "updates.csv"
    updates, seen = {}, seen_ids[name]
    for line, row in files[name]:
        pk = check.identifier(name, line, row, "id", seen)
        code = row["country"].upper()
        country = countries.get(code)
        if not code:
            check.error(name, line, "country", "is empty")
        elif country is None:
            check.error(name, line, "country", f"unknown country code '{row['country']}'")
        date = check.date(name, line, row, "date")
        original = check.choice(name, line, row, "original_language", LANGS)
        languages = [code.strip() for code in _text(row, "languages").split(";") if code.strip()]
        for lang in languages:
            if lang not in LANGS:
                check.error(name, line, "languages", f"unknown language '{lang}'")
        if original and languages and original not in languages:
            check.error(name, line, "languages", f"does not include the original language '{original}'")
        freedoms = check.terms(name, line, row, "freedoms", FREEDOM, terms, required=True)
        title = _translated(row, "title", original, 250, check, (name, line))
        summary = _translated(row, "summary", original)
        body = _translated(row, "body", original, clean=clean_markdown)
        if original and not title[original].strip():
            check.error(name, line, f"title_{original}", "is empty: the title in the original language is required")
        published_at = None
        text = _text(row, "published_at")
        if text:
            try:
                published_at = dt.datetime.strptime(text, DATETIME).replace(tzinfo=dt.timezone.utc)
            except ValueError:
                check.error(name, line, "published_at", f"'{text}' is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)")
        if pk is not None and f"{key_prefix}{pk}" in imported_keys:
            check.error(name, line, "id", f"update {pk} was already imported for {organisation.slug}")
        if pk is not None:
            translation_status = {}
            for lang in LANGS:
                if lang == original:
                    continue
                if lang in languages:
                    translation_status[lang] = TranslationStatus.REVIEWED
                elif title[lang] or summary[lang] or body[lang]:
                    translation_status[lang] = TranslationStatus.DRAFT
            updates[pk] = {"line": line, "country": country, "date": date, "original": original,
                           "freedoms": freedoms, "title": title, "summary": summary, "body": body,
                           "translation_status": translation_status, "published_at": published_at}

    # --- sources.csv -------------------------------------------------------------------------------------------
    name = "sources.csv"
    sources, seen = {}, seen_ids[name]
    for line, row in files[name]:
        pk = check.identifier(name, line, row, "id", seen)
        update = check.reference(name, line, row, "update", updates, "updates.csv")
        title = row["title"]
        if not title.strip():
            check.error(name, line, "title", "is empty")
        check.length(name, line, "title", title, 300)
        publisher = _text(row, "publisher")
        check.length(name, line, "publisher", publisher, 200)
        date = check.date(name, line, row, "date", required=False)
        url = _text(row, "url")
        if url:
            check.length(name, line, "url", url, 1000)
            try:
                _url(url)
            except ValidationError:
                check.error(name, line, "url", f"'{url[:100]}' is not a web address (http or https)")
        language = check.choice(name, line, row, "language", LANGS, default="")
        # A file that marks a source confidential (an organisation's own archive) keeps it so: never published.
        confidential = bool(check.flag(name, line, row, "confidential"))
        if pk is not None:
            sources[pk] = (update, title, publisher, date, url, language or "", confidential)

    # --- incidents.csv -----------------------------------------------------------------------------------------
    name = "incidents.csv"
    incidents, seen = {}, seen_ids[name]
    for line, row in files[name]:
        pk = check.identifier(name, line, row, "id", seen)
        update_id = check.reference(name, line, row, "update", updates, "updates.csv")
        update = updates.get(update_id)
        if update and _text(row, "country") and countries.get(row["country"].upper()) != update["country"]:
            check.error(name, line, "country", f"'{row['country']}' is not the country of update {update_id}")
        date = check.date(name, line, row, "date")
        precision = check.choice(name, line, row, "date_precision", DATE_PRECISIONS)
        if date and precision == "month" and date.day != 1:
            check.error(name, line, "date", "is not the first of the month (date_precision is month)")
        if date and precision == "year" and (date.month, date.day) != (1, 1):
            check.error(name, line, "date", "is not 1 January (date_precision is year)")
        place_precision = check.choice(name, line, row, "place_precision", PLACE_PRECISIONS,
                                       default=COUNTRY_ONLY)
        original = update["original"] if update else None
        place = _translated(row, "place", original, 200, check, (name, line))
        if place_precision == COUNTRY_ONLY:
            for lang, text in place.items():
                if text:
                    check.error(name, line, f"place_{lang}",
                                "a place is given but place_precision is country (no place is kept)")
                    break
        description = _translated(row, "description", original)
        outcome = _translated(row, "outcome", original)
        types = check.terms(name, line, row, "types", TYPES, terms,
                            required=True)
        freedoms = check.terms(name, line, row, "freedoms", FREEDOM, terms)
        perpetrators = check.terms(name, line, row, "perpetrators", PERPETRATOR, terms)
        cited = []
        for text in (t.strip() for t in _text(row, "sources").split(";")):
            if not text:
                continue
            source = sources.get(int(text)) if text.isascii() and text.isdigit() else None
            if source is None:
                check.error(name, line, "sources", f"source {text} is not in sources.csv")
            elif source[0] != update_id:
                check.error(name, line, "sources", f"source {text} belongs to update {source[0]}, not {update_id}")
            elif int(text) not in cited:
                cited.append(int(text))
        if pk is not None:
            incidents[pk] = (update_id, date, precision, place_precision, place, description, outcome, types,
                             freedoms, perpetrators, cited)

    # --- victims.csv -------------------------------------------------------------------------------------------
    name = "victims.csv"
    victims, seen = {}, seen_ids[name]
    for line, row in files[name]:
        pk = check.identifier(name, line, row, "id", seen)
        incident = check.reference(name, line, row, "incident", incidents, "incidents.csv")
        if _text(row, "vocabulary") not in ("", VICTIM):
            check.error(name, line, "vocabulary", f"'{row['vocabulary']}' is not victim")
        victim_type = terms.get((VICTIM, row["type"]))
        if victim_type is None:
            check.error(name, line, "type", f"unknown victim code '{row['type']}'" if row["type"] else "is empty")
        count = None
        text = _text(row, "count")
        if text:
            if text.isascii() and text.isdigit():
                count = int(text)
            else:
                check.error(name, line, "count", f"'{text}' is not a whole number of victims")
        names = "\n".join(n.strip() for n in _text(row, "names").split(";") if n.strip())
        # Names are sensitive unless --public-names says the files are a public release and the line does not
        # mark them sensitive itself.
        sensitive = check.flag(name, line, row, "names_sensitive")
        if pk is not None:
            victims[pk] = (incident, victim_type, count, names, bool(sensitive) or not (public_names and names))

    if read_errors:
        raise CsvValidationError(sorted(read_errors, key=lambda e: FILES.index(e.path) if e.path in FILES else 9))
    if keep_ids:
        for model, rows, filename in ((Update, updates, "updates.csv"), (Source, sources, "sources.csv"),
                                      (Incident, incidents, "incidents.csv"), (Victim, victims, "victims.csv")):
            lines = seen_ids[filename]
            for pk in sorted(_taken_ids(model, rows)):
                check.error(filename, lines.get(pk, 0), "id", f"id {pk} is already taken in this database")
    if check.errors:
        raise CsvValidationError(sorted(check.errors, key=lambda e: (FILES.index(e.path) if e.path in FILES else 9,
                                                                     e.line)))
    return _write(organisation=organisation, status=status, keep_ids=keep_ids,
                  updates=updates, sources=sources, incidents=incidents, victims=victims, key_prefix=key_prefix,
                  now=now, actor=actor, actor_label=actor_label, directory=directory)


def _taken_ids(model, rows):
    """The ids of `rows` ({id: ...}) already in the model's table: read over the files' range (a long IN list
    costs more to build than to run)."""
    if not rows:
        return set()
    return set(model.objects.filter(pk__gte=min(rows), pk__lte=max(rows))
               .values_list("pk", flat=True).iterator(chunk_size=20_000)) & rows.keys()


def _null(model, base):
    """The empty value of a translated column (modeltranslation makes them nullable)."""
    return {lang: None if model._meta.get_field(f"{base}_{lang}").null else "" for lang in LANGS}


# An incident's many-to-many relations: (relation, position of its values in a checked incident row, column).
INCIDENT_LINKS = (("types", 7, "term_id"), ("freedoms", 8, "term_id"), ("perpetrators", 9, "term_id"),
                  ("sources", 10, "source_id"))


@transaction.atomic
def _write(*, organisation, status, keep_ids, updates, sources, incidents, victims, key_prefix, now,
           actor, actor_label, directory):
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    # Checked again under the organisation's lock: another import of the same files, or of the same ids, may have
    # committed between the line-by-line check and this transaction (a second run of the command, say).
    meanwhile = []
    wanted = {f"{key_prefix}{pk}" for pk in updates}
    if wanted & set(Update.objects.filter(import_key__startswith=key_prefix).values_list("import_key", flat=True)):
        meanwhile.append(RowError("updates.csv", 0, "id", "another import of these updates for this organisation "
                                                          "finished meanwhile"))
    if keep_ids:
        for model, rows, filename in ((Update, updates, "updates.csv"), (Source, sources, "sources.csv"),
                                      (Incident, incidents, "incidents.csv"), (Victim, victims, "victims.csv")):
            if _taken_ids(model, rows):
                meanwhile.append(RowError(filename, 0, "id", "ids in this file were taken meanwhile"))
    if meanwhile:
        raise CsvValidationError(meanwhile)
    report = ImportReport()
    if keep_ids:
        ids = {model: {pk: pk for pk in rows} for model, rows in
               ((Update, updates), (Source, sources), (Incident, incidents), (Victim, victims))}
    else:
        ids = {model: dict(zip(rows, next_ids(model, len(rows)))) for model, rows in
               ((Update, updates), (Source, sources), (Incident, incidents), (Victim, victims))}
    update_ids, source_ids, incident_ids = ids[Update], ids[Source], ids[Incident]
    published = status == Status.PUBLISHED
    status = str(status)
    default = settings.LANGUAGE_CODE

    empties = {}

    def texts(model, values, base):
        empty = empties.get((model, base))
        if empty is None:
            empty = empties[(model, base)] = _null(model, base)
        # The untranslated column holds the default language's text, as modeltranslation writes it.
        return [values[default] or "", *[values[lang] or empty[lang] for lang in LANGS]]

    def text_columns(*bases):
        return [column for base in bases for column in (base, *[f"{base}_{lang}" for lang in LANGS])]

    columns = ["id", "country_id", "date", "original_language", "translation_status", "organisation_id", "status",
               "retraction_reason", "retraction_language", "published_at", "version", "import_key",
               "submission_key", "created_at", "updated_at", *text_columns("title", "summary", "body")]

    def update_rows():
        for pk, u in updates.items():
            yield (update_ids[pk], u["country"], u["date"], u["original"], u["translation_status"], organisation.pk,
                   status, "", "", (u["published_at"] or now) if published else None, 1, f"{key_prefix}{pk}", "",
                   now, now, *texts(Update, u["title"], "title"), *texts(Update, u["summary"], "summary"),
                   *texts(Update, u["body"], "body"))
    # The link tables and the victims hold four of every five foreign keys written (about 420,000 of 520,000 in
    # an import of 48,000 incidents); checked once per key at the end when the import is large enough.
    linked = (Update.freedoms.through, *(getattr(Incident, relation).through for relation, _i, _c in INCIDENT_LINKS),
              Victim)
    link_rows = (sum(len(u["freedoms"]) for u in updates.values()) + len(victims)
                 + sum(len(i[index]) for i in incidents.values() for _r, index, _c in INCIDENT_LINKS))
    with foreign_keys_checked_at_the_end(linked, rows=link_rows) as report.keys_checked_at_end:
        report.updates = bulk_insert(Update, columns, update_rows())
        report.links += bulk_insert(Update.freedoms.through, ["update_id", "term_id"],
                                    ((update_ids[pk], term) for pk, u in updates.items() for term in u["freedoms"]))
        report.sources = bulk_insert(
            Source, ["id", "update_id", "title", "publisher", "date", "url", "language", "confidential", "note",
                     "version"],
            ((source_ids[pk], update_ids[s[0]], *s[1:], "", 1) for pk, s in sources.items()))

        def incident_rows():
            for pk, i in incidents.items():
                update_id, date, precision, place_precision, place, description, outcome = i[:7]
                yield (incident_ids[pk], update_ids[update_id], date, precision, place_precision, 1,
                       type_ids_text(i[7]), *texts(Incident, place, "place"),
                       *texts(Incident, description, "description"), *texts(Incident, outcome, "outcome"))
        report.incidents = bulk_insert(  # type_ids: the copy of the types written just below (Incident.type_ids)
            Incident, ["id", "update_id", "date", "date_precision", "place_precision", "version", "type_ids",
                       *text_columns("place", "description", "outcome")], incident_rows())
        for relation, index, column in INCIDENT_LINKS:
            targets = source_ids if relation == "sources" else None
            report.links += bulk_insert(
                getattr(Incident, relation).through, ["incident_id", column],
                ((incident_ids[pk], targets[value] if targets else value)
                 for pk, i in incidents.items() for value in i[index]))
        report.victims = bulk_insert(
            Victim, ["id", "incident_id", "type_id", "count", "names", "names_sensitive"],
            ((ids[Victim][pk], incident_ids[v[0]], *v[1:]) for pk, v in victims.items()))
    if keep_ids:
        reset_sequences([Update, Source, Incident, Victim])
    if published:
        # The search index follows (re-indexed when this transaction commits, or by `search_reindex --dirty`).
        index_mark_dirty_many(Kind.UPDATE, update_ids.values())
        report.published = sorted(update_ids.values())
    audit_event_record(action="monitoring.records_import", actor=actor, actor_label=actor_label,
                       target=organisation,
                       data={"directory": directory.name, "status": status, "keep_ids": keep_ids,
                             "updates": report.updates, "incidents": report.incidents, "victims": report.victims,
                             "sources": report.sources, "keys_checked_at_end": report.keys_checked_at_end})
    return report
