"""Reads of corrections. The items a request may be filed against come from each domain's public door (published
updates and incidents, laws, published cases, countries with a published rating); the public record reads only
CorrectionRequest.objects.published()."""
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from civicspace.cases import presentation as case_presentation
from civicspace.cases.models import Case
from civicspace.countries.models import Country
from civicspace.legislation.models import Bill
from civicspace.legislation.selectors import bill_text
from civicspace.monitoring.models import Incident, Update
from civicspace.monitoring.selectors import update_text
from civicspace.ratings.models import PublishedRating

from .models import CorrectionRequest, ItemKind, State


@dataclass
class Item:
    kind: str
    id: int
    ref: str  # what the URL carries: the id, or the country code for a rating
    title: str
    url: str
    country: Country
    page_key: str
    edit_url: str  # the item's normal editing screen (for editors)


def _update_item(update):
    return Item(ItemKind.UPDATE, update.pk, str(update.pk), update_text(update, "title")[0],
                update.get_absolute_url(), update.country, f"update:{update.pk}",
                reverse("monitoring:update_edit", args=[update.pk]))


def _incident_item(incident):
    update = incident.update
    title = _("Incident of %(date)s in “%(update)s”") % {"date": incident.date.isoformat(),
                                                         "update": update_text(update, "title")[0]}
    return Item(ItemKind.INCIDENT, incident.pk, str(incident.pk), title,
                f"{update.get_absolute_url()}#incident-{incident.pk}", update.country, f"update:{update.pk}",
                reverse("monitoring:incident_edit", args=[update.pk, incident.pk]))


def _law_item(bill):
    return Item(ItemKind.LAW, bill.pk, str(bill.pk), bill_text(bill, "short_title"),
                reverse("publishing:bill_detail", args=[bill.pk]), bill.country, f"law:{bill.pk}",
                reverse("legislation:bill_edit", args=[bill.pk]))


def _case_item(case):
    case.shown_name = case.public_name()
    return Item(ItemKind.CASE, case.pk, str(case.pk), case_presentation.title(case), case.get_absolute_url(),
                case.country, f"case:{case.pk}", reverse("cases:case_manage", args=[case.pk]))


def _rating_item(country):
    return Item(ItemKind.RATING, country.pk, country.code.lower(),
                _("Rating of %(country)s") % {"country": country.name}, country.get_absolute_url(), country,
                f"rating:{country.pk}", reverse("ratings:proposal_list"))


# kind: (the public door of that kind's items, how an item is built). Every door returns only what the public
# may see: published updates and their incidents, laws, published cases, countries with a published rating.
_DOORS = {
    ItemKind.UPDATE: (lambda: Update.objects.published().select_related("country"), _update_item),
    ItemKind.INCIDENT: (lambda: Incident.objects.published().select_related("update__country"), _incident_item),
    ItemKind.LAW: (lambda: Bill.objects.select_related("country"), _law_item),
    ItemKind.CASE: (lambda: Case.objects.published().select_related("country", "victim_type"), _case_item),
    ItemKind.RATING: (lambda: Country.objects.filter(pk__in=PublishedRating.objects.values("country_id")),
                      _rating_item),
}


def item_resolve(kind, ref):
    """The published item `kind`/`ref` a request may be filed against; Http404 when there is none."""
    if kind not in _DOORS:
        raise Http404
    door, build = _DOORS[kind]
    try:
        if kind == ItemKind.RATING:
            return build(door().get(code=str(ref).upper()))
        return build(door().get(pk=int(ref)))
    except (ValueError, OverflowError, ObjectDoesNotExist):
        raise Http404 from None


def items_of(records):
    """{record pk: its item} for the records whose item is still public (one query per kind present)."""
    wanted = {}
    for record in records:
        wanted.setdefault(record.item_kind, set()).add(record.item_id)
    found = {}
    for kind, ids in wanted.items():
        door, build = _DOORS[kind]
        for obj in door().filter(pk__in=ids):
            found[(kind, obj.pk)] = build(obj)
    return {r.pk: found[(r.item_kind, r.item_id)] for r in records if (r.item_kind, r.item_id) in found}


def item_of(request):
    """The item of a stored request, or None when it is no longer public (retracted, withdrawn)."""
    return items_of([request]).get(request.pk)


def page_key(kind, pk):
    return f"{kind}:{pk}"


def public_for_page(key):
    """Published replies and corrections shown on one item's page, oldest first (one query)."""
    return list(CorrectionRequest.objects.published().filter(page_key=key).order_by("published_at", "pk"))


def public_record(*, country=None, item_kind=None, request_type=None, limit=None):
    """The public corrections log: every published reply and accepted correction, newest first, each with
    its item (records whose item is no longer public are left out)."""
    queryset = CorrectionRequest.objects.published().select_related("country").order_by("-published_at", "-pk")
    if country is not None:
        queryset = queryset.filter(country=country)
    if item_kind:
        queryset = queryset.filter(item_kind=item_kind)
    if request_type:
        queryset = queryset.filter(request_type=request_type)
    records = list(queryset[:limit * 2] if limit else queryset)
    items = items_of(records)
    rows = []
    for record in records:
        if record.pk in items:
            record.item = items[record.pk]
            rows.append(record)
    return rows[:limit] if limit else rows


def reply_shown(record, lang):
    """(text, its language, translated?) of a published reply for a reader of `lang`."""
    translated = (record.reply_translations or {}).get(lang)
    if lang != record.language and translated:
        return translated, lang, True
    return record.reply_text, record.language, False


def editor_queue():
    """Confirmed requests waiting for an editor, oldest first (the queue), and the latest decided ones."""
    base = CorrectionRequest.objects.for_editors().select_related("country")
    waiting = list(base.filter(state=State.PENDING).order_by("confirmed_at", "pk"))
    decided = list(base.exclude(state=State.PENDING).order_by("-decided_at", "-pk")[:50])
    return waiting, decided


def request_for_editor(pk):
    try:
        return CorrectionRequest.objects.for_editors().select_related("country", "proposal").get(pk=pk)
    except (CorrectionRequest.DoesNotExist, ValueError):
        raise Http404 from None


def open_challenges_of(proposal):
    """Governments' challenges attached to a rating proposal (the panel's evidence)."""
    return list(CorrectionRequest.objects.for_editors().filter(proposal=proposal)
                .exclude(Q(state=State.DECLINED)).order_by("confirmed_at"))
