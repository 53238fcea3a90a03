"""Reads of bills with their current stage (derived by timeline.current_event and stored on the bill)."""
from django.db.models import Prefetch
from django.http import Http404

from civicspace.accounts.roles import is_editor, organisation_id
from civicspace.core.text import public_text
from civicspace.monitoring.models import Incident, Update

from . import timeline
from .models import Bill, StageEvent


def bills_with_stage():
    """Bills with their current stage, last move and its precision: stored on the bill by
    services.bill_stage_refresh from the verified events, by the one rule (timeline.current_event)."""
    return Bill.objects.all()


def bill_list(*, country=None, region=None, category=None, direction=None, stage=None, moved_from=None,
              moved_to=None):
    queryset = bills_with_stage().select_related("country")
    if country:
        queryset = queryset.filter(country=country)
    if region:
        queryset = queryset.filter(country__region=region)
    if category:
        queryset = queryset.filter(category=category)
    if direction:
        queryset = queryset.filter(direction=direction)
    if stage:
        queryset = queryset.filter(current_stage=stage)
    if moved_from:
        queryset = queryset.filter(last_moved__gte=moved_from)
    if moved_to:
        queryset = queryset.filter(last_moved__lte=moved_to)
    return queryset.order_by("-last_moved", "pk")


def headline_counts():
    """How many countries have enacted a foreign-agent law, and how many such bills are pending."""
    foreign_agent = bills_with_stage().filter(category="foreign_agent", direction__in=["restrictive", "mixed"])
    return {
        "foreign_agent_enacted_countries": foreign_agent.filter(current_stage__in=timeline.ENACTED)
        .values("country").distinct().count(),
        "foreign_agent_pending": foreign_agent.filter(current_stage__in=timeline.PENDING).count(),
    }


def bill_get(pk):
    try:
        return (bills_with_stage().select_related("country__region")
                .prefetch_related("freedoms", "sources", "updates", "incidents__update").get(pk=pk))
    except Bill.DoesNotExist:
        raise Http404 from None


def bill_public_get(pk):
    """One bill for the public: its verified stage and only the published updates and incidents linked to it
    (a link to a draft, verified or retracted update is not public)."""
    try:
        return (bills_with_stage().select_related("country__region")
                .prefetch_related("freedoms", "sources",
                                  Prefetch("updates", queryset=Update.objects.published().order_by("-date", "-pk")),
                                  Prefetch("incidents", queryset=Incident.objects.published().select_related("update")))
                .get(pk=pk))
    except Bill.DoesNotExist:
        raise Http404 from None


def bill_text(bill, field, lang=None):
    """A bill's text in the reader's language when translated (and reviewed), else in the original."""
    return bill_text_with_language(bill, field, lang)[0]


def bill_text_with_language(bill, field, lang=None):
    """(text, language of that text): what bill_text shows and the language to mark it with."""
    return public_text(bill, field, original=bill.original_language, statuses=bill.translation_status, lang=lang)


def _in_timeline_order(events):
    events = list(events)
    order = timeline.ordered([(e.stage, e.date) for e in events])
    return [events[index] for index, _ in order]


def bill_timeline(bill, *, verified=True):
    """The bill's events in timeline order: verified ones (public), or with verified=False every proposal
    (editors only; for a partner use proposals_visible_to)."""
    events = bill.events.published() if verified else bill.events.proposed()
    return _in_timeline_order(events.select_related("source"))


def country_bills(country):
    """Bills of a country with their stage: the 'laws in the pipeline' of the country page."""
    return list(bills_with_stage().filter(country=country).order_by("-last_moved", "pk"))


def recent_stage_events(*, country=None, limit=50):
    queryset = StageEvent.objects.published().select_related("bill__country").order_by("-date", "-pk")
    if country:
        queryset = queryset.filter(bill__country=country)
    return list(queryset[:limit])


def pending_proposals():
    return list(StageEvent.objects.proposed().select_related("bill__country", "proposed_by"))


def proposals_visible_to(user, bill):
    """Need-to-know: a bill's unverified stage proposals (and who proposed them) are shown to editors, and to a
    partner only when a member of the partner's own organisation proposed them (docs/security.md)."""
    events = bill.events.proposed().select_related("source", "proposed_by")
    if not is_editor(user):
        own = organisation_id(user)
        events = events.filter(proposed_by__profile__organisation_id=own) if own else events.none()
    return _in_timeline_order(events)


def bill_conflict_rows(bill, lang):
    """The stored bill as label/value rows for the editors' conflict screen (core/_conflict_notice.html), texts
    in the language being edited."""
    from django.utils.translation import gettext as _

    return [
        {"label": _("Short title"), "value": getattr(bill, f"short_title_{lang}", ""), "lang": lang},
        {"label": _("Official title"), "value": getattr(bill, f"official_title_{lang}", ""), "lang": lang},
        {"label": _("Plain-language summary"), "value": getattr(bill, f"summary_{lang}", ""), "lang": lang,
         "long": True},
        {"label": _("Bill number"), "value": bill.number},
        {"label": _("Category"), "value": bill.get_category_display()},
        {"label": _("Direction"), "value": bill.get_direction_display()},
        {"label": _("Country"), "value": bill.country.name},
    ]
