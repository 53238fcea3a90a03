"""The public search page: /<lang>/search/?q=… with the updates list's filters. Server-rendered, plain GET."""
from django import forms
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy as _
from django.views.decorators.http import require_safe

from civicspace.publishing.updates import UpdateFilterForm

from .models import Kind
from .selectors import search
from .text import MAX_QUERY_LENGTH


class SearchForm(UpdateFilterForm):
    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *Kind.choices])

    field_order = ["q", "kind"]


@require_safe
def search_page(request):
    form = SearchForm(request.GET or None)
    valid = form.is_valid()
    q = form.cleaned_data.get("q", "") if form.is_bound else ""
    filters = {k: v for k, v in form.cleaned_data.items() if k != "q" and v} if valid else {}
    page = search(q, lang=get_language(), filters=filters, page=request.GET.get("page")) if q else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "search/search.html", {
        "form": form, "q": q, "page": page, "query": query.urlencode(),
    })
