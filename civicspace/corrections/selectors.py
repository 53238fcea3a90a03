"""Reads of corrections. The items a request may be filed against come from each domain's public door (published
updates and incidents, laws, published cases, countries with a published rating); the public record reads only
CorrectionRequest.objects.published()."""
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from civicspace.cases import presentation as case_presentation
from civicspace.cases import selectors as case_selectors
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


def item_resolve(kind, ref):
    """The published item `kind`/`ref` a request may be filed against; Http404 when there is none."""
    try:
        if kind == ItemKind.RATING:
            country = Country.objects.get(code=str(ref).upper())
            if not PublishedRating.objects.filter(country=country).exists():
                raise Http404
            return Item(kind, country.pk, country.code.lower(),
                        _("Rating of %(country)s") % {"country": country.name}, country.get_absolute_url(),
                        country, f"rating:{country.pk}", reverse("ratings:proposal_list"))
        pk = int(ref)
        if kind == ItemKind.UPDATE:
            update = Update.objects.published().select_related("country").get(pk=pk)
            return Item(kind, pk, str(pk), update_text(update, "title")[0], update.get_absolute_url(), update.country,
                        f"update:{pk}", reverse("monitoring:update_edit", args=[pk]))
        if kind == ItemKind.INCIDENT:
            incident = Incident.objects.published().select_related("update__country").get(pk=pk)
            update = incident.update
            title = _("Incident of %(date)s in “%(update)s”") % {"date": incident.date.isoformat(),
                                                                 "update": update_text(update, "title")[0]}
            return Item(kind, pk, str(pk), title, f"{update.get_absolute_url()}#incident-{pk}", update.country,
                        f"update:{update.pk}", reverse("monitoring:incident_edit", args=[update.pk, pk]))
        if kind == ItemKind.LAW:
            bill = Bill.objects.select_related("country").get(pk=pk)
            return Item(kind, pk, str(pk), bill_text(bill, "short_title"), reverse("publishing:bill_detail",
                                                                                  args=[pk]),
                        bill.country, f"law:{pk}", reverse("legislation:bill_edit", args=[pk]))
        if kind == ItemKind.CASE:
            case = case_selectors.case_public_get(pk)
            return Item(kind, pk, str(pk), case_presentation.title(case), case.get_absolute_url(), case.country,
                        f"case:{pk}", reverse("cases:case_manage", args=[pk]))
    except (ValueError, OverflowError, Country.DoesNotExist, Update.DoesNotExist, Incident.DoesNotExist,
            Bill.DoesNotExist):
        raise Http404 from None
    raise Http404


def item_of(request):
    """The item of a stored request, or None when it is no longer public (retracted, withdrawn)."""
    ref = request.country.code if request.item_kind == ItemKind.RATING else request.item_id
    try:
        return item_resolve(request.item_kind, ref)
    except Http404:
        return None


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
    rows = []
    for record in queryset:
        item = item_of(record)
        if item is None:
            continue
        record.item = item
        rows.append(record)
        if limit and len(rows) >= limit:
            break
    return rows


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
