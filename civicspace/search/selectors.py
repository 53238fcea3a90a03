"""search(): the one read used by the search page (and, later, the API)."""
from dataclasses import dataclass
from datetime import date as Date

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q

from civicspace.countries.models import Country
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Incident, Update

from . import text
from .engine import get_engine
from .models import Kind, SearchDocument

PER_PAGE = 20
FILTERS = ("kind", "country", "region", "freedom", "violation", "victim", "date_from", "date_to")


@dataclass
class SearchResult:
    kind: str  # update | incident | bill
    kind_label: str
    object_id: int
    url: str  # the public page in the searched language
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # escaped, matches in <mark>, "…" where text was cut
    text_language: str  # the language the title and snippet are written in
    country: Country
    date: Date | None
    date_precision: str


def _candidates(lang, *, kind=None, country=None, region=None, freedom=None, violation=None, victim=None,
                date_from=None, date_to=None):
    """The documents of `lang` that pass the filters of the updates list, where they apply: an update
    passes as on the updates list (its own tags or its incidents'), an incident by its own tags, a bill by
    its country, freedoms and the date of its last stage; bills have no violation or victim type."""
    documents = SearchDocument.objects.filter(language=lang)
    if kind:
        documents = documents.filter(kind=kind)
    if country:
        documents = documents.filter(country=country)
    if region:
        documents = documents.filter(country__region=region)
    if date_from:
        documents = documents.filter(date__gte=date_from)
    if date_to:
        documents = documents.filter(date__lte=date_to)
    updates, incidents, bills = (Update.objects.published(), Incident.objects.published(), Bill.objects.all())
    narrowed = False
    if freedom:
        updates = updates.filter(Q(freedoms=freedom) | Q(incidents__freedoms=freedom))
        incidents, bills, narrowed = incidents.filter(freedoms=freedom), bills.filter(freedoms=freedom), True
    if violation:
        updates, incidents, bills = updates.filter(incidents__types=violation), \
            incidents.filter(types=violation), bills.none()
        narrowed = True
    if victim:
        updates, incidents, bills = updates.filter(incidents__victims__type=victim), \
            incidents.filter(victims__type=victim), bills.none()
        narrowed = True
    if narrowed:
        documents = documents.filter(
            Q(kind=Kind.UPDATE, object_id__in=updates.values("pk"))
            | Q(kind=Kind.INCIDENT, object_id__in=incidents.values("pk"))
            | Q(kind=Kind.BILL, object_id__in=bills.values("pk")))
    return documents


class _Hits:
    """The matching documents of one search, best first: `page(offset, limit)` fetches one page of ids with
    the number of all matches, in one query (the database reads every match to rank them anyway; counting
    them beside that costs next to nothing, where a second query would read them all again)."""

    def __init__(self, match_sql, match_params, candidates=None):
        # The match already selects each document's date (the tie-break of the order) and is limited to the
        # page's language; the filters are one more condition of the same query.
        self.from_sql = f"FROM ({match_sql}) m"
        self.params = list(match_params)
        if candidates is not None:
            candidate_sql, candidate_params = candidates.order_by().values("id").query.sql_with_params()
            self.from_sql += f" WHERE m.id IN ({candidate_sql})"
            self.params += candidate_params

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {self.from_sql}", self.params)
            return cursor.fetchone()[0]

    def page(self, offset, limit):
        """(ids of one page, the number of all matches or None when the page is empty)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT m.id, COUNT(*) OVER () {self.from_sql} ORDER BY m.score DESC, "
                           "m.date DESC NULLS LAST, m.id DESC LIMIT %s OFFSET %s", [*self.params, limit, offset])
            rows = cursor.fetchall()
        return [row[0] for row in rows], (rows[0][1] if rows else None)


def _page_number(page):
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def search(q, *, lang, filters=None, page=1, per_page=PER_PAGE):
    """Published updates, incidents and laws matching `q` in language `lang`, best match first.

    `q` uses the web-search syntax: words (all required, stemmed in their language), "a phrase", OR between
    alternatives, -word to exclude. `filters` takes the updates list's filters (country, region, freedom,
    violation, victim as model instances; date_from, date_to) and `kind` (update, incident or bill).
    Returns a Django Page whose object_list is SearchResult items (page.paginator.count is the total); a page
    number past the end gives the last page, as Paginator.get_page does, and one below 1 the first. Nothing to
    search for (an empty query, or only exclusions) is an empty page. Never raises on any `q`.

    Queries (issue 17): the match, its order and its count for the page shown (one query, filters included;
    on PostgreSQL after one round trip for the query's tsquery in each language), then the page's
    documents; snippets are made for the page's documents only, with the query's stems computed once per
    language. A page past the end costs one count and the last page again.
    """
    query = text.parse(q)
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v}
    engine = get_engine()
    match = engine.match(query, lang) if not query.is_empty else None
    if not match:
        return Page([], 1, Paginator([], per_page))
    hits = _Hits(*match, _candidates(lang, **filters) if filters else None)
    number = _page_number(page)
    ids, count = hits.page((number - 1) * per_page, per_page)
    if count is None:  # an empty page: nothing matches, or a page past the end
        count = hits.count() if number > 1 else 0
    paginator = Paginator(range(count), per_page)
    if number > paginator.num_pages:  # past the end: the last page, as Paginator.get_page does
        number = paginator.num_pages
        ids = hits.page((number - 1) * per_page, per_page)[0] if count else []
    documents = SearchDocument.objects.select_related("country").in_bulk(ids)
    ordered = [documents[pk] for pk in ids if pk in documents]
    headlines = engine.headlines(ordered, query) if ordered else {}
    labels = dict(Kind.choices)
    items = [SearchResult(kind=d.kind, kind_label=str(labels[d.kind]), object_id=d.object_id, url=d.url,
                          title_html=headlines[d.pk][0], snippet_html=headlines[d.pk][1],
                          text_language=d.text_language, country=d.country, date=d.date,
                          date_precision=d.date_precision)
             for d in ordered if d.pk in headlines]
    return Page(items, number, paginator)


def matching_update_ids(q, *, lang):
    """Ids of published updates that match `q` in `lang`, through their own text or one of their incidents'
    (what the API's `q=` filter uses). Same syntax and stemming as the search page."""
    from django.db import connection as conn

    query = text.parse(q)
    if query.is_empty:
        return set()
    match_sql, params = get_engine().match(query, lang)
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT d.kind, d.object_id FROM ({match_sql}) m JOIN search_document d ON d.id = m.id",
                       params)
        rows = cursor.fetchall()
    ids = {object_id for kind, object_id in rows if kind == Kind.UPDATE}
    incident_ids = [object_id for kind, object_id in rows if kind == Kind.INCIDENT]
    ids |= set(Incident.objects.filter(pk__in=incident_ids).values_list("update_id", flat=True))
    return ids
