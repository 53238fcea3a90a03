"""The public, read-only API (django-ninja): published data only, built from the same selectors as the pages.

Every response is built here as a plain dict and validated against civicspace/api/schemas.py, so a field that
is not in a schema (a confidential source, an editor's note, a sensitive name) cannot leak by accident.
"""
import datetime as dt
import json
import logging
import math
import re
from pathlib import Path as FilePath
from typing import List, Optional
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template import RequestContext, Template
from django.urls import reverse
from django.utils import translation
import orjson
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from civicspace.countries import selectors as country_selectors
from civicspace.countries.models import Country, Region
from civicspace.legislation import selectors as law_selectors
from civicspace.legislation.models import STAGE_LABELS, Category, Direction
from civicspace.legislation.timeline import STAGE_CODES
from civicspace.monitoring import selectors as update_selectors
from civicspace.core.text import label_text
from civicspace.legislation.selectors import bill_text
from civicspace.monitoring.models import Term, Vocabulary
from civicspace.monitoring.selectors import incident_text
from civicspace.monitoring.selectors import update_text as localised_text
from civicspace.ratings.selectors import editions as rating_selectors
from civicspace.ratings.selectors.public import country_score
from civicspace.watchlist.selectors import entry_rationale
from civicspace.watchlist import selectors as watchlist_selectors

from . import schemas

logger = logging.getLogger(__name__)

LANGS = [code for code, _ in settings.LANGUAGES]
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1
ERRORS = {400: schemas.Error, 404: schemas.Error, 422: schemas.Error, 429: schemas.Error}
LANG_HELP = f"Language of names, labels and texts: {', '.join(LANGS)}."


class LocalSwagger(Swagger):
    """Swagger UI from the swagger-ui files django-ninja ships (served as static files), never from a CDN,
    whether or not "ninja" is in INSTALLED_APPS (its static files are, once it is)."""

    template_path = FilePath(__file__).parent / "templates" / "api" / "docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        template = Template(self.template_path.read_text())
        context = RequestContext(request, {"api": api, "swagger_settings": json.dumps(self.settings)})
        return HttpResponse(template.render(context))


class ORJSONRenderer(BaseRenderer):
    """orjson (README "Libraries"): the same JSON as django-ninja's renderer (dates and datetimes formatted by its
    encoder, as before), in UTF-8 instead of \\u escapes, several times faster on the large detail answers."""

    media_type = "application/json"
    _encoder = NinjaJSONEncoder()
    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, default=self._encoder.default, option=self._options)


class PublicAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        """Stable, readable operation ids: the endpoint function's name (countries, country, updates, ...)."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated document plus the OpenAPI 3.1 `webhooks` section: the signed events of civicspace/alerts."""
        from civicspace.alerts.schema import webhooks_openapi

        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["webhooks"] = webhooks_openapi()
        return schema


api = PublicAPI(
    title="Civic Space Monitor API",
    version="1",
    description=(
        "Read-only open data of the Civic Space Monitor: countries and their published civic-space ratings, "
        "rating editions, research partners' published updates and incidents, laws and their verified stages, "
        "Watchlist editions and the taxonomy. No key is needed; requests are rate-limited per client. Errors are "
        'JSON: `{"detail": "..."}`. Public events are also sent as signed webhooks (the `webhooks` section); '
        "register an HTTPS endpoint yourself at [/en/alerts/webhooks/](/en/alerts/webhooks/) (a confirmed e-mail "
        "address, no account)."
    ),
    urls_namespace="api-v1",
    renderer=ORJSONRenderer(),
    docs=LocalSwagger(settings={"validatorUrl": None}),  # the validator badge would call validator.swagger.io
)


# Errors: always {"detail": "..."} ------------------------------------------------------------------------------

@api.exception_handler(ValidationError)
def validation_error(request, exc):
    problems = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        where, name = (location[0], ".".join(location[1:])) if len(location) > 1 else ("request", "".join(location))
        problems.append(f"Invalid {where} parameter '{name}': {error.get('msg', 'invalid value')}")
    return api.create_response(request, {"detail": "; ".join(problems) or "Invalid request"}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found"}, status=404)


@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("API error on %s", request.path)
    return api.create_response(request, {"detail": "Internal server error"}, status=500)


def bad_request(detail):
    return HttpError(400, detail)


# Parameters ----------------------------------------------------------------------------------------------------

def language(lang):
    if lang not in LANGS:
        raise bad_request(f"Unknown language '{lang}': use one of {', '.join(LANGS)}")
    return lang


def country_from_code(code, *, parameter=None):
    """The country for a code (case-insensitive): 404 for a path, 400 for a filter parameter."""
    try:
        return country_selectors.country_get(slug=code)
    except Http404:
        if parameter:
            raise bad_request(f"Unknown country code '{code}' in parameter '{parameter}'") from None
        raise HttpError(404, f"Unknown country code '{code}'") from None


def region_from_code(code):
    region = Region.objects.filter(code=code).first()
    if region is None:
        codes = ", ".join(Region.objects.values_list("code", flat=True))
        raise bad_request(f"Unknown region '{code}' in parameter 'region': use one of {codes}")
    return region


def term_from_code(parameter, code, vocabularies):
    term = Term.objects.filter(vocabulary__in=vocabularies, code=code).first()
    if term is None:
        raise bad_request(f"Unknown {parameter} type code '{code}' in parameter '{parameter}'; "
                          f"see /taxonomy for the codes")
    return term


def choice(parameter, value, allowed):
    if value not in allowed:
        raise bad_request(f"Unknown {parameter} '{value}': use one of {', '.join(allowed)}")
    return value


def text_filter(queryset, q, lang="en"):
    """Updates matching q with the site's full-text search (stemmed, in `lang`; quotes, OR and -word work)."""
    from civicspace.search.selectors import matching_update_ids

    return queryset.filter(pk__in=matching_update_ids(q, lang=lang))


# Shapes --------------------------------------------------------------------------------------------------------

def url(request, name, *args):
    return request.build_absolute_uri(reverse(f"{api.urls_namespace}:{name}", args=args))


def named(obj, field, lang):
    """A reference label in a language, falling back to English (core/text.label_text)."""
    return label_text(obj, field, lang)


def number(value):
    return None if value is None else float(value)


def country_ref(country, lang):
    return {"code": country.code, "name": named(country, "name", lang)}


def term_out(term, lang):
    return {"code": term.code, "label": named(term, "label", lang)}


def country_out(request, country, current, lang):
    return {
        **country_ref(country, lang),
        "iso3": country.iso3, "iso2": country.iso2,
        "region": {"code": country.region.code, "name": named(country.region, "name", lang)},
        "rating": current.rating if current else None,
        "score": number(current.score) if current else None,
        "edition": current.edition.slug if current else None,
        "url": url(request, "country", country.code),
    }


def edition_out(request, edition):
    return {"slug": edition.slug, "code": edition.code, "published": edition.published,
            "published_precision": edition.published_precision, "coverage": edition.coverage,
            "rated_count": edition.rated_count, "url": url(request, "edition", edition.slug)}


def source_out(source):
    """A public source: title, publisher, date, URL, language; never its `note`."""
    return {"title": source.title, "publisher": source.publisher, "date": source.date, "url": source.url,
            "language": source.language}


def public_sources(sources):
    """The selectors prefetch only non-confidential sources; filtered again here all the same."""
    return [source_out(s) for s in sources if not s.confidential]


def law_source_out(source):
    return {"title": source.title, "publisher": source.publisher, "date": source.date, "url": source.url,
            "is_text": source.is_text}


def page_url(request, page):
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


# Countries and ratings -----------------------------------------------------------------------------------------

@api.get("/countries", response={200: List[schemas.Country], **ERRORS}, url_name="countries", tags=["countries"],
         summary="All countries and territories with their current rating")
def countries(request, lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    current = {r.country_id: r for r in rating_selectors.current_ratings()}
    return [country_out(request, c, current.get(c.pk), lang)
            for c in Country.objects.select_related("region").order_by("code")]


@api.get("/countries/{code}", response={200: schemas.CountryDetail, **ERRORS}, url_name="country",
         tags=["countries"], summary="One country with its rating history, oldest first")
def country(request, code: str = Path(..., description="ISO 3166-1 alpha-3 (any case), XKX or SOL"),
            lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    found = country_from_code(code)
    history = rating_selectors.country_history(found)
    current = history[-1] if history else None
    data = country_out(request, found, current, lang)
    data["history"] = [{"edition": h.edition.slug, "edition_date": h.edition.published,
                        "coverage": h.edition.coverage, "rating": h.rating, "score": number(h.score),
                        "source_url": h.source_url} for h in history]
    data["guiding_score"] = guiding_score_out(country_score(found))
    return data


def _rounded(value, digits=6):
    """A computed number without its binary noise (0.07700000000000001 -> 0.077); None stays None."""
    return None if value is None else round(float(value), digits)


def _rounded_fields(item, keys):
    return {k: _rounded(v) if k in keys and isinstance(v, (int, float)) and not isinstance(v, bool) else v
            for k, v in item.items()}


def guiding_score_out(explained):
    if explained is None:
        return None
    row, result = explained.row, explained.row.result
    numbers = {"weight", "value", "points"}
    return {"score": float(row.score), "band": row.band, "interval_low": float(row.interval_low),
            "interval_high": float(row.interval_high), "interval_level": result["interval_level"],
            "probabilities": {band: _rounded(p) for band, p in result["probabilities"].items()},
            "as_of": row.as_of, "methodology_version": row.version,
            "external_only": explained.external_only,
            "contributions": [_rounded_fields(c, numbers) for c in result["contributions"]],
            "score_band": result.get("score_band") or row.band, "published_score": explained.published_score,
            "published_band": explained.published_band,
            # Both scores have two decimals: so has the difference between them.
            "difference": _rounded(explained.difference, 2),
            "hysteresis": result.get("hysteresis") if explained.transition else None,
            "hysteresis_up": result.get("hysteresis_up") if explained.transition else None,
            "model": result.get("model", "level"),
            "terms": [_rounded_fields({k: t[k] for k in ("term", "index", "weight", "value", "points")}, numbers)
                      for t in result.get("terms", [])],
            "missing_inputs": result.get("missing_inputs", []),
            "inputs": [{k: i[k] for k in ("index", "value", "rebased", "edition_year", "events_year", "source")}
                       for i in result["index_scores"]]}


@api.get("/editions", response={200: List[schemas.Edition], **ERRORS}, url_name="editions", tags=["ratings"],
         summary="Rating editions, newest first")
def editions(request):
    return [edition_out(request, e) for e in rating_selectors.edition_list()]


@api.get("/editions/{slug}", response={200: schemas.EditionDetail, **ERRORS}, url_name="edition",
         tags=["ratings"], summary="One rating edition with every rating it published")
def edition(request, slug: str = Path(..., description="e.g. 2023-12"),
            lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    found = next((e for e in rating_selectors.edition_list() if e.slug == slug), None)
    if found is None:
        raise HttpError(404, f"Unknown edition '{slug}'")
    data = edition_out(request, found)
    ratings = sorted(rating_selectors.edition_ratings(found), key=lambda r: r.country.code)
    data["ratings"] = [{"country": country_ref(r.country, lang), "rating": r.rating, "score": number(r.score),
                        "source_url": r.source_url} for r in ratings]
    return data


# Updates and incidents -----------------------------------------------------------------------------------------

def _translated(*fields):
    return [f"{field}{suffix}" for field in fields for suffix in ["", *(f"_{code}" for code in LANGS)]]


# The columns the list's schema needs (no bodies, no editors' fields): UpdateSummary.
UPDATE_SUMMARY_FIELDS = ["id", "date", "original_language", "translation_status", "country__id", "country__code",
                         "organisation__name", *_translated("title", "summary"),
                         *(f"country__{f}" for f in _translated("name"))]
CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{1,19})$")


def update_cursor(update):
    return f"{update.date.isoformat()}_{update.pk}"


def after_url(request, cursor):
    query = request.GET.copy()
    query.pop("page", None)
    query["after"] = cursor
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


@api.get("/updates", response={200: schemas.UpdatePage, **ERRORS}, url_name="updates", tags=["updates"],
         summary="Published updates, newest first, filtered and paginated",
         description="Two ways through the list. **Keyset (use it for long lists and full walks):** pass `after=` "
                     "(empty) for the first page, then follow `next` (it carries `after=<cursor>`): every page "
                     "costs the same however deep, and no update is skipped or repeated when new ones are "
                     "published meanwhile; `count`, `page`, `pages` and `previous` are null. **Page numbers** "
                     "(`page=`, the default; kept for compatibility): `count` and `pages` are given, but a deep "
                     "page costs more and pages shift when updates are published. Every answer has "
                     "`next_cursor`, the `after` value that continues after its last result.")
def updates(request,
            country: Optional[str] = Query(None, description="Country code, e.g. KGZ"),
            region: Optional[str] = Query(None, description="Region code"),
            freedom: Optional[str] = Query(None, description="Freedom code (taxonomy)"),
            violation: Optional[str] = Query(None, description="Violation or positive development type code"),
            victim: Optional[str] = Query(None, description="Victim type code"),
            date_from: Optional[dt.date] = Query(None, description="Updates dated on or after (YYYY-MM-DD)"),
            date_to: Optional[dt.date] = Query(None, description="Updates dated on or before (YYYY-MM-DD)"),
            q: Optional[str] = Query(None, description="Full-text search in the language `lang` (stemmed; "
                                                         "\"a phrase\", OR, -word)"),
            after: Optional[str] = Query(None, description="Keyset pagination: empty for the first page, then the "
                                                            "`next_cursor` of the previous page (recommended)"),
            page: int = Query(1, description="Page number, from 1 (ignored with `after`)"),
            page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="At most 100"),
            lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    if date_from and date_to and date_from > date_to:
        raise bad_request(f"date_from ({date_from}) is after date_to ({date_to})")
    filters = {
        "country": country and country_from_code(country, parameter="country"),
        "region": region and region_from_code(region),
        "freedom": freedom and term_from_code("freedom", freedom, [Vocabulary.FREEDOM]),
        "violation": violation and term_from_code("violation", violation,
                                                  [Vocabulary.VIOLATION, Vocabulary.POSITIVE]),
        "victim": victim and term_from_code("victim", victim, [Vocabulary.VICTIM]),
        "date_from": date_from, "date_to": date_to,
    }
    queryset = update_selectors.public_updates(**{k: v for k, v in filters.items() if v})
    if q:
        queryset = text_filter(queryset, q, lang)
    queryset = queryset.select_related("organisation").only(*UPDATE_SUMMARY_FIELDS)

    if after is not None:
        count = page = pages = None
        if after:
            found = CURSOR.match(after)
            try:
                after_date, after_id = dt.date.fromisoformat(found.group(1)), int(found.group(2))
            except (AttributeError, ValueError):
                raise bad_request(f"Invalid cursor '{after}' in parameter 'after': use a next_cursor value") \
                    from None
            queryset = queryset.filter(Q(date__lt=after_date) | Q(date=after_date, pk__lt=after_id))
        rows = list(queryset[:page_size + 1])
        more, rows = len(rows) > page_size, rows[:page_size]
    else:
        count = queryset.count()
        pages = max(1, math.ceil(count / page_size))
        if not 1 <= page <= pages:
            raise HttpError(404, f"Page {page} is out of range (1–{pages})")
        start = (page - 1) * page_size
        rows = list(queryset[start:start + page_size])
        more = page < pages
    results = []
    with translation.override(lang):
        for update in rows:
            title, shown = localised_text(update, "title")
            results.append({
                "id": update.pk, "url": url(request, "update", update.pk),
                "country": country_ref(update.country, lang), "date": update.date, "language": shown,
                "title": title, "summary": localised_text(update, "summary")[0],
                "organisation": update.organisation.name,
                "freedoms": [term_out(t, lang) for t in update.freedoms.all()],
                "incident_count": update.incident_count,
            })
    next_cursor = update_cursor(rows[-1]) if rows and more else None
    if after is not None:
        return {"count": None, "page": None, "pages": None, "page_size": page_size,
                "next": after_url(request, next_cursor) if next_cursor else None, "previous": None,
                "next_cursor": next_cursor, "results": results}
    return {"count": count, "page": page, "pages": pages, "page_size": page_size,
            "next": page_url(request, page + 1) if more else None,
            "previous": page_url(request, page - 1) if page > 1 else None,
            "next_cursor": next_cursor, "results": results}


def incident_out(incident, related, text_lang, original, lang):
    def text(field):
        return incident_text(incident, field, shown=text_lang, original=original) or ""

    pk = incident.pk
    return {
        "id": pk, "date": incident.date, "date_precision": incident.date_precision,
        "place": text("place"), "place_precision": incident.place_precision,
        "description": text("description"), "outcome": text("outcome"),
        "types": [{**term_out(t, lang), "vocabulary": t.vocabulary} for t in related["types"].get(pk, ())],
        "freedoms": [term_out(t, lang) for t in related["freedoms"].get(pk, ())],
        "victims": [{"type": term_out(v.type, lang), "count": v.count, "names": v.public_names()}
                    for v in related["victims"].get(pk, ())],
        "perpetrators": [term_out(t, lang) for t in related["perpetrators"].get(pk, ())],
        "sources": public_sources(related["sources"].get(pk, ())),
    }


@api.get("/updates/{id}", response={200: schemas.UpdateDetail, **ERRORS}, url_name="update", tags=["updates"],
         summary="One published (or retracted) update with its incidents")
def update(request, id: int = Path(..., ge=1, le=MAX_ID), lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    try:
        found, incidents, related = update_selectors.update_public_detail(id)
    except Http404:
        raise HttpError(404, f"No published update with id {id}") from None
    with translation.override(lang):
        title, shown = localised_text(found, "title")
        summary = localised_text(found, "summary")[0]
        body = localised_text(found, "body")[0]
    data = {
        "id": found.pk, "url": url(request, "update", found.pk), "status": found.status,
        "retraction_reason": None, "retraction_reason_language": None, "country": country_ref(found.country, lang), "date": found.date,
        "language": shown, "title": title, "organisation": found.organisation.name,
        "freedoms": [term_out(t, lang) for t in found.detail_freedoms],
        "summary": None, "body": None, "incidents": None, "sources": None,
    }
    if found.is_retracted:
        data["retraction_reason"], data["retraction_reason_language"] = localised_text(
            found, "retraction_reason", lang)
        return data
    data.update({
        "summary": summary, "body": body,
        "incidents": [incident_out(i, related, shown, found.original_language, lang) for i in incidents],
        "sources": public_sources(found.detail_sources),
    })
    return data


# Laws ----------------------------------------------------------------------------------------------------------

def law_summary(request, bill, lang):
    with translation.override(lang):
        title = bill_text(bill, "short_title")
    return {
        "id": bill.pk, "url": url(request, "law", bill.pk), "country": country_ref(bill.country, lang),
        "title": title, "category": bill.category, "direction": bill.direction,
        "current_stage": bill.current_stage, "last_moved": bill.last_moved,
        "last_moved_precision": bill.last_moved_precision, "passed_with_improvements": bill.passed_with_improvements,
    }


@api.get("/laws", response={200: List[schemas.LawSummary], **ERRORS}, url_name="laws", tags=["laws"],
         summary="Laws and draft laws affecting civic space, with their current (verified) stage")
def laws(request,
         country: Optional[str] = Query(None, description="Country code, e.g. KGZ"),
         region: Optional[str] = Query(None, description="Region code"),
         category: Optional[str] = Query(None, description=f"One of {', '.join(Category.values)}"),
         direction: Optional[str] = Query(None, description=f"One of {', '.join(Direction.values)}"),
         stage: Optional[str] = Query(None, description="Current stage code"),
         lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    filters = {
        "country": country and country_from_code(country, parameter="country"),
        "region": region and region_from_code(region),
        "category": category and choice("category", category, Category.values),
        "direction": direction and choice("direction", direction, Direction.values),
        "stage": stage and choice("stage", stage, STAGE_CODES),
    }
    return [law_summary(request, b, lang)
            for b in law_selectors.bill_list(**{k: v for k, v in filters.items() if v})]


@api.get("/laws/{id}", response={200: schemas.LawDetail, **ERRORS}, url_name="law", tags=["laws"],
         summary="One law with its verified stage timeline")
def law(request, id: int = Path(..., ge=1, le=MAX_ID), lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    try:
        bill = law_selectors.bill_public_get(id)
    except Http404:
        raise HttpError(404, f"No law with id {id}") from None
    events = law_selectors.bill_timeline(bill)
    data = law_summary(request, bill, lang)
    with translation.override(lang):
        data.update({
            "official_title": bill_text(bill, "official_title"), "summary": bill_text(bill, "summary"),
            "timeline": [{"stage": e.stage, "label": str(STAGE_LABELS[e.stage]), "date": e.date,
                          "date_precision": e.date_precision, "note": named(e, "note", lang),
                          "source": law_source_out(e.source) if e.source else None} for e in events],
        })
    data.update({
        "number": bill.number,
        "freedoms": [term_out(t, lang) for t in bill.freedoms.all()],
        "sources": [law_source_out(s) for s in bill.sources.all()],
        "updates": [{"id": u.pk, "url": url(request, "update", u.pk)} for u in bill.updates.all()],  # published
    })
    return data


# Watchlist and taxonomy ----------------------------------------------------------------------------------------

@api.get("/watchlist", response={200: List[schemas.WatchlistEdition], **ERRORS}, url_name="watchlist",
         tags=["watchlist"], summary="Published Watchlist editions, newest first, with their countries")
def watchlist(request, lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    result = []
    with translation.override(lang):
        for edition in watchlist_selectors.published_editions():
            countries = []
            for entry in edition.entries.all():
                rationale, rationale_lang = entry_rationale(entry)
                countries.append({
                    **country_ref(entry.country, lang), "position": entry.position, "confirmed": entry.confirmed,
                    # The public page shows the note only to say why an unconfirmed entry is disputed.
                    "note": None if entry.confirmed else entry.note,
                    "rationale": rationale, "rationale_language": rationale_lang,
                    "rating_at_publication": entry.rating_at_publication or None,
                    "score_at_publication": number(entry.score_at_publication), "source_url": entry.source_url,
                })
            result.append({
                "slug": edition.slug, "target_date": edition.target_date, "date_precision": edition.date_precision,
                "title": str(edition.title), "hrc_session": edition.hrc_session.number if edition.hrc_session else None,
                "countries": countries,
            })
    return result


@api.get("/taxonomy", response={200: schemas.Taxonomy, **ERRORS}, url_name="taxonomy", tags=["taxonomy"],
         summary="The controlled vocabularies (freedoms, violations, positive developments, victims, perpetrators)")
def taxonomy(request, lang: str = Query("en", description=LANG_HELP)):
    lang = language(lang)
    by_vocabulary = {}
    for term in Term.objects.select_related("freedom").order_by("vocabulary", "position", "code"):
        by_vocabulary.setdefault(term.vocabulary, []).append({
            **term_out(term, lang), "position": term.position,
            "freedom": term.freedom.code if term.freedom else None, "is_active": term.is_active,
        })
    with translation.override(lang):
        vocabularies = [{"code": value, "label": str(label), "terms": by_vocabulary.get(value, [])}
                        for value, label in Vocabulary.choices]
    return {"lang": lang, "vocabularies": vocabularies}


from civicspace.cases.api import router as cases_router  # noqa: E402  (issue 20: cases)
api.add_router("/cases", cases_router)
from civicspace.corrections.api import router as corrections_router  # noqa: E402  (issue 21: corrections)
api.add_router("/corrections", corrections_router)
