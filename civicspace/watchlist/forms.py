from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicspace.monitoring.models import TranslationStatus

from .models import HRCSession


class EditionForm(forms.Form):
    hrc_session = forms.ModelChoiceField(label=_("Human Rights Council session"), queryset=HRCSession.objects.all(),
                                         required=False, empty_label=_("None: choose a date"))
    target_date = forms.DateField(label=_("Target date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Leave empty to use the first day of the chosen session."))

    def clean(self):
        data = super().clean()
        if not data.get("target_date"):
            if not data.get("hrc_session"):
                self.add_error("target_date", _("Choose a session or a date."))
            else:
                data["target_date"] = data["hrc_session"].start
        return data


class RationaleForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    text = forms.CharField(label=_("Rationale"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Translation status"), choices=TranslationStatus.choices,
                               initial=TranslationStatus.REVIEWED)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)  # optimistic locking


class PressReleaseForm(forms.Form):
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    pr_title = forms.CharField(label=_("Title"), max_length=300)
    pr_dateline = forms.CharField(label=_("Dateline"), max_length=100, required=False)
    pr_lead = forms.CharField(label=_("Lead paragraph"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    pr_about = forms.CharField(label=_("About the monitor"), max_length=3000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    pr_contact = forms.CharField(label=_("Media contact"), max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)  # optimistic locking
