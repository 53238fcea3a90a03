from django import forms
from django.utils.translation import gettext_lazy as _

from civicspace.core.dates import parse_partial_date
from civicspace.legislation.models import Bill
from civicspace.monitoring.models import Term

from .models import KIND_CHOICES, CaseEvent, NameReason, SubjectType


class PartialDateField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_partial_date(value.strip())
        except ValueError:
            raise forms.ValidationError(_("Write the date as YYYY-MM-DD, YYYY-MM or YYYY.")) from None


class CaseForm(forms.Form):
    prefix = "case"
    country = forms.ModelChoiceField(label=_("Country"), queryset=None)
    subject_type = forms.ChoiceField(label=_("Subject"), choices=SubjectType.choices)
    victim_type = forms.ModelChoiceField(label=_("Victim type"), required=False,
                                         queryset=Term.objects.filter(vocabulary="victim"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                   help_text=_("For a person: the outlet or organisation they work for. For an "
                                               "organisation: its name."))
    subject_name = forms.CharField(label=_("Name of the person (confidential)"), max_length=200, required=False,
                                   help_text=_("Never published unless an editor records a reason to name them."))
    summary = forms.CharField(label=_("Public summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    editor_note = forms.CharField(label=_("Note for editors (never public)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = countries


class SourceForm(forms.Form):
    prefix = "source"
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("URL"), max_length=1000, assume_scheme="https")
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ChargeForm(forms.Form):
    prefix = "charge"
    provision = forms.CharField(label=_("Legal provision"), max_length=300)
    description = forms.CharField(label=_("Offence as charged"), max_length=300, required=False)
    bill = forms.ModelChoiceField(label=_("Tracked law"), queryset=None, required=False)
    source = forms.ModelChoiceField(label=_("Source"), queryset=None, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bill"].queryset = Bill.objects.filter(country=case.country_id)
        self.fields["source"].queryset = case.sources.all()


class EventForm(forms.Form):
    prefix = "event"
    kind = forms.ChoiceField(label=_("Event"), choices=KIND_CHOICES)
    date = PartialDateField(label=_("Date (YYYY-MM-DD, YYYY-MM or YYYY)"), max_length=10)
    sentence = forms.ChoiceField(label=_("Sentence (verdicts)"), required=False,
                                 choices=[("", "—"), *CaseEvent._meta.get_field("sentence").choices])
    sentence_days = forms.IntegerField(label=_("Prison term in days"), required=False, min_value=1)
    sentence_text = forms.CharField(label=_("Sentence as pronounced"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("Appeal outcome"), required=False,
                                choices=[("", "—"), *CaseEvent._meta.get_field("outcome").choices])
    note = forms.CharField(label=_("Public note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.ModelChoiceField(label=_("Source"), queryset=None)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = case.sources.all()


class NameForm(forms.Form):
    prefix = "name"
    reason = forms.ChoiceField(label=_("Reason to name the person"), choices=NameReason.choices)
    note = forms.CharField(label=_("How the reason was established"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    prefix = "withdraw"
    reason = forms.CharField(label=_("Why the case is withdrawn"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
