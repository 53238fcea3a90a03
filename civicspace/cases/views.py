"""Public pages of cases: the filterable list with headline counts, one case with its timeline, Atom feeds.
Everything shown comes from selectors (published cases, verified events and charges)."""
from datetime import datetime, time, timezone as dt_timezone

from django import forms
from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from civicspace.countries.models import Country
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Term
from civicspace.publishing.updates import CountryChoiceField

from . import presentation, selectors
from .models import KIND_LABELS, STATUS_CHOICES, SubjectType


class CaseFilterForm(forms.Form):
    country = CountryChoiceField(label=gettext_lazy("Country"), queryset=Country.objects.all(),
                                 to_field_name="code", required=False, empty_label=gettext_lazy("All countries"))
    status = forms.ChoiceField(label=gettext_lazy("Status today"), required=False,
                               choices=[("", gettext_lazy("All statuses")), *STATUS_CHOICES])
    subject_type = forms.ChoiceField(label=gettext_lazy("Subject"), required=False,
                                     choices=[("", gettext_lazy("People and organisations")),
                                              *SubjectType.choices])
    victim_type = forms.ModelChoiceField(label=gettext_lazy("Victim type"), required=False, to_field_name="code",
                                         queryset=Term.objects.filter(vocabulary="victim"),
                                         empty_label=gettext_lazy("All victim types"))
    charge = forms.CharField(label=gettext_lazy("Charge (article or offence)"), required=False, max_length=100)
    law = forms.ModelChoiceField(label=gettext_lazy("Tracked law"), required=False,
                                 queryset=Bill.objects.filter(charges__isnull=False).distinct(),
                                 empty_label=gettext_lazy("Any law"))


@require_safe
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    cases = selectors.public_cases(**filters)
    country = filters.get("country")
    return render(request, "cases/case_list.html", {
        "form": form, "cases": cases, "counts": selectors.headline_counts(cases), "country": country,
        "filtered": bool(filters),
    })


@require_safe
def case_detail(request, pk):
    case = selectors.case_public_get(pk)
    return render(request, "cases/case_detail.html", {
        "case": case, "title": presentation.title(case), "description": presentation.description(case),
        "events": case.public_events, "charges": case.public_charges, "sources": list(case.sources.all()),
        "updates": selectors.public_updates_of(case), "incidents": selectors.public_incidents_of(case),
    })


class CaseEventsFeed(Feed):
    """Verified events of published cases, newest first: everywhere, per country (/cases/feed/country/kgz/) or
    per case (/cases/<id>/feed/)."""

    feed_type = Atom1Feed

    def get_object(self, request, pk=None, country=None):
        country_obj = Country.objects.filter(code=(country or request.GET.get("country", "")).upper()).first()
        case = selectors.case_public_get(pk) if pk else None
        return {"country": country_obj, "case": case}

    def title(self, obj):
        if obj["case"]:
            return _("Case: %(title)s") % {"title": presentation.title(obj["case"])}
        if obj["country"]:
            return _("Cases in %(country)s") % {"country": obj["country"].name}
        return _("Cases: people and organisations followed through detention, trial and release")

    def link(self, obj):
        return obj["case"].get_absolute_url() if obj["case"] else reverse("cases:case_list")

    def description(self, obj):
        return _("Arrests, charges, verdicts, releases and closures of media and civil society organisations, as "
                 "verified by the monitor's editors.")

    def items(self, obj):
        return selectors.recent_events(country=obj["country"], case=obj["case"])

    def item_title(self, event):
        case = event.case
        case.shown_name = case.public_name()
        return f"{case.country.name}: {presentation.title(case)} — {KIND_LABELS[event.kind]}"

    def item_description(self, event):
        return " ".join(part for part in (event.sentence_text, event.note) if part) or str(KIND_LABELS[event.kind])

    def item_link(self, event):
        return f"{event.case.get_absolute_url()}#event-{event.pk}"

    def item_pubdate(self, event):
        return datetime.combine(event.date, time(), tzinfo=dt_timezone.utc)

    def item_updateddate(self, event):
        # The event's own date: when the record was entered (created_at) is confidential in the field registry.
        return self.item_pubdate(event)
