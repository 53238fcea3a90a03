from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicspace.monitoring.forms import (
    PartialDateField,
    TermMultipleChoiceField,
    _not_in_future,
)
from civicspace.monitoring.models import (
    Incident,
    Status,
    Term,
    TranslationStatus,
    Update,
    Vocabulary,
)

from .models import STAGE_CHOICES, BillSource, Category, Direction


class BillForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    short_title = forms.CharField(label=_("Short title"), max_length=200)
    official_title = forms.CharField(label=_("Official title"), max_length=500, required=False)
    summary = forms.CharField(label=_("Plain-language summary"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    number = forms.CharField(label=_("Bill number"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    freedoms = TermMultipleChoiceField(label=_("Freedoms affected"), queryset=None, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    passed_with_improvements = forms.BooleanField(
        label=_("Passed with improvements (restrictive provisions were removed)"), required=False)
    updates = forms.ModelMultipleChoiceField(label=_("Updates about this bill"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    incidents = forms.ModelMultipleChoiceField(label=_("Incidents linked to this bill"), queryset=None,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    lang = forms.ChoiceField(label=_("Language of the titles and summary"), choices=settings.LANGUAGES)
    translation_status = forms.ChoiceField(label=_("Translation status (when not the original language)"),
                                           choices=TranslationStatus.choices, required=False)
    # The version the form was loaded at (optimistic locking); empty for a new bill.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, countries, bill=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries
        self.fields["freedoms"].queryset = Term.objects.filter(vocabulary=Vocabulary.FREEDOM)
        published = Update.objects.filter(status=Status.PUBLISHED)
        if bill is not None:
            published = published.filter(country=bill.country)
        self.fields["updates"].queryset = published
        self.fields["incidents"].queryset = Incident.objects.filter(update__in=published).select_related("update")
        self.fields["incidents"].label_from_instance = lambda i: f"{i.date} · {i.description[:80]}"


class StageEventForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=STAGE_CHOICES)
    date = PartialDateField(label=_("Date"), help_text=_("YYYY-MM-DD, or YYYY-MM when the day is not known"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.ModelChoiceField(label=_("Source"), queryset=None, required=False)

    def __init__(self, *args, bill, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = bill.sources.all()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value[1] == "year":
            raise forms.ValidationError(_("Give at least the month of a stage."))
        if value:
            _not_in_future(value[0])
        return value


class BillSourceForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = BillSource
        fields = ["title", "publisher", "date", "url", "is_text"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
