from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy as _

from .models import RequestType
from .services import LINKS_MAX, TEXT_MAX


class RequestForm(forms.Form):
    request_type = forms.ChoiceField(label=_("What do you want to do?"), choices=RequestType.choices,
                                     widget=forms.RadioSelect, initial=RequestType.CORRECTION)
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                   help_text=_("The organisation or institution you speak for, if any."))
    role = forms.CharField(label=_("Your role"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("We send you a link to confirm it; editors see your request only after "
                                         "that. It is never published."))
    represents_government = forms.BooleanField(
        label=_("I write on behalf of this country's government"), required=False,
        help_text=_("A government's challenge to a rating is put before the advisory panel with the next "
                    "proposal for the country, and the panel's decision must answer it."))
    language = forms.ChoiceField(label=_("Language of your text"), choices=settings.LANGUAGES)
    text = forms.CharField(label=_("Your correction or reply"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}))
    evidence_links = forms.CharField(
        label=_("Links to evidence"), required=False, max_length=(LINKS_MAX * 510),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}))
    def __init__(self, *args, rating=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request, in the reader's language (a lazy string formatted at import would be English).
        self.fields["text"].help_text = gettext("At most %(max)s characters, in any of the five languages.") % {
            "max": TEXT_MAX}
        self.fields["evidence_links"].help_text = gettext("One web address per line, at most %(max)s.") % {
            "max": LINKS_MAX}
        if not rating:
            del self.fields["represents_government"]

    def links(self):
        return [line for line in self.cleaned_data.get("evidence_links", "").splitlines() if line.strip()]


class ReplyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.CharField(label=_("Replying party (as published)"), max_length=300)
    reply_text = forms.CharField(label=_("Reply (as published, in its language)"), max_length=TEXT_MAX,
                                 widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}))

    def __init__(self, *args, source_language=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            if code == source_language:
                continue
            self.fields[f"translation_{code}"] = forms.CharField(
                label=_("Translation (%(language)s)") % {"language": name}, max_length=TEXT_MAX, required=False,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "rtl" if code == "ar" else "ltr"}))

    def translations(self):
        return {name.removeprefix("translation_"): value for name, value in self.cleaned_data.items()
                if name.startswith("translation_")}


class AcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Public correction note: what was changed"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (e-mailed to the requester, never published)"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RecordFilterForm(forms.Form):
    country = forms.CharField(label=_("Country"), required=False, max_length=3)
    kind = forms.ChoiceField(label=_("Item"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Corrections and replies")), *RequestType.choices])
