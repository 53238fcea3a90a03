"""Partners' and editors' screens for cases. Thin: authorise, validate the form, call a service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civicspace.accounts.roles import assigned_country_ids, is_editor, is_partner
from civicspace.core.errors import errors_to_messages, submit_form
from civicspace.countries.models import Country

from . import services
from .forms import CaseForm, ChargeForm, EventForm, NameForm, SourceForm, WithdrawForm
from .models import Case, CaseEvent, Charge


def _allowed_countries(user):
    if is_editor(user):
        return Country.objects.all()
    return Country.objects.filter(pk__in=assigned_country_ids(user))


def _case_for(request, pk):
    """A case the user may work on; 404 otherwise (a case's existence can itself be sensitive)."""
    case = get_object_or_404(Case.objects.select_related("country", "victim_type"), pk=pk)
    if not services.can_propose_in(request.user, case.country_id):
        raise Http404
    return case


@login_required
def case_workspace(request):
    if not (is_editor(request.user) or is_partner(request.user)):
        raise Http404
    cases = Case.objects.select_related("country", "victim_type").filter(
        country__in=_allowed_countries(request.user)).order_by("country__code", "-pk")
    pending = {}
    if is_editor(request.user):
        pending = {"events": CaseEvent.objects.filter(verified=False).count(),
                   "charges": Charge.objects.filter(verified=False).count()}
    return render(request, "cases/workspace.html", {"cases": cases, "pending": pending,
                                                    "is_editor": is_editor(request.user)})


@login_required
def case_new(request):
    if not (is_editor(request.user) or is_partner(request.user)):
        raise Http404
    form = CaseForm(request.POST or None, countries=_allowed_countries(request.user))
    if request.method == "POST":
        ok, case = submit_form(form, lambda data: services.case_create(actor=request.user, **data))
        if ok:
            messages.success(request, _("Case saved. Add its sources and events."))
            return redirect("cases:case_manage", case.pk)
    return render(request, "cases/case_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


ACTIONS = ("source", "charge", "event", "verify_event", "verify_charge", "delete_event", "publish", "name",
           "withdraw")


@login_required
def case_manage(request, pk):
    case = _case_for(request, pk)
    editor = is_editor(request.user)
    forms = {"source": SourceForm(), "charge": ChargeForm(case=case), "event": EventForm(case=case),
             "name": NameForm(initial={"version": case.version}),
             "withdraw": WithdrawForm(initial={"version": case.version})}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS or (action in ("verify_event", "verify_charge", "delete_event", "publish", "name",
                                                "withdraw") and not editor):
            raise Http404
        done = _act(request, case, action, forms)
        if done:
            return redirect("cases:case_manage", case.pk)
        status = 400
    return render(request, "cases/case_manage.html", {
        "case": case, "forms": forms, "is_editor": editor,
        "events": case.events.select_related("source").order_by("date", "pk"),
        "charges": case.charges.select_related("bill"), "sources": case.sources.all(),
    }, status=status)


def _act(request, case, action, forms):
    user, post = request.user, request.POST
    try:
        if action == "source":
            forms["source"] = form = SourceForm(post)
            ok, _r = submit_form(form, lambda d: services.case_source_add(case=case, actor=user, **d))
        elif action == "charge":
            forms["charge"] = form = ChargeForm(post, case=case)
            ok, _r = submit_form(form, lambda d: services.charge_add(case=case, actor=user, **d))
        elif action == "event":
            forms["event"] = form = EventForm(post, case=case)
            ok, _r = submit_form(form, lambda d: services.case_event_add(
                case=case, actor=user, kind=d["kind"], date=d["date"][0], date_precision=d["date"][1],
                sentence=d["sentence"], sentence_days=d["sentence_days"], sentence_text=d["sentence_text"],
                outcome=d["outcome"], note=d["note"], source=d["source"]))
        elif action == "name":
            forms["name"] = form = NameForm(post)
            ok, _r = submit_form(form, lambda d: services.case_name_publish(
                case=case, actor=user, reason=d["reason"], note=d["note"], expected_version=d["version"]))
        elif action == "withdraw":
            forms["withdraw"] = form = WithdrawForm(post)
            ok, _r = submit_form(form, lambda d: services.case_withdraw(
                case=case, actor=user, reason=d["reason"], expected_version=d["version"]))
        elif action == "publish":
            services.case_publish(case=case, actor=user, expected_version=post.get("version"))
            ok = True
        elif action in ("verify_event", "delete_event"):
            event = get_object_or_404(CaseEvent, pk=post.get("event"), case=case)
            service = services.case_event_verify if action == "verify_event" else services.case_event_delete
            service(event=event, actor=user)
            ok = True
        else:  # verify_charge
            charge = get_object_or_404(Charge, pk=post.get("charge"), case=case)
            services.charge_verify(charge=charge, actor=user)
            ok = True
    except ValidationError as error:
        errors_to_messages(request, error)
        return False
    if ok:
        messages.success(request, _("Saved."))
    return ok
