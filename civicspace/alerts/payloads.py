"""What an event carries: only public fields, read again through each domain's published() door or public
selector, in the five languages (a translation only once reviewed, as on the pages). `build(kind, instance)`
returns (object_id, payload, match): the payload is what e-mails and webhooks show; `match` holds the ids that
subscriptions are compared with (countries, regions, terms, bills)."""
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civicspace.cases import selectors as case_selectors
from civicspace.cases.presentation import title as case_title
from civicspace.legislation.models import StageEvent
from civicspace.legislation.selectors import bill_text
from civicspace.monitoring.models import Incident, Update
from civicspace.monitoring.selectors import update_text
from civicspace.ratings.labels import RATING_NAMES
from civicspace.ratings.selectors.editions import edition_changes, edition_list, edition_previous_complete
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry

LANGS = [code for code, _name in settings.LANGUAGES]


def per_language(function):
    out = {}
    for lang in LANGS:
        with translation.override(lang):
            out[lang] = str(function(lang))
    return out


def absolute(name, *args):
    return per_language(lambda lang: settings.SITE_URL + reverse(name, args=args))


def _country(country):
    return {"code": country.slug, "name": per_language(lambda lang: country.name)}


def _update_published(update_ref):
    update = Update.objects.published().select_related("country__region").prefetch_related("freedoms").get(
        pk=update_ref.pk)
    incidents = list(Incident.objects.published().filter(update=update).prefetch_related("types", "freedoms"))
    freedoms = {t.pk: t for t in update.freedoms.all()}
    types = {}
    for incident in incidents:
        freedoms.update({t.pk: t for t in incident.freedoms.all()})
        types.update({t.pk: t for t in incident.types.all()})
    payload = {
        "update": {"id": update.pk, "date": update.date.isoformat(), "country": _country(update.country),
                   "title": per_language(lambda lang: update_text(update, "title", lang)[0]),
                   "summary": per_language(lambda lang: update_text(update, "summary", lang)[0]),
                   "freedoms": [t.code for t in freedoms.values()],
                   "violation_types": [t.code for t in types.values()],
                   "incidents": len(incidents),
                   "url": absolute("publishing:update_detail", update.pk)},
    }
    match = {"countries": [update.country_id], "regions": [update.country.region_id],
             "terms": sorted(set(freedoms) | set(types))}
    return update.pk, payload, match


def _update_retracted(update_ref):
    update = Update.objects.visible().select_related("country__region").get(pk=update_ref.pk)
    payload = {"update": {"id": update.pk, "country": _country(update.country),
                          "title": per_language(lambda lang: update_text(update, "title", lang)[0]),
                          "retraction_reason": per_language(
                              lambda lang: update_text(update, "retraction_reason", lang)[0]),
                          "url": absolute("publishing:update_detail", update.pk)}}
    return update.pk, payload, {"countries": [update.country_id], "regions": [update.country.region_id]}


def _stage_verified(event_ref):
    from civicspace.legislation.models import STAGE_LABELS

    event = StageEvent.objects.published().select_related("bill__country__region").get(pk=event_ref.pk)
    bill = event.bill
    payload = {"law": {"id": bill.pk, "country": _country(bill.country), "number": bill.number,
                       "title": per_language(lambda lang: bill_text(bill, "short_title", lang)),
                       "url": absolute("publishing:bill_detail", bill.pk)},
               "stage": {"code": event.stage, "label": per_language(lambda lang: STAGE_LABELS[event.stage]),
                         "date": event.date.isoformat(), "date_precision": event.date_precision}}
    match = {"countries": [bill.country_id], "regions": [bill.country.region_id], "bills": [bill.pk]}
    return event.pk, payload, match


def _rating_edition(edition):
    editions = edition_list()
    edition = next(e for e in editions if e.pk == edition.pk)  # the published editions, read again
    previous = edition_previous_complete(editions, edition)
    changes = edition_changes(edition, previous)
    payload = {"edition": {"slug": edition.slug, "code": edition.code, "published": edition.published.isoformat(),
                           "url": absolute("publishing:edition_changes", edition.slug)},
               "changes": [{"country": _country(c.country), "from": c.before, "to": c.after,
                            "from_label": per_language(lambda lang, c=c: RATING_NAMES[c.before]),
                            "to_label": per_language(lambda lang, c=c: RATING_NAMES[c.after])} for c in changes]}
    match = {"countries": [c.country.pk for c in changes], "regions": sorted({c.country.region_id for c in changes})}
    return edition.pk, payload, match


def _findings(edition):
    payload = {"edition": {"slug": edition.slug, "code": edition.code, "published": edition.published.isoformat(),
                           "url": absolute("findings:edition", edition.slug)}}
    return edition.pk, payload, {}


def _watchlist(edition_ref):
    edition = WatchlistEdition.objects.published().get(pk=edition_ref.pk)
    entries = WatchlistEntry.objects.published().filter(edition=edition).select_related("country")
    payload = {"watchlist": {"slug": edition.slug, "title": per_language(lambda lang: edition.title),
                             "countries": [_country(e.country) for e in entries],
                             "url": absolute("publishing:watchlist_edition", edition.slug)}}
    return edition.pk, payload, {"countries": [e.country_id for e in entries]}


def _case(case_ref):
    case = case_selectors.case_public_get(case_ref.pk)
    payload = {"case": {"id": case.pk, "country": _country(case.country),
                        "title": per_language(lambda lang: case_title(case)),
                        "url": absolute("cases:case_detail", case.pk)}}
    return case.pk, payload, {"countries": [case.country_id], "regions": [case.country.region_id]}


BUILDERS = {
    "update.published": _update_published,
    "update.retracted": _update_retracted,
    "law.stage_verified": _stage_verified,
    "rating.edition_published": _rating_edition,
    "findings.published": _findings,
    "watchlist.edition_published": _watchlist,
    "case.published": _case,
    "case.event_verified": _case,
}


def build(kind, instance):
    return BUILDERS[kind](instance)
