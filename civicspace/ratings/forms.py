from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicspace.countries.models import Country

from .services.assessments import answer_labels, question_text
from .models import RATING_CHOICES, EditionDraft, PanelVote, RatingEdition

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalOpenForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all(), to_field_name="code",
                                     empty_label=_("Choose a country"))
    to_rating = forms.ChoiceField(label=_("Proposed rating"), choices=RATING_CHOICES)
    reason = forms.CharField(label=_("Why"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DraftForm(forms.Form):
    publish_on = forms.DateField(label=_("Publication date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=EditionDraft.Kind.choices, initial=EditionDraft.Kind.REGULAR,
                             widget=forms.RadioSelect)


class VoteForm(forms.Form):
    vote = forms.ChoiceField(label=_("Vote"), choices=PanelVote.Vote.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    rating = forms.ChoiceField(label=_("Decided rating"), choices=RATING_CHOICES)
    draft = forms.ModelChoiceField(label=_("Edition"), queryset=EditionDraft.objects.none(),
                                   empty_label=_("Choose an edition in preparation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = EditionDraft.objects.unpublished().order_by("publish_on")
        self.fields["draft"].label_from_instance = lambda d: f"{d.title} · {d.get_kind_display()} ({d.publish_on})"
        for code, name in settings.LANGUAGES:
            self.fields[f"rationale_{code}"] = forms.CharField(
                label=_("Public rationale (%(language)s)") % {"language": name}, max_length=5000,
                required=code == "en", widget=forms.Textarea(attrs={"rows": 3, "lang": code,
                                                                    "dir": "rtl" if code == "ar" else "ltr"}))

        self.fields["challenge_answer"] = forms.CharField(
            label=_("Answer to challenges"), max_length=5000, required=False,
            help_text=_("Public. Required when a government's challenge to the rating is attached (see the "
                        "evidence below)."), widget=forms.Textarea(attrs={"rows": 3}))
        # The panel's votes as this page showed them (services.decisions.votes_version): optimistic locking.
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)

    def rationale(self):
        return {code: self.cleaned_data.get(f"rationale_{code}", "") for code, _name in settings.LANGUAGES}


class ErratumForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("Published edition"), queryset=RatingEdition.objects.none(),
                                     to_field_name="slug", empty_label=_("Choose an edition"))
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all(), to_field_name="code",
                                     empty_label=_("Choose a country"))
    rating = forms.ChoiceField(label=_("Corrected rating"), choices=RATING_CHOICES)
    score = forms.DecimalField(label=_("Corrected score (empty when none)"), required=False, min_value=1,
                               max_value=100, max_digits=5, decimal_places=2)
    reason = forms.CharField(label=_("Public reason for the correction"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = RatingEdition.objects.order_by("-published")
        self.fields["edition"].label_from_instance = lambda e: f"{e.title} ({e.code})"


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why withdraw it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(forms.Form):
    """The methodology's coding form: per question an answer on the 0-4 scale and a justification. Fields are
    not required here: a draft may be saved half-way; the service decides what a submission needs."""

    period_end = forms.DateField(label=_("End of the period assessed"), widget=DATE)

    def __init__(self, *args, methodology, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = methodology.questions
        choices = [(str(value), f"{value} · {label}") for value, label in answer_labels(methodology=methodology)]
        for question in self.questions:
            text = question_text(question)
            self.fields[f"q_{question.code}"] = forms.TypedChoiceField(
                label=text, choices=choices, coerce=int, required=False, empty_value=None,
                widget=forms.RadioSelect)
            self.fields[f"j_{question.code}"] = forms.CharField(
                label=_("Justification"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self):
        return {q.code: (self.cleaned_data.get(f"q_{q.code}"), self.cleaned_data.get(f"j_{q.code}", ""))
                for q in self.questions}

    def rows(self):
        """[(question, answer field, justification field)] for the template."""
        return [(q, self[f"q_{q.code}"], self[f"j_{q.code}"]) for q in self.questions]

    def service_error_field(self, key):
        """The field for a service's error keyed by question code: the question's answer field."""
        return f"q_{key}" if f"q_{key}" in self.fields else key
