from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicspace.countries.models import Country, Region
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Term

from .models import Subscriber


class _Choices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name if hasattr(obj, "name") else str(obj)


class TopicsForm(forms.Form):
    countries = _Choices(label=_("Countries"), queryset=Country.objects.none(), required=False,
                         help_text=_("Updates and cases about these countries."))
    regions = _Choices(label=_("Regions"), queryset=Region.objects.none(), required=False,
                       widget=forms.CheckboxSelectMultiple)
    freedoms = _Choices(label=_("Freedoms"), queryset=Term.objects.none(), required=False,
                        widget=forms.CheckboxSelectMultiple,
                        help_text=_("With countries or regions chosen: only updates that concern these themes."))
    violations = _Choices(label=_("Violation types"), queryset=Term.objects.none(), required=False)
    law_countries = _Choices(label=_("Every law of these countries"), queryset=Country.objects.none(),
                             required=False)
    bills = _Choices(label=_("Single laws"), queryset=Bill.objects.none(), required=False)
    rating_changes = forms.BooleanField(label=_("Rating changes"), required=False)
    watchlist = forms.BooleanField(label=_("Watchlist editions"), required=False)
    findings = forms.BooleanField(label=_("Global findings of each rating edition"), required=False)
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES,
                                 widget=forms.RadioSelect)
    frequency = forms.ChoiceField(label=_("How often"), choices=Subscriber.Frequency.choices,
                                  widget=forms.RadioSelect, initial=Subscriber.Frequency.INSTANT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = Country.objects.select_related("region").order_by("name")
        self.fields["countries"].queryset = countries
        self.fields["law_countries"].queryset = countries
        self.fields["regions"].queryset = Region.objects.order_by("position", "code")
        self.fields["freedoms"].queryset = Term.objects.filter(vocabulary="freedom", is_active=True)
        self.fields["violations"].queryset = Term.objects.filter(vocabulary="violation", is_active=True)
        self.fields["bills"].queryset = Bill.objects.select_related("country").order_by("country__name",
                                                                                        "short_title")
        for name in ("countries", "law_countries", "violations", "bills"):
            self.fields[name].widget.attrs["size"] = 8

    def topics(self):
        data = self.cleaned_data
        return {"countries": data["countries"], "regions": data["regions"],
                "terms": list(data["freedoms"]) + list(data["violations"]), "bills": data["bills"],
                "law_countries": data["law_countries"], "rating_changes": data["rating_changes"],
                "watchlist": data["watchlist"], "findings": data["findings"]}

    @staticmethod
    def initial_from(subscriber):
        terms = list(subscriber.terms.all())
        return {"countries": list(subscriber.countries.all()), "regions": list(subscriber.regions.all()),
                "freedoms": [t for t in terms if t.vocabulary == "freedom"],
                "violations": [t for t in terms if t.vocabulary == "violation"],
                "bills": list(subscriber.bills.all()), "law_countries": list(subscriber.law_countries.all()),
                "rating_changes": subscriber.rating_changes, "watchlist": subscriber.watchlist,
                "findings": subscriber.findings, "language": subscriber.language,
                "frequency": subscriber.frequency}


class SubscribeForm(TopicsForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field_order = ["email"]


EVENT_TYPES = [
    ("update.published", _("An update is published")),
    ("update.retracted", _("A published update is retracted")),
    ("law.stage_verified", _("A law reaches a new stage")),
    ("rating.edition_published", _("A rating edition is published")),
    ("watchlist.edition_published", _("A Watchlist edition is published")),
    ("findings.published", _("Global findings are published")),
    ("case.published", _("A case is published")),
    ("case.event_verified", _("A new event of a case")),
]


class WebhookEventsForm(forms.Form):
    event_types = forms.MultipleChoiceField(
        label=_("Event types"), choices=EVENT_TYPES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every event type, including types added later."))


class WebhookRequestForm(WebhookEventsForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             help_text=_("The confirmation link, the link to manage the endpoint and a notice if "
                                         "it is disabled come to this address."))
    url = forms.URLField(label=_("Endpoint URL (HTTPS)"), max_length=500, assume_scheme="https",
                         help_text=_("A public https:// address that accepts POST requests."))
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False,
                           help_text=_("For you, e.g. the system that receives the events."))
    field_order = ["email", "url", "name", "event_types"]


class WebhookManageForm(WebhookEventsForm):
    reactivate = forms.BooleanField(label=_("Reactivate the endpoint"), required=False)
