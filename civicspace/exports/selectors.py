"""The public rows of each table of a data release.

Only what a public page may show is read here: published updates (never drafts, submissions or retracted
updates), their incidents, public sources (never a confidential source, never the editors' note), victims'
names only when they are not sensitive, verified stage events, published Watchlist editions. Translated text
is given in a language only where the public pages would show it (the original language, or a reviewed
translation). Each function returns a list of plain dicts (values: str, int, Decimal, date, datetime, bool,
None or a list of str/int), in a stable order.
"""
from django.conf import settings

from civicspace.cases.exports import case_events, cases  # noqa: F401  (issue 20: the cases tables)
from civicspace.corrections.exports import corrections  # noqa: F401  (issue 21: the corrections table)
from civicspace.core.text import clean_markdown, shown_languages
from civicspace.countries.models import Country, Region
from civicspace.legislation.models import StageEvent
from civicspace.legislation.selectors import bills_with_stage
from civicspace.monitoring.models import Incident, Source, Term, Update, Victim, published_q
from civicspace.ratings.models import PublishedRating, RatingEdition
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

LANGS = [code for code, _name in settings.LANGUAGES]


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


def updates():
    rows = []
    queryset = (published_updates().select_related("country", "organisation").prefetch_related("freedoms")
                .order_by("pk"))
    for u in queryset:
        langs = _shown_languages(u)
        rows.append({
            "id": u.pk, "country": u.country.code, "date": u.date, "original_language": u.original_language,
            "languages": langs, **_translated(u, "title", langs), **_translated(u, "summary", langs),
            **_translated(u, "body", langs, clean_markdown), "freedoms": _codes(u.freedoms.all()),
            "organisation": u.organisation.slug, "organisation_name": u.organisation.name,
            "published_at": u.published_at,
        })
    return rows


def _published_incidents():
    return Incident.objects.published()


def _codes_by_incident(relation, **filters):
    """{incident id: [codes]} of one many-to-many relation of the published incidents, read as values."""
    through = getattr(Incident, relation).through
    column = "term__code" if relation != "sources" else "source_id"
    found = {}
    for incident_id, value in (through.objects.filter(published_q("incident__update__"), **filters)
                               .values_list("incident_id", column).iterator(chunk_size=20_000)):
        found.setdefault(incident_id, []).append(value)
    return found


def incidents():
    # Read as values, not model instances with prefetches: at ten times today's volume (500,000 incidents)
    # building instances dominated the export (bench/).
    updates = {pk: (code, original, status or {}) for pk, code, original, status in
               published_updates().values_list("pk", "country__code", "original_language", "translation_status")}
    shown = {}
    relations = {name: _codes_by_incident(name) for name in ("types", "freedoms", "perpetrators")}
    public_sources = _codes_by_incident("sources", source__confidential=False)
    text_fields = [f"{field}_{lang}" for field in ("description", "outcome", "place") for lang in LANGS]
    rows = []
    for values in (_published_incidents().order_by("pk")
                   .values_list("pk", "update_id", "date", "date_precision", "place_precision", *text_fields)
                   .iterator(chunk_size=5_000)):
        pk, update_id, date, date_precision, place_precision = values[:5]
        text = dict(zip(text_fields, values[5:]))
        country, original, status = updates[update_id]
        # Incidents follow their update: text in the languages the update's page shows.
        langs = shown.get(update_id)
        if langs is None:
            langs = shown[update_id] = shown_languages(original, status)
        rows.append({
            "id": pk, "update": update_id, "country": country, "date": date, "date_precision": date_precision,
            # The place in the update's original language, then its translations in the languages shown; never
            # a place, in any language, for one coarsened to the country.
            "place": Incident.shown_place(text[f"place_{original}"], place_precision) or None,
            "place_precision": place_precision,
            **{f"place_{lang}": (Incident.shown_place(text[f"place_{lang}"], place_precision) or None)
               if lang in langs else None for lang in LANGS},
            **{f"description_{lang}": (text[f"description_{lang}"] or None) if lang in langs else None
               for lang in LANGS},
            **{f"outcome_{lang}": (text[f"outcome_{lang}"] or None) if lang in langs else None for lang in LANGS},
            "types": sorted(relations["types"].get(pk, ())), "freedoms": sorted(relations["freedoms"].get(pk, ())),
            "perpetrators": sorted(relations["perpetrators"].get(pk, ())),
            "sources": sorted(public_sources.get(pk, ())),
        })
    return rows


def incident_types():
    through = Incident.types.through
    return [{"incident": incident_id, "vocabulary": vocabulary, "code": code}
            for incident_id, vocabulary, code in
            (through.objects.filter(published_q("incident__update__"))
             .order_by("incident_id", "term__vocabulary", "term__code")
             .values_list("incident_id", "term__vocabulary", "term__code").iterator(chunk_size=20_000))]


def victims():
    queryset = (Victim.objects.published().select_related("type")
                .order_by("pk"))
    return [{"id": v.pk, "incident": v.incident_id, "vocabulary": v.type.vocabulary, "type": v.type.code,
             "count": v.count, "names": "; ".join(v.public_names()) or None} for v in queryset]


def sources():
    queryset = Source.objects.published().order_by("pk")
    # Never the note: it is for editors only.
    return [{"id": s.pk, "update": s.update_id, "title": s.title, "publisher": s.publisher or None, "date": s.date,
             "url": s.url or None, "language": s.language or None} for s in queryset]


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
