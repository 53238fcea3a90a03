"""Forms of the partner workspace and the editor review. Every error names its field."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicspace.core.dates import parse_partial_date

from .models import Incident, Source, Term, TranslationStatus, Vocabulary


def _terms(*vocabularies):
    return Term.objects.filter(vocabulary__in=vocabularies, is_active=True).order_by("vocabulary", "position")


class TermLabelMixin:
    def label_from_instance(self, obj):
        return obj.label


class TermMultipleChoiceField(TermLabelMixin, forms.ModelMultipleChoiceField):
    pass


class TermChoiceField(TermLabelMixin, forms.ModelChoiceField):
    pass


def _not_in_future(value):
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date is in the future."))
    return value


class UpdateForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    original_language = forms.ChoiceField(label=_("Language you are writing in"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=250)
    summary = forms.CharField(label=_("Summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text (Markdown)"), required=False, max_length=100000,
                           widget=forms.Textarea(attrs={"rows": 12}))
    freedoms = TermMultipleChoiceField(label=_("Freedoms affected"), queryset=None,
                                       widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # One-time key of a new-draft form (a double submit finds the first draft); a UUID made when the form is shown.
    submission_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, countries, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["freedoms"].queryset = _terms(Vocabulary.FREEDOM)
        if editing:
            del self.fields["original_language"]

    def clean_date(self):
        return _not_in_future(self.cleaned_data["date"])


class TranslationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=3000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text (Markdown)"), required=False, max_length=100000,
                           widget=forms.Textarea(attrs={"rows": 12}))
    status = forms.ChoiceField(label=_("Translation status"), choices=TranslationStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, incidents=(), original_language=None, **kwargs):
        super().__init__(*args, **kwargs)
        # One description, outcome and place field per incident, in the language being translated.
        self.incidents = list(incidents)
        for number, incident in enumerate(self.incidents, start=1):
            self.fields[f"incident_{incident.pk}_description"] = forms.CharField(
                label=_("Incident %(n)s: what happened") % {"n": number}, required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"incident_{incident.pk}_outcome"] = forms.CharField(
                label=_("Incident %(n)s: case outcome") % {"n": number}, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
            if incident.place_precision != Incident.PlacePrecision.COUNTRY:
                # A coarsened incident has no place to translate (none is kept in any language).
                self.fields[f"incident_{incident.pk}_place"] = forms.CharField(
                    label=_("Incident %(n)s: place") % {"n": number}, required=False, max_length=200,
                    help_text=_("In the original: %(place)s. The same city or region as readers of this "
                                "language write it; public once the update is published.")
                    % {"place": (getattr(incident, f"place_{original_language}", "") or "—")
                       if original_language else "—"})

    def incident_texts(self):
        """{incident pk: (description, outcome, place)}; place is None for an incident coarsened to the country."""
        return {i.pk: (self.cleaned_data[f"incident_{i.pk}_description"], self.cleaned_data[f"incident_{i.pk}_outcome"],
                       *([self.cleaned_data[f"incident_{i.pk}_place"].strip()]
                         if f"incident_{i.pk}_place" in self.fields else []))
                for i in self.incidents}

    def clean(self):
        data = super().clean()
        if data.get("status") != TranslationStatus.MISSING and not (data.get("title") and data.get("summary")):
            raise forms.ValidationError(_("A translation needs at least a title and a summary; "
                                          "otherwise set its status to missing."))
        return data


class SourceForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Source
        fields = ["title", "publisher", "date", "url", "language", "confidential", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"confidential": _("Confidential sources are seen by editors only and never published.")}

    def clean_date(self):
        value = self.cleaned_data["date"]
        return _not_in_future(value) if value else value


class PartialDateField(forms.CharField):
    """'2024-01-15', '2024-01' or '2024': returns (date, precision)."""

    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD, YYYY-MM or YYYY.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_partial_date(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class IncidentForm(forms.Form):
    date = PartialDateField(label=_("Date"), help_text=_("YYYY-MM-DD, or YYYY-MM / YYYY when the day is not known"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False,
                            help_text=_("Public once the update is published: on its page, in the API and in the "
                                        "data export, exactly as written here. Write only the city or region the "
                                        "precision allows; with \"country only\" no place is kept."))
    place_precision = forms.ChoiceField(label=_("Place precision"), choices=Incident.PlacePrecision.choices,
                                        help_text=_("Coarsen the place when an exact location could put "
                                                    "someone at risk."))
    description = forms.CharField(label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.CharField(label=_("Case outcome, if known"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    freedoms = TermMultipleChoiceField(label=_("Freedoms affected"), queryset=None,
                                       widget=forms.CheckboxSelectMultiple)
    types = TermMultipleChoiceField(label=_("Violation or positive development"), queryset=None,
                                    widget=forms.CheckboxSelectMultiple)
    perpetrators = TermMultipleChoiceField(label=_("Perpetrators"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    sources = forms.ModelMultipleChoiceField(label=_("Sources"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, update, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["freedoms"].queryset = _terms(Vocabulary.FREEDOM)
        self.fields["types"].queryset = _terms(Vocabulary.VIOLATION, Vocabulary.POSITIVE)
        self.fields["perpetrators"].queryset = _terms(Vocabulary.PERPETRATOR)
        self.fields["sources"].queryset = update.sources.all()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value:
            _not_in_future(value[0])
        return value

    def clean_place(self):
        return self.cleaned_data["place"].strip()

    def clean(self):
        data = super().clean()
        if data.get("place_precision") != Incident.PlacePrecision.COUNTRY and not data.get("place"):
            self.add_error("place", _("Name the place, or set the precision to country only."))
        if data.get("place_precision") == Incident.PlacePrecision.COUNTRY and data.get("place"):
            self.add_error("place", _("With \"country only\" no place is kept or published: leave the place "
                                      "empty, or choose city or region."))
        return data


class VictimForm(forms.Form):
    type = TermChoiceField(label=_("Victim type"), queryset=None, required=False)
    count = forms.IntegerField(label=_("Number"), min_value=1, max_value=1_000_000, required=False)
    names = forms.CharField(label=_("Names, one per line (optional)"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    names_sensitive = forms.BooleanField(label=_("Names are sensitive: never publish them"), required=False,
                                         initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = _terms(Vocabulary.VICTIM)

    def clean(self):
        data = super().clean()
        if (data.get("count") or data.get("names")) and not data.get("type"):
            self.add_error("type", _("Choose the victim type."))
        return data


VictimFormSet = forms.formset_factory(VictimForm, extra=2, max_num=20)


class TransitionForm(forms.Form):
    text = forms.CharField(label=_("Comment"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    # Required: a transition is always made from a page that showed one version of the update.
    version = forms.IntegerField(label=_("Version"), widget=forms.HiddenInput, min_value=1)
    # A retraction: the language the reason is written in, and (optional) its translations.
    reason_language = forms.ChoiceField(label=_("Language of the reason"), choices=settings.LANGUAGES,
                                        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"reason_{code}"] = forms.CharField(
                label=_("Reason in %(language)s (optional)") % {"language": name}, required=False,
                max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        original = data.get("reason_language")
        if original and data.get(f"reason_{original}"):
            self.add_error(f"reason_{original}", _("This is the language of the reason itself: give translations "
                                                   "in the other languages only."))
        if any(data.get(f"reason_{code}") for code, _name in settings.LANGUAGES) and not data.get("text"):
            self.add_error("text", _("Write the reason in its own language first; translations are optional."))
        return data

    def reason_translations(self):
        return {code: self.cleaned_data.get(f"reason_{code}", "") for code, _name in settings.LANGUAGES}

    def reason_fields(self):
        return [self[f"reason_{code}"] for code, _name in settings.LANGUAGES]


class DeleteForm(forms.Form):
    version = forms.IntegerField(label=_("Version"), widget=forms.HiddenInput, min_value=1)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class TrendCallForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    period_end = forms.DateField(label=_("End of the period"), widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("The call covers the months up to this date."))
    call = forms.ChoiceField(label=_("Compared with the period before, civic space is getting"),
                             choices=[("worse", _("Worse")), ("same", _("About the same")), ("better", _("Better"))],
                             widget=forms.RadioSelect)
    note = forms.CharField(label=_("Why (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries

    def clean_period_end(self):
        return _not_in_future(self.cleaned_data["period_end"])
