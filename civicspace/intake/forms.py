"""The two steps of "New update from a text": the text (pasted or a file), then the review of the suggestions.
Every error names its field."""
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicspace.monitoring.forms import TermChoiceField, TermMultipleChoiceField, _terms
from civicspace.monitoring.models import Incident, Vocabulary

from .files import MAX_BYTES, InputError, clean_text, text_from_upload

MAX_INCIDENTS = 12
MAX_VICTIMS = 3


class IntakeTextForm(forms.Form):
    text = forms.CharField(label=_("Text (paste a press release or news item)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12}), max_length=MAX_BYTES)
    file = forms.FileField(label=_("…or upload a file (.txt, .html, .pdf or .docx, at most 1 MB)"), required=False)
    source_url = forms.URLField(label=_("Source URL (optional)"), required=False, max_length=1000, assume_scheme="https")
    source_date = forms.DateField(label=_("Date of the source, if known (optional)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large

    def clean_source_date(self):
        value = self.cleaned_data["source_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value

    def clean(self):
        data = super().clean()
        if self.upload_too_large:
            self.add_error("file", _("The file is larger than 1 MB."))
            return data
        upload, pasted = data.get("file"), data.get("text") or ""
        if "text" in self.errors or "file" in self.errors:
            return data
        try:
            if upload:
                data["text"] = text_from_upload(upload, "file")
            elif pasted.strip():
                data["text"] = clean_text(pasted, "text")
            else:
                raise InputError("text", _("The text is empty: paste a text or upload a file."))
        except InputError as error:
            self.add_error(error.field, str(error))
        return data


class ReviewForm(forms.Form):
    """The partner's decisions on the suggestions. Initial values are the suggestions; every field may be edited;
    an incident is saved only when its "keep" box is ticked."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES)
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    date = forms.DateField(label=_("Date of the update"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    original_language = forms.ChoiceField(label=_("Language of the text"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=250)
    summary = forms.CharField(label=_("Summary"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text (Markdown)"), required=False, max_length=100000,
                           widget=forms.Textarea(attrs={"rows": 8}))
    freedoms = TermMultipleChoiceField(label=_("Freedoms affected"), queryset=None,
                                       widget=forms.CheckboxSelectMultiple)
    source_url = forms.URLField(label=_("Source URL"), required=False, max_length=1000, assume_scheme="https")
    source_title = forms.CharField(label=_("Source title"), max_length=300)
    source_publisher = forms.CharField(label=_("Source publisher"), max_length=200, required=False)
    source_date = forms.DateField(label=_("Source date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    incident_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_INCIDENTS)

    def __init__(self, *args, countries, incident_count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["freedoms"].queryset = _terms(Vocabulary.FREEDOM)
        types = _terms(Vocabulary.VIOLATION, Vocabulary.POSITIVE)
        freedoms = _terms(Vocabulary.FREEDOM)
        perpetrators = _terms(Vocabulary.PERPETRATOR)
        victims = _terms(Vocabulary.VICTIM)
        if self.is_bound:
            try:
                incident_count = int(self.data.get("incident_count", 0))
            except (TypeError, ValueError):
                incident_count = 0
        self.incident_count = max(0, min(incident_count, MAX_INCIDENTS))
        for i in range(self.incident_count):
            p = f"i{i}_"
            n = {"n": i + 1}
            self.fields[p + "keep"] = forms.BooleanField(label=_("Keep incident %(n)s") % n, required=False)
            self.fields[p + "date"] = forms.DateField(label=_("Incident %(n)s: date") % n, required=False,
                                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
            self.fields[p + "date_precision"] = forms.ChoiceField(label=_("Incident %(n)s: date precision") % n,
                                                                  choices=Incident.DatePrecision.choices)
            self.fields[p + "place"] = forms.CharField(label=_("Incident %(n)s: place") % n, required=False,
                                                       max_length=200)
            self.fields[p + "place_precision"] = forms.ChoiceField(
                label=_("Incident %(n)s: place precision") % n, choices=Incident.PlacePrecision.choices)
            self.fields[p + "description"] = forms.CharField(
                label=_("Incident %(n)s: what happened") % n, max_length=5000, required=False,
                widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[p + "types"] = TermMultipleChoiceField(
                label=_("Incident %(n)s: violation or positive types") % n, queryset=types, required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}))
            self.fields[p + "freedoms"] = TermMultipleChoiceField(
                label=_("Incident %(n)s: freedoms") % n, queryset=freedoms, required=False,
                widget=forms.CheckboxSelectMultiple)
            self.fields[p + "perpetrators"] = TermMultipleChoiceField(
                label=_("Incident %(n)s: perpetrators") % n, queryset=perpetrators, required=False,
                widget=forms.SelectMultiple(attrs={"size": 4}))
            for v in range(MAX_VICTIMS):
                q = f"{p}v{v}_"
                m = {"n": i + 1, "v": v + 1}
                self.fields[q + "type"] = TermChoiceField(label=_("Incident %(n)s, victims %(v)s: type") % m,
                                                          queryset=victims, required=False)
                self.fields[q + "count"] = forms.IntegerField(label=_("Incident %(n)s, victims %(v)s: number") % m,
                                                              required=False, min_value=1, max_value=1_000_000)
                self.fields[q + "names"] = forms.CharField(
                    label=_("Incident %(n)s, victims %(v)s: names, one per line") % m, required=False,
                    max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
                self.fields[q + "sensitive"] = forms.BooleanField(
                    label=_("Incident %(n)s, victims %(v)s: names are sensitive (never published)") % m,
                    required=False, initial=True)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value

    def incident_prefixes(self):
        return [f"i{i}_" for i in range(self.incident_count)]

    def clean(self):
        data = super().clean()
        for p in self.incident_prefixes():
            if not data.get(p + "keep"):
                continue
            if not data.get(p + "date"):
                self.add_error(p + "date", _("A kept incident needs a date (use the update's date with month "
                                             "precision if the text gives none)."))
            elif data[p + "date"] > timezone.localdate():
                self.add_error(p + "date", _("The date is in the future."))
            if not data.get(p + "types"):
                self.add_error(p + "types", _("Choose at least one violation or positive type."))
            if not data.get(p + "description", "").strip():
                self.add_error(p + "description", _("Say what happened."))
            for v in range(MAX_VICTIMS):
                q = f"{p}v{v}_"
                if (data.get(q + "count") or data.get(q + "names", "").strip()) and not data.get(q + "type"):
                    self.add_error(q + "type", _("Choose the type of these victims."))
        return data

    def kept_incidents(self):
        """The accepted incidents in the shape of the monitoring service's arguments."""
        data = self.cleaned_data
        incidents = []
        for p in self.incident_prefixes():
            if not data.get(p + "keep"):
                continue
            victims = []
            for v in range(MAX_VICTIMS):
                q = f"{p}v{v}_"
                if data.get(q + "type"):
                    victims.append({"type": data[q + "type"], "count": data.get(q + "count"),
                                    "names": data.get(q + "names", "").strip(),
                                    "names_sensitive": bool(data.get(q + "sensitive"))})
            incidents.append({
                "date": data[p + "date"], "date_precision": data[p + "date_precision"],
                "place": data.get(p + "place", ""), "place_precision": data[p + "place_precision"],
                "description": data[p + "description"].strip(), "freedoms": list(data.get(p + "freedoms") or []),
                "types": list(data[p + "types"]), "perpetrators": list(data.get(p + "perpetrators") or []),
                "victims": victims,
            })
        return incidents
