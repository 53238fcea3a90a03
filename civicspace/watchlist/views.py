"""Editors compose Watchlist editions: candidates ranked by the signals, countries, rationales, press release."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import is_editor
from civicspace.core.errors import (ConcurrentEditError, conflict_form, form_errors_to_messages, submit_action,
                                    submit_form)
from civicspace.countries.models import Country

from . import selectors, services
from .forms import EditionForm, PressReleaseForm, RationaleForm
from .models import WatchlistEdition, WatchlistEntry


def _editor_only(request):
    if not is_editor(request.user):
        raise Http404


def _language(value):
    """One of the site's languages (a made-up ?lang= once made the compose page fail with a server error)."""
    return value if value in dict(settings.LANGUAGES) else "en"


@login_required
def edition_list(request):
    _editor_only(request)
    form = EditionForm(request.POST or None)
    if request.method == "POST":
        done, edition = submit_form(form, lambda data: services.edition_create(
            actor=request.user, target_date=data["target_date"], hrc_session=data["hrc_session"]))
        if done:
            return redirect("watchlist:compose", edition.slug)
    return render(request, "watchlist/edition_list.html", {
        "form": form, "editions": WatchlistEdition.objects.select_related("hrc_session")[:50]},
        status=400 if request.method == "POST" else 200)


@login_required
def compose(request, slug):
    _editor_only(request)
    edition = selectors.edition_get(slug, published_only=False)
    on_edition = {e.country_id for e in edition.entries.all()}
    ranked = selectors.candidates(as_of=edition.target_date, limit=15)
    lang = _language(request.GET.get("lang"))
    return render(request, "watchlist/compose.html", {
        "edition": edition,
        "candidates": [(country, c, country.pk in on_edition) for country, c in ranked],
        "countries": Country.objects.exclude(pk__in=on_edition),
        "rationale_forms": [(e, RationaleForm(initial={"lang": lang, "text": getattr(e, f"rationale_{lang}"),
                                                       "status": e.translation_status.get(lang, "reviewed"),
                                                       "version": e.version},
                                              prefix=f"entry{e.pk}"))
                            for e in edition.entries.all()],
        "press_form": PressReleaseForm(initial={"lang": lang, "version": edition.version,
                                                **{f: getattr(edition, f"{f}_{lang}") for f in services.PRESS_FIELDS}}),
        "lang": lang,
    })


@login_required
@require_POST
def entry_add(request, slug):
    _editor_only(request)
    edition = get_object_or_404(WatchlistEdition, slug=slug)
    country = Country.objects.filter(code=request.POST.get("country", "").upper()).first()
    if country is None:
        messages.error(request, _("Country: choose a country."))
    else:
        submit_action(request, lambda: services.entry_add(edition=edition, actor=request.user, country=country))
    return redirect("watchlist:compose", slug)


@login_required
@require_POST
def entry_update(request, slug, entry_pk, action):
    _editor_only(request)
    entry = get_object_or_404(WatchlistEntry.objects.select_related("edition", "country"), pk=entry_pk,
                              edition__slug=slug)
    if action == "remove":
        submit_action(request, lambda: services.entry_remove(entry=entry, actor=request.user))
    elif action == "rationale":
        form = RationaleForm(request.POST, prefix=f"entry{entry.pk}")
        try:
            done, _entry = submit_form(form, lambda data: services.entry_rationale_save(
                entry=entry, actor=request.user, lang=data["lang"], text=data["text"], status=data["status"],
                expected_version=data["version"]))
        except ConcurrentEditError as error:
            lang = form.cleaned_data["lang"]
            return _conflict(request, entry.edition, conflict_form(
                RationaleForm, request, error.current.version, prefix=f"entry{entry.pk}"),
                action=reverse("watchlist:entry_update", args=[slug, entry.pk, "rationale"]),
                title=_("Someone else saved the rationale for %(country)s while you were editing it. Your changes "
                        "were not saved.") % {"country": entry.country.name},
                rows=[{"label": _("Rationale"), "value": getattr(error.current, f"rationale_{lang}"), "lang": lang,
                       "long": True},
                      {"label": _("Translation status"), "value": error.current.translation_status.get(lang, "—")}])
        if done:
            messages.success(request, _("Rationale saved."))
        else:
            form_errors_to_messages(request, form, prefix=entry.country.name)
    else:
        raise Http404
    return redirect("watchlist:compose", slug)


@login_required
@require_POST
def press_release_save(request, slug):
    _editor_only(request)
    edition = get_object_or_404(WatchlistEdition, slug=slug)
    form = PressReleaseForm(request.POST)
    try:
        done, _edition = submit_form(form, lambda data: services.press_release_save(
            edition=edition, actor=request.user, lang=data["lang"], expected_version=data["version"],
            **{f: data[f] for f in services.PRESS_FIELDS}))
    except ConcurrentEditError as error:
        lang = form.cleaned_data["lang"]
        return _conflict(request, edition, conflict_form(PressReleaseForm, request, error.current.version),
                         action=reverse("watchlist:press_release_save", args=[slug]),
                         title=_("Someone else saved the press release while you were editing it. Your changes "
                                 "were not saved."),
                         rows=[{"label": form.fields[f].label, "value": getattr(error.current, f"{f}_{lang}"),
                                "lang": lang, "long": f != "pr_title"} for f in services.PRESS_FIELDS])
    if done:
        messages.success(request, _("Press release saved."))
    else:
        form_errors_to_messages(request, form)
    return redirect(reverse("watchlist:compose", args=[slug]) + f"?lang={_language(request.POST.get('lang'))}")


def _conflict(request, edition, form, *, action, title, rows):
    """A stale save of a rationale or the press release: the stored version beside the editor's kept input."""
    return render(request, "watchlist/conflict.html", {
        "edition": edition, "form": form, "action": action, "conflict_title": title, "conflict_rows": rows},
        status=409)


@login_required
@require_POST
def publish(request, slug):
    _editor_only(request)
    edition = get_object_or_404(WatchlistEdition, slug=slug)
    done, _edition = submit_action(request, lambda: services.edition_publish(edition=edition, actor=request.user))
    if not done:
        return redirect("watchlist:compose", slug)
    messages.success(request, _("The edition is published."))
    return redirect(edition.get_absolute_url())
