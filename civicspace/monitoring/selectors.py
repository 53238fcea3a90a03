"""Reads of updates and incidents for the workspace, the review queue and the public pages."""
import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from civicspace.accounts.roles import assigned_country_ids, is_editor, organisation_id
from civicspace.core.l10n import join_list
from civicspace.core.text import ALL_REVIEWED, REVIEWED, clean_markdown, public_text

from .models import Incident, Source, Status, Term, TrendCall, Update, Victim, published_q, type_ids_text

PUBLIC_SOURCES = Prefetch("sources", queryset=Source.objects.public(), to_attr="public_sources")


# --- public text (the one fallback rule of core/text.py, applied to updates) ------------------------------

def update_text(update, field, lang=None):
    """(text, language) of an update's title, summary or body as the public sees it: the reader's language when
    it is the original or a reviewed translation, else the original. A body is sanitised Markdown.

    The retraction reason is the editor's own: written in retraction_language, every translation the editor gave
    is shown as it is (no review step), else that original."""
    if field == "retraction_reason":
        return public_text(update, field, original=update.retraction_language or update.original_language,
                           statuses=ALL_REVIEWED, lang=lang)
    text, shown = public_text(update, field, original=update.original_language,
                              statuses=update.translation_status, lang=lang)
    return (clean_markdown(text) if field == "body" else text), shown


def incident_text(incident, field, *, shown, original):
    """An incident follows its update: its text in the language the update is shown in, else the original. A
    place is only as precise as its precision allows: none at all, in any language, for "country only"."""
    if field == "place":
        return incident_place(incident, shown=shown, original=original)[0]
    return public_text(incident, field, original=original, statuses={shown: REVIEWED}, lang=shown)[0]


def incident_place(incident, *, shown, original):
    """(place, language) of an incident as the public sees it: the translation in the language the update is
    shown in, else the original; ("", original) when coarsened to the country (also for rows written in bulk,
    which bypass Incident.save())."""
    if incident.place_precision == Incident.PlacePrecision.COUNTRY:
        return "", original
    return public_text(incident, "place", original=original, statuses={shown: REVIEWED}, lang=shown)


def workspace_updates(user):
    """The updates a user works on: a partner's own organisation's in assigned countries; all for editors."""
    queryset = Update.objects.select_related("country", "organisation").annotate(comment_count=Count("comments"))
    if not is_editor(user):
        queryset = queryset.filter(organisation_id=organisation_id(user), country_id__in=assigned_country_ids(user))
    return queryset.order_by("-updated_at")


def trend_calls_visible_to(user, countries, *, limit=100):
    """Need-to-know: trend calls (and their notes) of the given countries that a user may see: all of them for
    editors, only their own organisation's for a partner (docs/security.md)."""
    queryset = TrendCall.objects.filter(country__in=countries).select_related("country", "organisation")
    if not is_editor(user):
        queryset = queryset.filter(organisation_id=organisation_id(user))
    return list(queryset[:limit])


QUEUE_STATES = [Status.SUBMITTED, Status.IN_REVIEW, Status.VERIFIED, Status.CHANGES_REQUESTED]


def review_queue(*, country=None, user=None):
    """Updates waiting for editors, oldest submission first, with when they were (last) submitted. An editor
    with assigned countries sees those countries'."""
    queryset = (Update.objects.filter(status__in=QUEUE_STATES)
                .select_related("country", "organisation").annotate(incident_count=Count("incidents", distinct=True),
                                                                    submitted_at=_submitted_at()))
    if country:
        queryset = queryset.filter(country=country)
    elif user is not None and assigned_country_ids(user):
        queryset = queryset.filter(country_id__in=assigned_country_ids(user))
    return queryset.order_by("submitted_at", "updated_at")


def update_for_workspace(pk):
    """Everything about one update, confidential sources included: only for those allowed to see it."""
    try:
        return (Update.objects.select_related("country", "organisation", "created_by")
                .prefetch_related("freedoms", "sources", "comments__author",
                                  Prefetch("incidents", queryset=Incident.objects.prefetch_related(
                                      "types", "freedoms", "perpetrators", "sources", "victims__type")))
                .get(pk=pk))
    except Update.DoesNotExist:
        raise Http404 from None


def _public_incidents():
    return Prefetch("incidents", queryset=Incident.objects.prefetch_related(
        "types", "freedoms", "perpetrators", Prefetch("victims", queryset=Victim.objects.select_related("type")),
        Prefetch("sources", queryset=Source.objects.public(), to_attr="public_sources")))


def update_public_get(pk):
    try:
        return (Update.objects.visible()
                .select_related("country__region", "organisation")
                .prefetch_related("freedoms", PUBLIC_SOURCES, _public_incidents())
                .get(pk=pk))
    except Update.DoesNotExist:
        raise Http404 from None


def public_updates(*, country=None, region=None, freedom=None, violation=None, victim=None, date_from=None,
                   date_to=None):
    """Published updates, newest first, filtered; each filter narrows by the update's incidents or tags.

    Filters on incidents are EXISTS subqueries and the incident count a correlated subquery, so no join
    multiplies the rows: no DISTINCT or GROUP BY over every update, and the database can walk the
    (status, date) index newest first and stop after one page."""
    queryset = Update.objects.published()
    incidents = Incident.objects.filter(update=OuterRef("pk"))
    if country:
        queryset = queryset.filter(country=country)
    if region:
        queryset = queryset.filter(country__region=region)
    if freedom:
        queryset = queryset.filter(Q(Exists(Update.freedoms.through.objects.filter(update=OuterRef("pk"),
                                                                                  term=freedom)))
                                   | Q(Exists(incidents.filter(freedoms=freedom))))
    if violation:
        queryset = queryset.filter(Exists(incidents.filter(types=violation)))
    if victim:
        queryset = queryset.filter(Exists(incidents.filter(victims__type=victim)))
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    incident_count = Coalesce(Subquery(incidents.order_by().values("update").annotate(n=Count("pk")).values("n")),
                              0)
    return (queryset.select_related("country").prefetch_related("freedoms")
            .annotate(incident_count=incident_count).order_by("-date", "-pk"))


def country_recent_updates(country, *, limit=5):
    return list(Update.objects.published().filter(country=country).order_by("-date", "-pk")[:limit])


def country_incident_counts(country, *, months=12, today=None):
    """(term, count) of published incidents by type in the last `months` months, most frequent first."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=round(months * 30.44))
    return list(
        Term.objects.filter(published_q("incidents__update__"), incidents__update__country=country,
                            incidents__date__gte=since)
        .annotate(n=Count("incidents", distinct=True)).order_by("-n", "position")
    ), since



# --- The workspace that guides (issue 25) --------------------------------------------------------------------
def update_checklist(update):
    """What to check before submitting (and before verifying): [(done, text)], from the prefetched update."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    lang = update.original_language
    incidents = list(update.incidents.all())
    items = [
        (bool(getattr(update, f"title_{lang}") and getattr(update, f"summary_{lang}")),
         _("The title and summary are written in the original language.")),
        (bool(update.sources.all()), _("The update cites at least one source.")),
        (bool(incidents), _("At least one incident is recorded.")),
    ]
    for number, incident in enumerate(incidents, start=1):
        if not incident.sources.all():
            items.append((False, _("Incident %(n)s cites no source.") % {"n": number}))
        if not incident.types.all():
            items.append((False, _("Incident %(n)s has no violation or positive type.") % {"n": number}))
        for victim in incident.victims.all():
            if victim.names.strip() and not victim.names_sensitive:
                items.append((None, _("Incident %(n)s: the victims' names will be published (not marked "
                                      "sensitive). Check that this is safe.") % {"n": number}))
    missing = [name for code, name in settings.LANGUAGES
               if code != lang and update.language_status(code) != "reviewed"]
    if missing:
        items.append((None, _("Not yet translated (or not reviewed): %(languages)s. Readers of those languages "
                              "see the original.") % {"languages": join_list(missing)}))
    return items


def incidents_as_published(update):
    """Each incident with what the public page will show of it: no confidential source, no sensitive name."""
    lang = update.original_language
    return [{"incident": incident, "description": getattr(incident, f"description_{lang}"),
             "place": incident_place(incident, shown=lang, original=lang)[0],
             "outcome": getattr(incident, f"outcome_{lang}"),
             "public_sources": [s for s in incident.sources.all() if not s.confidential]}
            for incident in update.incidents.all()]


def history_entries(records, *, older):
    """Revision history with what changed: each record compared with the one before it. State values and
    workflow actions are given as labels in the reader's language."""
    from .permissions import TRANSITION_LABELS

    entries = []
    previous = {r.history_id: o for r, o in zip(records, older)}
    for record in records:
        before = previous.get(record.history_id)
        changes = []
        if before is not None:
            delta = record.diff_against(before, excluded_fields=["translation_status"])
            for change in delta.changes:
                old, new = change.old, change.new
                if change.field == "status":
                    old, new = Status(old).label if old else old, Status(new).label if new else new
                label = getattr(Update._meta.get_field(change.field), "verbose_name", change.field)
                changes.append({"field": str(label), "old": old, "new": new})
        reason = record.history_change_reason
        entries.append({"record": record, "status": Status(record.status).label,
                        "action": TRANSITION_LABELS.get(reason, reason) if reason
                        else record.get_history_type_display(), "changes": changes})
    return entries


def _submitted_at():
    return Subquery(Update.history.model.objects.filter(id=OuterRef("pk"), history_change_reason="submit")
                    .order_by("-history_date").values("history_date")[:1])


def review_queue_countries(user):
    """The countries in the editor's filter: those assigned to them, else those with something in the queue."""
    from civicspace.countries.models import Country

    assigned = assigned_country_ids(user)
    if assigned:
        return list(Country.objects.filter(pk__in=assigned).order_by("name"))
    return list(Country.objects.filter(updates__status__in=QUEUE_STATES).distinct().order_by("name"))

# The API's update detail -------------------------------------------------------------------------------------

_LANGS = [code for code, _name in settings.LANGUAGES]


def _translated(*fields):
    return [f"{field}{suffix}" for field in fields for suffix in ["", *(f"_{code}" for code in _LANGS)]]


# The columns the API's UpdateDetail shows (no editors' fields, no confidential source's note), and those of its incidents.
UPDATE_DETAIL_FIELDS = ["id", "status", "date", "original_language", "translation_status", "retraction_language",
                        "country__id", "country__code", *(f"country__{f}" for f in _translated("name")),
                        "organisation__id", "organisation__name",
                        *_translated("title", "summary", "body", "retraction_reason")]
INCIDENT_DETAIL_FIELDS = ["id", "update_id", "date", "date_precision", "place_precision",
                          *_translated("place", "description", "outcome")]
TERM_FIELDS = ["id", "vocabulary", "code", "position", *_translated("label")]
SOURCE_FIELDS = ["id", "title", "publisher", "date", "url", "language", "confidential"]
TERM_ORDER = [f"term__{f}" for f in Term._meta.ordering]


def _grouped(rows, key, value):
    grouped = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(value(row))
    return grouped


def update_public_detail(pk):
    """The update `pk` as the public sees it (as update_public_get: visible updates only, public sources only)
    with only the columns the API's UpdateDetail shows: its incidents' terms, victims and sources are read once for
    the whole update, relation by relation, instead of through prefetch_related, which builds a related manager
    and a queryset for every incident and relation (most of a miss's time on an update with ten incidents).
    (update, incidents, related) where related[relation][incident id] is that incident's list, in the order of
    the models' Meta.ordering (as prefetch_related gives them)."""
    try:
        found = (Update.objects.visible().select_related("country", "organisation")
                 .only(*UPDATE_DETAIL_FIELDS).get(pk=pk))
    except Update.DoesNotExist:
        raise Http404 from None
    found.detail_freedoms = [row.term for row in Update.freedoms.through.objects.filter(update_id=pk)
                             .select_related("term").only("update_id", "term_id", *(f"term__{f}" for f in TERM_FIELDS))
                             .order_by(*TERM_ORDER)]
    if found.is_retracted:
        return found, [], {}
    found.detail_sources = list(Source.objects.public().filter(update_id=pk).only("update_id", *SOURCE_FIELDS))
    incidents = list(Incident.objects.filter(update_id=pk).only(*INCIDENT_DETAIL_FIELDS))
    ids = [i.pk for i in incidents]
    related = {}
    for name in ("types", "freedoms", "perpetrators"):
        through = getattr(Incident, name).through.objects.filter(incident_id__in=ids).select_related("term")
        rows = through.only("incident_id", "term_id", *(f"term__{f}" for f in TERM_FIELDS)).order_by(*TERM_ORDER)
        related[name] = _grouped(rows, lambda r: r.incident_id, lambda r: r.term)
    victims = (Victim.objects.filter(incident_id__in=ids).select_related("type")
               .only("incident_id", "count", "names", "names_sensitive", *(f"type__{f}" for f in TERM_FIELDS)))
    related["victims"] = _grouped(victims, lambda v: v.incident_id, lambda v: v)
    # One join: the same rows as the selector's Prefetch("sources", Source.objects.public()).
    sources = (Source.objects.public().filter(incidents__in=ids).annotate(detail_incident_id=F("incidents"))
               .only(*SOURCE_FIELDS))
    related["sources"] = _grouped(sources, lambda s: s.detail_incident_id, lambda s: s)
    return found, incidents, related


def incident_type_ids_mismatched(limit=None):
    """Ids of the incidents whose type_ids is not the copy of their types (left by a write that bypassed the ORM),
    in id order, at most `limit`. Both tables are read in incident order and merged: nothing is held but the
    current incident's types."""
    pairs = (Incident.types.through.objects.order_by("incident_id", "term_id")
             .values_list("incident_id", "term_id").iterator(chunk_size=10_000))
    pair = next(pairs, None)
    found = []
    for pk, stored in Incident.objects.order_by("pk").values_list("pk", "type_ids").iterator(chunk_size=10_000):
        terms = []
        while pair is not None and pair[0] <= pk:
            if pair[0] == pk:
                terms.append(pair[1])
            pair = next(pairs, None)
        if stored != type_ids_text(terms):
            found.append(pk)
            if limit is not None and len(found) >= limit:
                break
    return found

