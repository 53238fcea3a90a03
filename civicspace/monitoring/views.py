"""Partner workspace and editor review screens. Thin: authorise, validate a form, call a service, render."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import assigned_country_ids, is_editor
from civicspace.core.errors import errors_to_messages
from civicspace.countries.models import Country

from . import permissions, selectors, services
from .forms import (
    CommentForm,
    IncidentForm,
    SourceForm,
    TransitionForm,
    TranslationForm,
    TrendCallForm,
    UpdateForm,
    VictimFormSet,
)
from .models import Incident, Status, Update


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


def _editable_update(request, pk):
    update = _visible_update(request, pk)
    if not permissions.can_edit(request.user, update):
        raise PermissionDenied
    return update


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
    if request.GET.get("country"):
        country = Country.objects.filter(code=request.GET["country"].upper()).first()
    queue = list(selectors.review_queue(country=country))
    columns = [(s, label, [u for u in queue if u.status == s]) for s, label in Status.choices
               if s in (Status.SUBMITTED, Status.IN_REVIEW, Status.VERIFIED, Status.CHANGES_REQUESTED)]
    return render(request, "monitoring/review_queue.html", {"columns": columns, "country": country,
                                                            "countries": Country.objects.all()})


@login_required
def update_new(request):
    countries = _creatable_countries(request.user)
    if not countries.exists():
        raise PermissionDenied
    form = UpdateForm(request.POST or None, countries=countries,
                      initial={"original_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update = services.update_create(actor=request.user, country=data["country"], date=data["date"],
                                        original_language=data["original_language"], title=data["title"],
                                        summary=data["summary"], body=data["body"], freedoms=data["freedoms"])
        messages.success(request, _("Draft saved. Add incidents and sources, then submit it for review."))
        return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/update_form.html", {"form": form, "update": None})


@login_required
def update_workspace(request, pk):
    update = _visible_update(request, pk)
    return render(request, "monitoring/update_workspace.html", {
        "update": update,
        "can_edit": permissions.can_edit(request.user, update),
        "transitions": permissions.available_transitions(request.user, update),
        "transition_form": TransitionForm(initial={"version": update.version}),
        "comment_form": CommentForm(),
        "can_comment": permissions.can_comment(request.user, update),
        "languages": [(code, name, update.language_status(code)) for code, name in settings.LANGUAGES],
    })


@login_required
def update_edit(request, pk):
    update = _editable_update(request, pk)
    lang = update.original_language
    initial = {"country": update.country, "date": update.date, "freedoms": list(update.freedoms.all()),
               "version": update.version,
               **{f: getattr(update, f"{f}_{lang}") for f in services.TEXT_FIELDS}}
    form = UpdateForm(request.POST or None, countries=_creatable_countries(request.user), editing=True,
                      initial=initial)
    conflict = None
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
    form = TranslationForm(request.POST or None, initial=initial, incidents=incidents)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_translate(update=update, actor=request.user, expected_version=data["version"],
                                      lang=lang, title=data["title"], summary=data["summary"], body=data["body"],
                                      status=data["status"], incidents=form.incident_texts())
        except services.ConcurrentEditError as error:
            conflict = error.current
            form = TranslationForm(request.POST.copy(), incidents=incidents)
            form.data["version"] = conflict.version
            form.is_valid()
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


@login_required
def incident_form(request, pk, incident_pk=None):
    update = _editable_update(request, pk)
    incident = get_object_or_404(Incident, pk=incident_pk, update=update) if incident_pk else None
    lang = update.original_language
    initial, victims_initial = {}, []
    if incident:
        date_text = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[incident.date_precision]
        initial = {"date": incident.date.strftime(date_text), "place": incident.place,
                   "place_precision": incident.place_precision,
                   "description": getattr(incident, f"description_{lang}"),
                   "outcome": getattr(incident, f"outcome_{lang}"),
                   "freedoms": list(incident.freedoms.all()), "types": list(incident.types.all()),
                   "perpetrators": list(incident.perpetrators.all()), "sources": list(incident.sources.all())}
        victims_initial = [{"type": v.type, "count": v.count, "names": v.names, "names_sensitive": v.names_sensitive}
                           for v in incident.victims.all()]
    form = IncidentForm(request.POST or None, update=update, initial=initial)
    formset = VictimFormSet(request.POST or None, initial=victims_initial, prefix="victims")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        (date, precision) = data["date"]
        services.incident_save(update=update, actor=request.user, incident=incident, date=date,
                               date_precision=precision, place=data["place"],
                               place_precision=data["place_precision"], description=data["description"],
                               outcome=data["outcome"], freedoms=data["freedoms"], types=data["types"],
                               perpetrators=data["perpetrators"], sources=data["sources"],
                               victims=_incident_victims(formset))
        messages.success(request, _("Incident saved."))
        return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/incident_form.html", {"form": form, "formset": formset, "update": update,
                                                             "incident": incident})


@login_required
def source_new(request, pk):
    update = _editable_update(request, pk)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.source_create(update=update, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Source added."))
        return redirect("monitoring:update_workspace", update.pk)
    return render(request, "monitoring/source_form.html", {"form": form, "update": update})


@login_required
@require_POST
def update_transition(request, pk, name):
    update = _visible_update(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.update_transition(update=update, actor=request.user, name=name,
                                   text=form.cleaned_data.get("text", ""),
                                   expected_version=form.cleaned_data.get("version"))
    except services.ConcurrentEditError:
        messages.error(request, _("The update changed since you opened it; nothing was done. Check it and try again."))
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
    records = update.history.select_related("history_user").order_by("-history_date")[:100]
    return render(request, "monitoring/update_history.html", {"update": update, "records": records})


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
