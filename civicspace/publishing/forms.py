from django import forms
from django.utils.translation import gettext_lazy as _

from civicspace.ratings.labels import RATING_NAMES


class CountryFilterForm(forms.Form):
    """Filters of the country list, submitted by GET so that they work without JavaScript."""

    rating = forms.ChoiceField(label=_("Rating"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, data, *, regions):
        super().__init__(data)
        self.regions = {region.code: region for region in regions}
        self.fields["rating"].choices = [("", _("All ratings"))] + list(RATING_NAMES.items())
        self.fields["region"].choices = [("", _("All regions"))] + [(r.code, r.name) for r in regions]

    def selected(self):
        """(rating code or None, Region or None); filters that failed validation are ignored."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data["rating"] or None, self.regions.get(self.cleaned_data["region"])


class EditionForm(forms.Form):
    edition = forms.ChoiceField(label=_("Edition"), required=False)

    def __init__(self, data, *, editions):
        super().__init__(data)
        self.fields["edition"].choices = [(e.slug, e.title) for e in editions]
