"""Editors compose Watchlist editions: candidates ranked by the signals, countries, rationales, press release."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import is_editor
from civicspace.core.errors import errors_to_form, errors_to_messages
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
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(actor=request.user, target_date=form.cleaned_data["target_date"],
                                              hrc_session=form.cleaned_data["hrc_session"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            return redirect("watchlist:compose", edition.slug)
    return render(request, "watchlist/edition_list.html", {
        "form": form, "editions": WatchlistEdition.objects.select_related("hrc_session")[:50]})


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
                                                       "status": e.translation_status.get(lang, "reviewed")},
                                              prefix=f"entry{e.pk}"))
                            for e in edition.entries.all()],
        "press_form": PressReleaseForm(initial={"lang": lang, **{f: getattr(edition, f"{f}_{lang}")
                                                                for f in services.PRESS_FIELDS}}),
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
        try:
            services.entry_add(edition=edition, actor=request.user, country=country)
        except ValidationError as error:
            errors_to_messages(request, error)
    return redirect("watchlist:compose", slug)


@login_required
@require_POST
def entry_update(request, slug, entry_pk, action):
    _editor_only(request)
    entry = get_object_or_404(WatchlistEntry.objects.select_related("edition", "country"), pk=entry_pk,
                              edition__slug=slug)
    try:
        if action == "remove":
            services.entry_remove(entry=entry, actor=request.user)
        elif action == "rationale":
            form = RationaleForm(request.POST, prefix=f"entry{entry.pk}")
            if not form.is_valid():
                for field, errors in form.errors.items():
                    messages.error(request, f"{entry.country.name} — {form.fields[field].label}: {' '.join(errors)}")
                return redirect("watchlist:compose", slug)
            services.entry_rationale_save(entry=entry, actor=request.user, lang=form.cleaned_data["lang"],
                                          text=form.cleaned_data["text"], status=form.cleaned_data["status"])
            messages.success(request, _("Rationale saved."))
        else:
            raise Http404
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect("watchlist:compose", slug)


@login_required
@require_POST
def press_release_save(request, slug):
    _editor_only(request)
    edition = get_object_or_404(WatchlistEdition, slug=slug)
    form = PressReleaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.press_release_save(edition=edition, actor=request.user, lang=data["lang"],
                                        **{f: data[f] for f in services.PRESS_FIELDS})
            messages.success(request, _("Press release saved."))
        except ValidationError as error:
            errors_to_messages(request, error)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect(reverse("watchlist:compose", args=[slug]) + f"?lang={_language(request.POST.get('lang'))}")


@login_required
@require_POST
def publish(request, slug):
    _editor_only(request)
    edition = get_object_or_404(WatchlistEdition, slug=slug)
    try:
        services.edition_publish(edition=edition, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("watchlist:compose", slug)
    messages.success(request, _("The edition is published."))
    return redirect(edition.get_absolute_url())
