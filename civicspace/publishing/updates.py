"""Public pages of published updates: the filterable list and one update with its incidents."""
from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from civicspace.core.text import render_markdown
from civicspace.countries.models import Country, Region
from civicspace.monitoring import selectors
from civicspace.monitoring.forms import TermChoiceField
from civicspace.monitoring.models import Term, Vocabulary


class CountryChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        return super().to_python(value.upper() if value else value)


class UpdateFilterForm(forms.Form):
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.all(), to_field_name="code",
                                 required=False, empty_label=_("All countries"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), to_field_name="code",
                                    required=False, empty_label=_("All regions"))
    freedom = TermChoiceField(label=_("Freedom"), queryset=Term.objects.filter(vocabulary=Vocabulary.FREEDOM),
                              to_field_name="code", required=False, empty_label=_("All freedoms"))
    violation = TermChoiceField(label=_("Violation type"), to_field_name="code", required=False,
                                queryset=Term.objects.filter(vocabulary__in=[Vocabulary.VIOLATION, Vocabulary.POSITIVE]),
                                empty_label=_("All types"))
    victim = TermChoiceField(label=_("Victim type"), queryset=Term.objects.filter(vocabulary=Vocabulary.VICTIM),
                             to_field_name="code", required=False, empty_label=_("All victim types"))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


localised_text = selectors.update_text  # the public text of an update (monitoring's public selector)


@require_safe
def update_list(request):
    form = UpdateFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = Paginator(selectors.public_updates(**filters), 20).get_page(request.GET.get("page"))
    items = [{"update": u, "title": localised_text(u, "title"), "summary": localised_text(u, "summary")}
             for u in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "publishing/update_list.html", {
        "form": form, "page": page, "items": items, "query": query.urlencode(),
    })


@require_safe
def update_detail(request, pk):
    update = selectors.update_public_get(pk)
    title, title_lang = localised_text(update, "title")
    summary, _lang = localised_text(update, "summary")
    body, body_lang = localised_text(update, "body")
    # Incidents follow the update: translated text once the update's translation is reviewed.
    lang = title_lang
    incidents = []
    for i in update.incidents.all():
        place, place_lang = selectors.incident_place(i, shown=lang, original=update.original_language)
        incidents.append({"incident": i, **{field: selectors.incident_text(i, field, shown=lang,
                                                                           original=update.original_language)
                                            for field in ("description", "outcome")},
                          # the language the description is shown in (its lang attribute)
                          "lang": lang if getattr(i, f"description_{lang}", "") else update.original_language,
                          "place": place, "place_lang": place_lang})
    return render(request, "publishing/update_detail.html", {
        "update": update, "title": title, "title_lang": title_lang, "summary": summary,
        "body_html": render_markdown(body) if update.is_published else "", "body_lang": body_lang,
        "incidents": incidents, "shown_in_original": title_lang != lang,
    })
