"""Public pages of the legislation tracker: the filterable list with headline counts, one bill with its
timeline, and Atom/RSS feeds of stage changes."""
from django import forms
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_safe

from civicspace.countries.models import Country, Region
from civicspace.legislation import selectors, timeline
from civicspace.legislation.models import STAGE_CHOICES, STAGE_LABELS, Category, Direction

from .updates import CountryChoiceField


class LawFilterForm(forms.Form):
    country = CountryChoiceField(label=gettext_lazy("Country"), queryset=Country.objects.all(), to_field_name="code",
                                 required=False, empty_label=gettext_lazy("All countries"))
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=Region.objects.all(),
                                    to_field_name="code", required=False, empty_label=gettext_lazy("All regions"))
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False,
                                 choices=[("", gettext_lazy("All categories")), *Category.choices])
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), required=False,
                                  choices=[("", gettext_lazy("All directions")), *Direction.choices])
    stage = forms.ChoiceField(label=gettext_lazy("Current stage"), required=False,
                              choices=[("", gettext_lazy("All stages")), *STAGE_CHOICES])
    moved_from = forms.DateField(label=gettext_lazy("Last moved from"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    moved_to = forms.DateField(label=gettext_lazy("Last moved to"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))


bill_text = selectors.bill_text  # legislation's public selector


@require_safe
def law_list(request):
    form = LawFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    page = Paginator(selectors.bill_list(**filters), 30).get_page(request.GET.get("page"))
    for bill in page.object_list:
        bill.title_shown, bill.title_lang = selectors.bill_text_with_language(bill, "short_title")
    return render(request, "publishing/law_list.html", {
        "form": form, "page": page, "counts": selectors.headline_counts(), "stage_labels": STAGE_LABELS,
        "feed_query": f"?country={filters['country'].slug}" if "country" in filters else "",
    })


@require_safe
def bill_detail(request, pk):
    bill = selectors.bill_public_get(pk)
    events = selectors.bill_timeline(bill)
    current = events[-1].stage if events else None
    return render(request, "publishing/bill_detail.html", {
        "bill": bill, "title": bill_text(bill, "short_title"), "official_title": bill_text(bill, "official_title"),
        "summary": bill_text(bill, "summary"), "events": events,
        "langs": {field: selectors.bill_text_with_language(bill, field)[1]
                  for field in ("short_title", "official_title", "summary")},
        "phase": timeline.STAGE_BY_CODE[current].phase if current else None,
        "public_sources": [s for s in bill.sources.all()],
        "updates": list(bill.updates.all()), "incidents": list(bill.incidents.all()),  # published only
    })


class StageChangesFeed(Feed):
    """Verified stage changes, newest first; ?country=kgz narrows to one country, /laws/<id>/feed/ to one bill."""

    feed_type = Atom1Feed

    def get_object(self, request, pk=None):
        self.request = request
        country = Country.objects.filter(code=request.GET.get("country", "").upper()).first()
        bill = selectors.bill_public_get(pk) if pk else None
        return {"country": country, "bill": bill}

    def title(self, obj):
        if obj["bill"]:
            return _("Stage changes: %(bill)s") % {"bill": bill_text(obj["bill"], "short_title")}
        if obj["country"]:
            return _("Stage changes of laws in %(country)s") % {"country": obj["country"].name}
        return _("Stage changes of laws that affect civic space")

    def link(self, obj):
        return obj["bill"].get_absolute_url() if obj["bill"] else reverse("publishing:law_list")

    def description(self, obj):
        return _("Laws affecting the freedoms of association, peaceful assembly and expression, as they move "
                 "through parliaments and courts.")

    def items(self, obj):
        if obj["bill"]:
            return list(reversed(selectors.bill_timeline(obj["bill"])))[:50]
        return selectors.recent_stage_events(country=obj["country"])

    def item_title(self, event):
        return f"{event.bill.country.name}: {bill_text(event.bill, 'short_title')} — {STAGE_LABELS[event.stage]}"

    def item_description(self, event):
        return event.note or STAGE_LABELS[event.stage]

    def item_link(self, event):
        return f"{event.bill.get_absolute_url()}#stage-{event.pk}"

    def item_pubdate(self, event):
        from datetime import datetime, time, timezone

        return datetime.combine(event.date, time(), tzinfo=timezone.utc)

    def item_updateddate(self, event):
        # The event's own date: when the record was entered (created_at) is confidential in the field registry.
        return self.item_pubdate(event)


class StageChangesRss(StageChangesFeed):
    feed_type = Rss201rev2Feed
