"""Editors' and partners' screens for bills. Thin: authorise, validate, call a service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import assigned_country_ids, is_editor, is_partner
from civicspace.core.errors import (ConcurrentEditError, conflict_form, form_errors_to_messages, submit_action,
                                    submit_form)
from civicspace.countries.models import Country

from . import selectors, services
from .forms import BillForm, BillSourceForm, StageEventForm
from .models import Bill, StageEvent


def _bill_for(request, pk):
    bill = get_object_or_404(Bill.objects.select_related("country"), pk=pk)
    if not services.can_propose(request.user, bill):
        raise Http404
    return bill


@login_required
def bill_workspace_list(request):
    if not (is_editor(request.user) or is_partner(request.user)):
        raise Http404
    bills = selectors.bills_with_stage().select_related("country")
    if not is_editor(request.user):
        bills = bills.filter(country_id__in=assigned_country_ids(request.user))
    return render(request, "legislation/workspace_list.html", {
        "bills": bills.order_by("country__code", "pk"),
        "proposals": selectors.pending_proposals() if is_editor(request.user) else [],
        "is_editor": is_editor(request.user),
    })


@login_required
def bill_form(request, pk=None):
    if not is_editor(request.user):
        raise PermissionDenied
    bill = get_object_or_404(Bill, pk=pk) if pk else None
    lang = request.POST.get("lang") or request.GET.get("lang") or (bill.original_language if bill else get_language())
    initial = {"lang": lang}
    if bill:
        initial.update(version=bill.version, country=bill.country, number=bill.number, category=bill.category, direction=bill.direction,
                       passed_with_improvements=bill.passed_with_improvements, freedoms=list(bill.freedoms.all()),
                       updates=list(bill.updates.all()), incidents=list(bill.incidents.all()),
                       translation_status=bill.translation_status.get(lang, "missing"),
                       **{f: getattr(bill, f"{f}_{lang}", "") for f in services.BILL_TEXT_FIELDS})
    form = BillForm(request.POST or None, countries=Country.objects.all(), bill=bill, initial=initial)
    context = {"form": form, "bill": bill}
    if request.method == "POST":
        try:
            done, saved = submit_form(form, lambda data: services.bill_save(
                actor=request.user, bill=bill, country=data["country"], category=data["category"],
                direction=data["direction"], number=data["number"],
                passed_with_improvements=data["passed_with_improvements"], freedoms=data["freedoms"],
                updates=data["updates"], incidents=data["incidents"], lang=data["lang"],
                texts={f: data[f] for f in services.BILL_TEXT_FIELDS}, translation_status=data["translation_status"],
                expected_version=data["version"] if bill else None))
        except ConcurrentEditError as error:
            stored, lang = error.current, form.cleaned_data["lang"]
            context.update(form=conflict_form(BillForm, request, stored.version, countries=Country.objects.all(),
                                              bill=bill, initial=initial),
                           conflict_title=_("Someone else saved this law while you were editing it. Your changes "
                                            "were not saved."),
                           conflict_rows=selectors.bill_conflict_rows(stored, lang))
            return render(request, "legislation/bill_form.html", context, status=409)
        if done:
            messages.success(request, _("Bill saved."))
            return redirect("legislation:bill_manage", saved.pk)
    return render(request, "legislation/bill_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def bill_manage(request, pk):
    bill = _bill_for(request, pk)
    return render(request, "legislation/bill_manage.html", {
        "bill": bill,
        "timeline": selectors.bill_timeline(bill),
        "proposals": selectors.proposals_visible_to(request.user, bill),
        "event_form": StageEventForm(bill=bill),
        "source_form": BillSourceForm(),
        "is_editor": is_editor(request.user),
    })


@login_required
def stage_event_add(request, pk):
    bill = _bill_for(request, pk)
    form = StageEventForm(request.POST or None, bill=bill)
    if request.method == "POST":
        done, event = submit_form(form, lambda data: services.stage_event_add(
            bill=bill, actor=request.user, stage=data["stage"], date=data["date"][0], date_precision=data["date"][1],
            note=data["note"], source=data["source"], lang=get_language()))
        if done:
            messages.success(request, _("Stage added.") if event.verified
                             else _("Stage proposed; an editor will verify it."))
            return redirect("legislation:bill_manage", bill.pk)
    return render(request, "legislation/stage_form.html", {"form": form, "bill": bill},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def bill_source_add(request, pk):
    bill = _bill_for(request, pk)
    form = BillSourceForm(request.POST)
    done, _source = submit_form(form, lambda data: services.bill_source_add(bill=bill, actor=request.user, **data))
    if done:
        messages.success(request, _("Source added."))
    else:
        form_errors_to_messages(request, form)
    return redirect("legislation:bill_manage", bill.pk)


@login_required
@require_POST
def stage_event_decide(request, event_pk, decision):
    event = get_object_or_404(StageEvent.objects.select_related("bill"), pk=event_pk)
    if not is_editor(request.user):
        raise Http404
    if decision == "verify":
        if submit_action(request, lambda: services.stage_event_verify(event=event, actor=request.user))[0]:
            messages.success(request, _("Stage verified."))
    elif decision == "delete":
        if submit_action(request, lambda: services.stage_event_delete(event=event, actor=request.user))[0]:
            messages.success(request, _("Stage removed."))
    else:
        raise Http404
    return redirect("legislation:bill_manage", event.bill_id)
