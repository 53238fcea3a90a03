"""Partner workspace and editor review screens. Thin: authorise, validate a form, call a service, render."""
import functools
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import assigned_country_ids, is_editor
from civicspace.core.errors import conflict_form, errors_to_form, errors_to_messages
from civicspace.countries.models import Country

from . import permissions, selectors, services
from .markdown import render_markdown

# Actions that change what the public sees: a confirmation page with a preview comes first.
CONFIRMED_TRANSITIONS = ("publish", "retract")
from .forms import (
    CommentForm,
    DeleteForm,
    IncidentForm,
    SourceForm,
    TransitionForm,
    TranslationForm,
    TrendCallForm,
    UpdateForm,
    VictimForm,
)
from .models import Incident, Source, Status, TranslationStatus, Update


def _creatable_countries(user):
    if is_editor(user):
        return Country.objects.all()
    return Country.objects.filter(pk__in=assigned_country_ids(user))


def _visible_update(request, pk):
    """The update for the workspace; 404 (not 403) when the user may not know it exists."""
    update = selectors.update_for_workspace(pk)
    if not permissions.can_view(request.user, update):
        raise Http404
    return update


class NotEditable(PermissionDenied):
    """The person may see the update, but its state does not let them change it now."""

    def __init__(self, update):
        self.update = update
        super().__init__()


def _editable_update(request, pk):
    update = _visible_update(request, pk)
    if not permissions.can_edit(request.user, update):
        raise NotEditable(update)
    return update


def state_aware(view):
    """A refused edit says why in terms of the update's state, not "your account may not do this"."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotEditable as refused:
            return render(request, "monitoring/not_editable.html", {
                "update": refused.update, "is_editor": is_editor(request.user)}, status=403)
    return wrapper


def _original(update):
    """The text in the language it was written in, named: staff always see it, whatever their interface
    language (the modeltranslation attributes follow the interface language and are empty without a
    translation)."""
    lang = update.original_language
    return {"lang": lang, "name": dict(settings.LANGUAGES).get(lang, lang),
            "dir": "rtl" if lang in settings.LANGUAGES_BIDI else "ltr",
            **{f: getattr(update, f"{f}_{lang}") for f in services.TEXT_FIELDS},
            "body_html": render_markdown(getattr(update, f"body_{lang}"))}


@login_required
def workspace(request):
    updates = list(selectors.workspace_updates(request.user)[:200])
    groups = [(status, label, [u for u in updates if u.status == status]) for status, label in Status.choices]
    return render(request, "monitoring/workspace.html", {
        "groups": [g for g in groups if g[2]],
        "can_create": _creatable_countries(request.user).exists(),
        "is_editor": is_editor(request.user),
    })


@login_required
def review_queue(request):
    if not is_editor(request.user):
        raise Http404
    country = None
    choices = selectors.review_queue_countries(request.user)
    if request.GET.get("country"):
        country = next((c for c in choices if c.code == request.GET["country"].upper()), None)
    queue = list(selectors.review_queue(country=country, user=request.user))
    columns = [(s, label, [u for u in queue if u.status == s]) for s, label in Status.choices
               if s in (Status.SUBMITTED, Status.IN_REVIEW, Status.VERIFIED, Status.CHANGES_REQUESTED)]
    return render(request, "monitoring/review_queue.html", {"columns": columns, "country": country,
                                                            "countries": choices, "now": timezone.now()})


@login_required
def update_new(request):
    countries = _creatable_countries(request.user)
    if not countries.exists():
        raise PermissionDenied
    form = UpdateForm(request.POST or None, countries=countries,
                      initial={"original_language": request.LANGUAGE_CODE, "submission_key": uuid.uuid4().hex})
    if request.method == "POST" and "preview" in request.POST:
        form.is_valid()
        return render(request, "monitoring/update_form.html", {
            "form": form, "update": None, "preview": render_markdown(request.POST.get("body", "")),
            "preview_lang": request.POST.get("original_language", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = services.update_create(actor=request.user, country=data["country"], date=data["date"],
                                        original_language=data["original_language"], title=data["title"],
                                        summary=data["summary"], body=data["body"], freedoms=data["freedoms"],
                                        submission_key=data["submission_key"] or "")
        messages.success(request, _("Draft saved. Add incidents and sources, then submit it for review."))
        return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/update_form.html", {"form": form, "update": None})


@login_required
def update_workspace(request, pk):
    update = _visible_update(request, pk)
    for incident in update.incidents.all():  # the prefetched instances the page shows
        incident.original_description = getattr(incident, f"description_{update.original_language}")
    comments = list(update.comments.all())
    latest_request = next((c for c in reversed(comments) if c.transition == "request_changes"), None)
    transitions = permissions.available_transitions(request.user, update)
    return render(request, "monitoring/update_workspace.html", {
        "update": update,
        "original": _original(update),
        "latest_request": latest_request,
        "checklist": selectors.update_checklist(update) if "submit" in transitions or "verify" in transitions
        else None,
        "can_edit": permissions.can_edit(request.user, update),
        "transitions": transitions,
        "confirmed_transitions": CONFIRMED_TRANSITIONS,
        "transition_form": TransitionForm(initial={"version": update.version}),
        "comment_form": CommentForm(),
        "can_comment": permissions.can_comment(request.user, update),
        "languages": [(code, name, update.language_status(code)) for code, name in settings.LANGUAGES],
    })


@login_required
@state_aware
def update_edit(request, pk):
    update = _editable_update(request, pk)
    lang = update.original_language
    initial = {"country": update.country, "date": update.date, "freedoms": list(update.freedoms.all()),
               "version": update.version,
               **{f: getattr(update, f"{f}_{lang}") for f in services.TEXT_FIELDS}}
    form = UpdateForm(request.POST or None, countries=_creatable_countries(request.user), editing=True,
                      initial=initial)
    conflict = None
    if request.method == "POST" and "preview" in request.POST:
        # Shown, not saved: the text rendered exactly as the public page will render it.
        form.is_valid()
        return render(request, "monitoring/update_form.html", {
            "form": form, "update": update, "preview": render_markdown(request.POST.get("body", "")),
            "preview_lang": lang})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_edit(update=update, actor=request.user, expected_version=data["version"],
                                 country=data["country"], date=data["date"], title=data["title"],
                                 summary=data["summary"], body=data["body"], freedoms=data["freedoms"])
        except services.ConcurrentEditError as error:
            # Nothing is lost: the other person's version is saved, this person's input is still in the form.
            conflict = error.current
            form = UpdateForm(request.POST.copy(), countries=_creatable_countries(request.user), editing=True)
            form.data["version"] = conflict.version
            form.is_valid()
        else:
            messages.success(request, _("Changes saved."))
            return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/update_form.html", {"form": form, "update": update, "conflict": conflict},
                  status=409 if conflict else 200)


@login_required
@state_aware
def update_translate(request, pk, lang):
    update = _editable_update(request, pk)
    if lang not in dict(settings.LANGUAGES) or lang == update.original_language:
        raise Http404
    incidents = list(update.incidents.all())
    initial = {f: getattr(update, f"{f}_{lang}") for f in services.TEXT_FIELDS}
    initial.update(status=update.language_status(lang), version=update.version)
    for incident in incidents:
        initial[f"incident_{incident.pk}_description"] = getattr(incident, f"description_{lang}")
        initial[f"incident_{incident.pk}_outcome"] = getattr(incident, f"outcome_{lang}")
        initial[f"incident_{incident.pk}_place"] = getattr(incident, f"place_{lang}") or ""
    form = TranslationForm(request.POST or None, initial=initial, incidents=incidents,
                           original_language=update.original_language)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_translate(update=update, actor=request.user, expected_version=data["version"],
                                      lang=lang, title=data["title"], summary=data["summary"], body=data["body"],
                                      status=data["status"], incidents=form.incident_texts())
        except services.ConcurrentEditError as error:
            conflict = error.current
            form = TranslationForm(request.POST.copy(), incidents=incidents,
                                   original_language=update.original_language)
            form.data["version"] = conflict.version
            form.is_valid()
        else:
            if data["status"] == TranslationStatus.MISSING and any(data[f] for f in services.TEXT_FIELDS):
                messages.warning(request, _("Translation saved, but its status is still “Missing”: readers do not "
                                            "see it. Set the status to draft or reviewed when it is ready."))
            else:
                messages.success(request, _("Translation saved."))
            return redirect("monitoring:update_workspace", update.pk)
    original = {f: getattr(update, f"{f}_{update.original_language}") for f in services.TEXT_FIELDS}
    original["incidents"] = [getattr(i, f"description_{update.original_language}") for i in incidents]
    return render(request, "monitoring/translation_form.html", {
        "form": form, "update": update, "lang": lang, "original": original, "conflict": conflict,
    }, status=409 if conflict else 200)


def _incident_victims(formset):
    return [
        {"type": f.cleaned_data["type"], "count": f.cleaned_data.get("count"),
         "names": f.cleaned_data.get("names", ""), "names_sensitive": f.cleaned_data.get("names_sensitive", True)}
        for f in formset.forms if f.cleaned_data.get("type")
    ]


def _incident_initial(incident, lang):
    date_text = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[incident.date_precision]
    return {"date": incident.date.strftime(date_text), "place": getattr(incident, f"place_{lang}") or "",
            "place_precision": incident.place_precision,
            "description": getattr(incident, f"description_{lang}"),
            "outcome": getattr(incident, f"outcome_{lang}"),
            "freedoms": list(incident.freedoms.all()), "types": list(incident.types.all()),
            "perpetrators": list(incident.perpetrators.all()), "sources": list(incident.sources.all()),
            "version": incident.version}


@login_required
@state_aware
def incident_form(request, pk, incident_pk=None):
    update = _editable_update(request, pk)
    incident = get_object_or_404(Incident, pk=incident_pk, update=update) if incident_pk else None
    lang = update.original_language
    initial, victims_initial = {}, []
    if incident:
        initial = _incident_initial(incident, lang)
        victims_initial = [{"type": v.type, "count": v.count, "names": v.names, "names_sensitive": v.names_sensitive}
                           for v in incident.victims.all()]
    more_rows = request.method == "POST" and "more_victims" in request.POST
    form = IncidentForm(request.POST or None, update=update, initial=initial)
    formset_class = forms.formset_factory(VictimForm, extra=2 if not more_rows else 0, max_num=20)
    formset = formset_class(request.POST or None, initial=victims_initial, prefix="victims")
    if more_rows:
        # Three more blank victim groups, the person's input kept; nothing is saved yet.
        data = request.POST.copy()
        data["victims-TOTAL_FORMS"] = str(min(20, int(formset.total_form_count()) + 3))
        form = IncidentForm(data, update=update, initial=initial)
        formset = formset_class(data, initial=victims_initial, prefix="victims")
        return render(request, "monitoring/incident_form.html", {"form": form, "formset": formset,
                                                                 "update": update, "incident": incident,
                                                                 "unbound_errors": True})
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        (date, precision) = data["date"]
        try:
            services.incident_save(update=update, actor=request.user, incident=incident,
                                   expected_version=data.get("version") if incident else None, date=date,
                                   date_precision=precision, place=data["place"],
                                   place_precision=data["place_precision"], description=data["description"],
                                   outcome=data["outcome"], freedoms=data["freedoms"], types=data["types"],
                                   perpetrators=data["perpetrators"], sources=data["sources"],
                                   victims=_incident_victims(formset))
        except services.ConcurrentEditError as error:
            conflict = error.current
            form = conflict_form(IncidentForm, request, conflict.version, update=update)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Incident saved."))
            return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/incident_form.html", {
        "form": form, "formset": formset, "update": update, "incident": incident, "conflict": conflict,
        "lang": lang}, status=409 if conflict else 200)


def _confirm_delete(request, update, obj, *, delete, changed, deleted, context):
    """The one confirm-then-delete flow of an update's parts (incidents, sources): a GET shows what will go, a
    POST deletes through `delete(expected_version=...)`, a stale version says `changed` and deletes nothing."""
    form = DeleteForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            delete(expected_version=form.cleaned_data["version"])
        except services.ConcurrentEditError:
            messages.error(request, changed)
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, deleted)
        return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/confirm_delete.html", {"form": form, "update": update, "object": obj,
                                                              **context})


@login_required
@state_aware
def incident_delete(request, pk, incident_pk):
    update = _editable_update(request, pk)
    incident = get_object_or_404(Incident, pk=incident_pk, update=update)
    return _confirm_delete(
        request, update, incident,
        delete=lambda **kw: services.incident_delete(incident=incident, actor=request.user, **kw),
        changed=_("Someone changed this incident since you opened it; nothing was deleted. Check it and try again."),
        deleted=_("Incident deleted."),
        context={"what": _("this incident"),
                 "description": getattr(incident, f"description_{update.original_language}")})


@login_required
@state_aware
def source_form(request, pk, source_pk=None):
    update = _editable_update(request, pk)
    source = get_object_or_404(Source, pk=source_pk, update=update) if source_pk else None
    form = SourceForm(request.POST or None, instance=None,
                      initial={**({f: getattr(source, f) for f in services.SOURCE_FIELDS} if source else {}),
                               "version": source.version if source else None})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if source:
                services.source_edit(source=source, actor=request.user,
                                     expected_version=form.cleaned_data.get("version"), **data)
            else:
                services.source_create(update=update, actor=request.user, **data)
        except services.ConcurrentEditError as error:
            conflict = error.current
            form = conflict_form(SourceForm, request, conflict.version)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Source saved.") if source else _("Source added."))
            return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/source_form.html", {"form": form, "update": update, "source": source,
                                                           "conflict": conflict}, status=409 if conflict else 200)


@login_required
@state_aware
def source_delete(request, pk, source_pk):
    update = _editable_update(request, pk)
    source = get_object_or_404(Source, pk=source_pk, update=update)
    return _confirm_delete(
        request, update, source,
        delete=lambda **kw: services.source_delete(source=source, actor=request.user, **kw),
        changed=_("Someone changed this source since you opened it; nothing was deleted. Check it and try again."),
        deleted=_("Source deleted."),
        context={"what": _("this source"), "description": source.title, "cited_by": source.incidents.count()})


@login_required
@state_aware
def update_delete(request, pk):
    update = _editable_update(request, pk)
    form = DeleteForm(request.POST or None, initial={"version": update.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_delete(update=update, actor=request.user, expected_version=form.cleaned_data["version"])
        except services.ConcurrentEditError:
            messages.error(request, _("The update changed since you opened it; nothing was deleted. Check it and "
                                      "try again."))
        except ValidationError as error:
            errors_to_messages(request, error)
        else:
            messages.success(request, _("Draft deleted."))
            return redirect("monitoring:workspace")
        return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/confirm_delete.html", {
        "form": form, "update": update, "what": _("this draft, with its incidents and sources"), "object": update,
        "description": str(update)})


@login_required
@state_aware
def transition_confirm(request, pk, name):
    """Publish and retract change what the public sees: first a page that shows what will be public (the
    preview) and asks to confirm. The confirmation posts to update_transition."""
    update = _visible_update(request, pk)
    if name not in CONFIRMED_TRANSITIONS:
        raise Http404
    if not permissions.may_transition(request.user, update, name):
        raise NotEditable(update) if permissions.can_view(request.user, update) else Http404
    form = TransitionForm(initial={"reason_language": (get_language() or "en")[:2]})
    for code, _name in settings.LANGUAGES:
        form.fields[f"reason_{code}"].widget.attrs.update(lang=code, dir="auto")
    return render(request, "monitoring/transition_confirm.html", {
        "update": update, "name": name, "original": _original(update), "form": form,
        "incidents": selectors.incidents_as_published(update),
        "public_sources": [s for s in update.sources.all() if not s.confidential],
        "withheld_sources": [s for s in update.sources.all() if s.confidential],
    })


@login_required
@require_POST
def update_transition(request, pk, name):
    update = _visible_update(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        # Refused before anything is done: each problem named with its field.
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in problems:
                messages.error(request, f"{label}: {problem}" if label else problem)
        return redirect("monitoring:update_workspace", pk)
    try:
        retract = {"reason_language": form.cleaned_data["reason_language"] or None,
                   "reason_translations": form.reason_translations()} if name == "retract" else {}
        services.update_transition(update=update, actor=request.user, name=name, text=form.cleaned_data["text"],
                                   expected_version=form.cleaned_data["version"], **retract)
    except services.ConcurrentEditError:
        messages.error(request, _("The update changed since you opened it (someone else acted on it first); "
                                  "nothing was done. Check it and try again."))
    except ValidationError as error:
        errors_to_messages(request, error)
    else:
        messages.success(request, _("Done: the update is now %(status)s.")
                         % {"status": Update.objects.get(pk=pk).get_status_display()})
    return redirect("monitoring:update_workspace", pk)


@login_required
@require_POST
def comment_add(request, pk):
    update = _visible_update(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(update=update, actor=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Comment: %(error)s") % {"error": " ".join(form.errors.get("body", []))})
    return redirect("monitoring:update_workspace", pk)


@login_required
def update_history(request, pk):
    update = _visible_update(request, pk)
    records = list(update.history.select_related("history_user").order_by("-history_date")[:101])
    return render(request, "monitoring/update_history.html", {
        "update": update, "entries": selectors.history_entries(records[:100], older=records[1:])})


@login_required
def trend_calls(request):
    countries = _creatable_countries(request.user)
    if not countries.exists():
        raise Http404
    form = TrendCallForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.trend_call_record(actor=request.user, country=data["country"], period_end=data["period_end"],
                                   call=data["call"], note=data["note"])
        messages.success(request, _("Trend call saved."))
        return redirect("monitoring:trend_calls")
    calls = selectors.trend_calls_visible_to(request.user, countries)
    return render(request, "monitoring/trend_calls.html", {"form": form, "calls": calls})
