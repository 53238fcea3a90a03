"""The public rows of each table of a data release.

Only what a public page may show is read here: published updates (never drafts, submissions or retracted
updates), their incidents, public sources (never a confidential source, never the editors' note), victims'
names only when they are not sensitive, verified stage events, published Watchlist editions. Translated text
is given in a language only where the public pages would show it (the original language, or a reviewed
translation). Each function returns a list of plain dicts (values: str, int, Decimal, date, datetime, bool,
None or a list of str/int), in a stable order; the large tables (updates, incidents, incident_types, victims,
sources) return `Rows`: the same values as tuples in the schema's column order, read lazily from a chunked
(PostgreSQL: server-side) cursor, so that the export streams them without holding a table in memory. Those read
values, not model instances, with lookups (id -> code) read once instead of joins per row, and their many-to-many
columns from one query per relation ordered by the row's id, merged with the rows as they stream.
"""
import operator

from django.conf import settings
from django.db import connections

from civicspace.cases.exports import case_events, cases  # noqa: F401  (issue 20: the cases tables)
from civicspace.corrections.exports import corrections  # noqa: F401  (issue 21: the corrections table)
from civicspace.core.text import clean_markdown, shown_languages
from civicspace.countries.models import Country, Region
from civicspace.legislation.models import StageEvent
from civicspace.legislation.selectors import bills_with_stage
from civicspace.monitoring.models import Incident, Organisation, Source, Term, Update, Victim, published_q
from civicspace.ratings.models import PublishedRating, RatingEdition
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

LANGS = [code for code, _name in settings.LANGUAGES]
CHUNK = 2_000  # rows per fetch of a chunked (PostgreSQL: server-side) cursor; a quarter for the wide updates


class Rows:
    """A table's rows as tuples in the order of `columns`, produced lazily (iterate once). `ordered`: the rows
    come in increasing primary key order (the export then checks uniqueness without keeping every key)."""

    def __init__(self, columns, rows, ordered=False):
        self.columns = list(columns)
        self.ordered = ordered
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)


class _Merged:
    """The values of one many-to-many relation, read as (row id, value) pairs ordered by row id, handed out for
    the rows in that same order (each row's values sorted)."""

    def __init__(self, pairs, translate=None):
        self._pairs = iter(pairs)
        self._translate = translate
        self._next = next(self._pairs, None)

    def take(self, row_id):
        pair = self._next
        if pair is None or pair[0] > row_id:
            return []
        found = []
        pairs = self._pairs
        while pair is not None and pair[0] <= row_id:
            if pair[0] == row_id:
                found.append(pair[1])
            pair = next(pairs, None)
        self._next = pair
        if self._translate is not None:
            translate = self._translate
            found = [translate[v] for v in found]
        if len(found) > 1:
            found.sort()
        return found


def _raw(queryset, fields, chunk_size=CHUNK):
    """The `fields` of a queryset's rows as tuples (as values_list() gives them), each value as the database
    driver gives it, without Django's per-value converters, from a chunked cursor (on PostgreSQL a server-side
    one, in the export's transaction). Only for columns whose driver value is published as it is: integers and
    text; a date comes as a date (PostgreSQL) or as its ISO text (SQLite), which the writers publish alike; a
    boolean may come as 0/1 (SQLite)."""
    queryset = queryset.values_list(*fields)
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    # The SELECT's own column order may differ from the one asked (django-modeltranslation reorders them): put
    # the columns back in the asked order, as values_list() does.
    selected = [*query.extra_select, *query.values_select, *query.annotation_select]
    order = None if selected == list(fields) else operator.itemgetter(*[selected.index(name) for name in fields])
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from (rows if order is None else map(order, rows))


def _term_codes():
    return dict(Term.objects.values_list("pk", "code"))


def _m2m(model, relation, owner, column, **filters):
    """(owner id, term id or source id) pairs of one many-to-many relation of published rows, ordered by owner."""
    through = getattr(model, relation).through
    prefix = "update__" if owner == "incident_id" else ""
    return _raw(through.objects.filter(published_q(f"{owner[:-3]}__{prefix}"), **filters).order_by(owner),
                [owner, column], CHUNK * 5)


def _shown_languages(obj):
    """The languages a public page shows an update's (or bill's) own text in: original + reviewed translations."""
    return shown_languages(obj.original_language, obj.translation_status)


def _translated(obj, field, langs=LANGS, clean=None):
    clean = clean or (lambda text: text)
    return {f"{field}_{lang}": (clean(getattr(obj, f"{field}_{lang}")) or None) if lang in langs else None
            for lang in LANGS}


def _all_languages(obj, field):
    return {f"{field}_{lang}": getattr(obj, f"{field}_{lang}") or None for lang in LANGS}


def published_updates():
    return Update.objects.published()


def regions():
    return [{"code": r.code, "position": r.position, **_all_languages(r, "name")}
            for r in Region.objects.order_by("position", "code")]


def countries():
    return [{"code": c.code, "iso3": c.iso3 or None, "iso2": c.iso2 or None, "iso_numeric": c.iso_numeric or None,
             **_all_languages(c, "name"), "monitor_name": c.monitor_name, "region": c.region.code,
             "region_source_url": c.region_source_url or None, "note": c.note or None}
            for c in Country.objects.select_related("region").order_by("code")]


def rating_editions():
    return [{"slug": e.slug, "code": e.code, "published": e.published, "published_precision": e.published_precision,
             "coverage": e.coverage}
            for e in RatingEdition.objects.order_by("published")]


def ratings():
    rows = (PublishedRating.objects.select_related("edition", "country")
            .order_by("edition__published", "country__code"))
    return [{"edition": r.edition.slug, "country": r.country.code, "rating": r.rating, "score": r.score,
             "source_url": r.source_url} for r in rows]


def guiding_scores():
    from civicspace.ratings.services.scoring import latest_scores

    out = []
    for r in sorted(latest_scores().values(), key=lambda r: r.country.code):
        points = {}
        groups = {"level_intercept": "level", "change_intercept": "change", "delta": "change"}
        for c in r.result["contributions"]:
            stream = groups.get(c["stream"], c["stream"])
            points[stream] = points.get(stream, 0.0) + c["points"]
        transition = r.result.get("model") == "transition"
        out.append({"country": r.country.code, "as_of": r.as_of, "methodology_version": r.version,
                    "score": r.score, "band": r.band, "score_band": r.result.get("score_band") or r.band,
                    "published_score": r.inputs.get("previous_score") if transition else None,
                    "published_band": r.inputs.get("previous_band"),
                    "hysteresis": r.result.get("hysteresis") if transition else None,
                    "hysteresis_up": r.result.get("hysteresis_up") if transition else None,
                    "model": r.result.get("model", "level"),
                    "interval_low": r.interval_low, "interval_high": r.interval_high,
                    "external_only": set(r.result["stream_scores"]) == {"external"},
                    "no_assessments": not {"partner", "inhouse"} & set(r.result["stream_scores"]),
                    **{f"points_{s}": round(points[s], 4) if s in points else None
                       for s in ("partner", "inhouse", "external", "published", "live", "clipping",
                                 "previous", "level", "change")}})
    return out


def _codes(terms):
    return sorted(t.code for t in terms)


UPDATE_COLUMNS = ["id", "country", "date", "original_language", "languages",
                  *[f"{field}_{lang}" for field in ("title", "summary", "body") for lang in LANGS],
                  "freedoms", "organisation", "organisation_name", "published_at"]


def updates():
    return Rows(UPDATE_COLUMNS, _update_rows(), ordered=True)


def _clean_body(text):
    """clean_markdown(text) or None, without clean_markdown's per-line pass for text that holds no "<": all it
    removes (HTML comments, raw HTML tags) starts with one, so such text is already clean (most bodies are; the
    pass was a tenth of the export's time)."""
    if not text:
        return None
    if "<" not in text:
        return text
    return clean_markdown(text) or None


def _update_rows():
    countries = dict(Country.objects.values_list("pk", "code"))
    organisations = {pk: (slug, name) for pk, slug, name in Organisation.objects.values_list("pk", "slug", "name")}
    freedoms = _Merged(_m2m(Update, "freedoms", "update_id", "term_id"), _term_codes())
    text_fields = [f"{field}_{lang}" for field in ("title", "summary", "body") for lang in LANGS]
    n = len(LANGS)
    for values in (published_updates().order_by("pk")
                   .values_list("pk", "country_id", "date", "original_language", "translation_status",
                                "organisation_id", "published_at", *text_fields).iterator(chunk_size=CHUNK // 4)):
        pk, country_id, date, original, status, organisation_id, published_at = values[:7]
        text = values[7:]
        langs = shown_languages(original, status)
        shown = [lang in langs for lang in LANGS]
        titles = [(text[i] or None) if shown[i] else None for i in range(n)]
        summaries = [(text[n + i] or None) if shown[i] else None for i in range(n)]
        bodies = [_clean_body(text[2 * n + i]) if shown[i] else None for i in range(n)]
        slug, name = organisations[organisation_id]
        yield (pk, countries[country_id], date, original, langs, *titles, *summaries, *bodies,
               freedoms.take(pk), slug, name, published_at)


def _published_incidents():
    return Incident.objects.published()


INCIDENT_COLUMNS = ["id", "update", "country", "date", "date_precision", "place", "place_precision",
                    *[f"{field}_{lang}" for field in ("place", "description", "outcome") for lang in LANGS],
                    "types", "freedoms", "perpetrators", "sources"]


def incidents():
    # Read as values, not model instances with prefetches: at ten times today's volume (500,000 incidents)
    # building instances dominated the export (bench/).
    return Rows(INCIDENT_COLUMNS, _incident_rows(), ordered=True)


def _incident_rows():
    countries = dict(Country.objects.values_list("pk", "code"))
    original_index = {lang: i for i, lang in enumerate(LANGS)}
    # Incidents follow their update: text in the languages the update's page shows. Per update: its country,
    # the index of its original language and the flags of the 15 text columns (place, description, outcome
    # in each language) with the place shown and without it; the few distinct flag lists are shared.
    shared = {}

    def flags(shown, place_shown):
        key = (shown, place_shown)
        if key not in shared:
            shared[key] = [place_shown and s for s in shown] + [*shown, *shown]
        return shared[key]

    updates = {}
    for pk, country_id, original, status in (published_updates()
                                             .values_list("pk", "country_id", "original_language",
                                                          "translation_status").iterator(chunk_size=CHUNK)):
        langs = shown_languages(original, status or {})
        shown = tuple(lang in langs for lang in LANGS)
        updates[pk] = (countries[country_id], original_index[original], flags(shown, True), flags(shown, False))
    terms = _term_codes()
    relations = [_Merged(_m2m(Incident, name, "incident_id", "term_id"), terms)
                 for name in ("types", "freedoms", "perpetrators")]
    # Only public sources: never a confidential one.
    relations.append(_Merged(_m2m(Incident, "sources", "incident_id", "source_id", source__confidential=False)))
    text_fields = [f"{field}_{lang}" for field in ("place", "description", "outcome") for lang in LANGS]
    shown_place = Incident.shown_place
    for values in _raw(_published_incidents().order_by("pk"),
                       ["pk", "update_id", "date", "date_precision", "place_precision", *text_fields]):
        pk, update_id, date, date_precision, place_precision = values[:5]
        text = values[5:]
        country, original, with_place, without_place = updates[update_id]
        # The place, in any language, only where the one rule lets it be shown (never when coarsened to the
        # country): asked once per row. First in the update's original language, then in each language shown.
        place_shown = bool(shown_place(True, place_precision))
        yield (pk, update_id, country, date, date_precision, (text[original] or None) if place_shown else None,
               place_precision,
               *[(v or None) if m else None for v, m in zip(text, with_place if place_shown else without_place)],
               *[relation.take(pk) for relation in relations])


def incident_types():
    return Rows(["incident", "vocabulary", "code"], _incident_type_rows(), ordered=True)


def _incident_type_rows():
    # Ordered by incident in SQL, each incident's (vocabulary, code) pairs sorted here: the same order as
    # ORDER BY incident, vocabulary, code in SQLite (and in PostgreSQL under the C collation), without a join
    # and a sort of the whole table in the database.
    terms = {pk: (vocabulary, code) for pk, vocabulary, code in Term.objects.values_list("pk", "vocabulary", "code")}
    group, current = [], None
    for incident_id, term_id in _m2m(Incident, "types", "incident_id", "term_id"):
        if incident_id != current:
            if group:
                group.sort()
                yield from ((current, vocabulary, code) for vocabulary, code in group)
            group, current = [], incident_id
        group.append(terms[term_id])
    if group:
        group.sort()
        yield from ((current, vocabulary, code) for vocabulary, code in group)


class _Names:
    __slots__ = ("names", "names_sensitive")

    def __init__(self, names, names_sensitive):
        self.names, self.names_sensitive = names, names_sensitive


def victims():
    return Rows(["id", "incident", "vocabulary", "type", "count", "names"], _victim_rows(), ordered=True)


def _victim_rows():
    terms = {pk: (vocabulary, code) for pk, vocabulary, code in Term.objects.values_list("pk", "vocabulary", "code")}
    public_names = Victim.public_names  # the one rule: never a sensitive name
    for pk, incident_id, type_id, count, names, sensitive in _raw(
            Victim.objects.published().order_by("pk"),
            ["pk", "incident_id", "type_id", "count", "names", "names_sensitive"], CHUNK * 5):
        vocabulary, code = terms[type_id]
        yield (pk, incident_id, vocabulary, code, count,
               ("; ".join(public_names(_Names(names, sensitive))) or None) if names else None)


def sources():
    # Never the note: it is for editors only; never a confidential source (published()).
    return Rows(["id", "update", "title", "publisher", "date", "url", "language"],
                ((pk, update_id, title, publisher or None, date, url or None, language or None)
                 for pk, update_id, title, publisher, date, url, language in
                 _raw(Source.objects.published().order_by("pk"),
                      ["pk", "update_id", "title", "publisher", "date", "url", "language"], CHUNK * 5)),
                ordered=True)


def bills():
    rows = []
    published = set(published_updates().values_list("pk", flat=True))
    queryset = (bills_with_stage().select_related("country").prefetch_related("freedoms", "updates")
                .order_by("pk"))
    for b in queryset:
        langs = _shown_languages(b)
        rows.append({
            "id": b.pk, "country": b.country.code, "original_language": b.original_language, "languages": langs,
            **_translated(b, "short_title", langs), **_translated(b, "official_title", langs),
            **_translated(b, "summary", langs), "number": b.number or None, "category": b.category,
            "direction": b.direction, "freedoms": _codes(b.freedoms.all()),
            "passed_with_improvements": b.passed_with_improvements, "current_stage": b.current_stage,
            "last_moved": b.last_moved, "updates": sorted(u.pk for u in b.updates.all() if u.pk in published),
        })
    return rows


def stage_events():
    queryset = StageEvent.objects.published().select_related("bill", "source").order_by("bill_id", "date", "pk")
    return [{"id": e.pk, "bill": e.bill_id, "stage": e.stage, "date": e.date, "date_precision": e.date_precision,
             **_all_languages(e, "note"), "source_title": e.source.title if e.source else None,
             "source_url": (e.source.url or None) if e.source else None} for e in queryset]


def _published_editions():
    return WatchlistEdition.objects.published()


def watchlist_editions():
    queryset = _published_editions().select_related("hrc_session").order_by("target_date")
    return [{"slug": e.slug, "target_date": e.target_date, "date_precision": e.date_precision,
             "hrc_session": e.hrc_session.number if e.hrc_session else None, "published_at": e.published_at,
             **_all_languages(e, "pr_title")} for e in queryset]


def watchlist_entries():
    queryset = (WatchlistEntry.objects.filter(edition__in=_published_editions())
                .select_related("edition", "country", "rating_edition")
                .order_by("edition__target_date", "position", "country__code"))
    rows = []
    for e in queryset:
        # As on the Watchlist pages: English, plus the translations that were reviewed.
        langs = shown_languages("en", e.translation_status)
        rows.append({
            "edition": e.edition.slug, "country": e.country.code, "position": e.position, "confirmed": e.confirmed,
            **_translated(e, "rationale", langs), "source_url": e.source_url or None, "note": e.note or None,
            "rating_at_publication": e.rating_at_publication or None, "score_at_publication": e.score_at_publication,
            "rating_edition": e.rating_edition.slug if e.rating_edition else None,
        })
    return rows


def taxonomy():
    queryset = Term.objects.select_related("freedom").order_by("vocabulary", "position", "code")
    return [{"vocabulary": t.vocabulary, "code": t.code, "position": t.position,
             "freedom": t.freedom.code if t.freedom else None, "is_active": t.is_active, **_all_languages(t, "label")}
            for t in queryset]
