"""Editors' screens: the queue of confirmed requests with their age, and one request with the three decisions.
Thin: authorise (editors only; 404 for anyone else), validate a form, call a service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import is_editor
from civicspace.core.errors import form_errors_to_messages, submit_form

from . import selectors, services
from .forms import AcceptForm, DeclineForm, ReplyForm
from .models import State


def _editor_only(request):
    if not is_editor(request.user):
        raise Http404


@login_required
def queue(request):
    _editor_only(request)
    waiting, decided = selectors.editor_queue()
    return render(request, "corrections/queue.html", {"waiting": waiting, "decided": decided,
                                                      "now": timezone.now()})


def _forms(record, post=None, action=None):
    initial = {"version": record.version}
    return {
        "reply": ReplyForm(post if action == "reply" else None, source_language=record.language,
                           initial={**initial, "party": record.requester_organisation or record.requester_name,
                                    "reply_text": record.text}),
        "accept": AcceptForm(post if action == "accept" else None, initial=initial),
        "decline": DeclineForm(post if action == "decline" else None, initial=initial),
    }


def _page(request, record, forms, status=200):
    return render(request, "corrections/request_detail.html", {
        "record": record, "item": selectors.item_of(record), "forms": forms,
        "pending": record.state == State.PENDING, "now": timezone.now(),
    }, status=status)


@login_required
def request_detail(request, pk):
    _editor_only(request)
    record = selectors.request_for_editor(pk)
    return _page(request, record, _forms(record))


ACTIONS = {
    "reply": (lambda record, user, form: services.correction_reply_publish(
        request=record, actor=user, expected_version=form.cleaned_data["version"],
        party=form.cleaned_data["party"], text=form.cleaned_data["reply_text"], translations=form.translations()),
        "reply_text", gettext_lazy("The reply is published under the item.")),
    "accept": (lambda record, user, form: services.correction_accept(
        request=record, actor=user, expected_version=form.cleaned_data["version"], note=form.cleaned_data["note"]),
        "note", gettext_lazy("The correction note is published on the item.")),
    "decline": (lambda record, user, form: services.correction_decline(
        request=record, actor=user, expected_version=form.cleaned_data["version"],
        reason=form.cleaned_data["reason"]), "reason",
        gettext_lazy("Declined; the reason is e-mailed to the requester.")),
}


@login_required
@require_POST
def request_decide(request, pk, action):
    _editor_only(request)
    if action not in ACTIONS:
        raise Http404
    record = selectors.request_for_editor(pk)
    forms = _forms(record, request.POST, action)
    call, _field, done_message = ACTIONS[action]
    ok, _result = submit_form(forms[action], lambda data: call(record, request.user, forms[action]))
    if ok:
        messages.success(request, done_message)
        return redirect("corrections:request_detail", record.pk)
    record.refresh_from_db()
    if record.state != State.PENDING:  # decided meanwhile: the forms are gone, their errors become messages
        form_errors_to_messages(request, forms[action])
    return _page(request, record, forms, status=400)
