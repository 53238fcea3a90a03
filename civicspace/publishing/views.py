"""Public pages. Thin: parse the request, call selectors, render."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from civicspace.countries.selectors import country_get, region_list
from civicspace.legislation.selectors import country_bills
from civicspace.watchlist.selectors import country_history as watchlist_history
from civicspace.monitoring.selectors import country_incident_counts, country_recent_updates
from civicspace.ratings.selectors import editions as ratings
from civicspace.ratings.labels import RATING_NAMES, all_ratings, rating_info
from civicspace.ratings.selectors.public import country_decisions, country_score

from .charts import contributions_chart, history_chart
from .forms import CountryFilterForm, EditionForm
from .worldmap import world_map


@require_safe
def home(request):
    editions = ratings.edition_list()
    current = ratings.edition_current(editions)
    current_rows = ratings.current_ratings()
    counts = ratings.rating_counts(current_rows)
    previous = ratings.edition_previous_complete(editions, current) if current else None
    return render(request, "publishing/home.html", {
        "edition": current,
        "previous_edition": previous,
        "map": world_map(current_rows),
        "legend": [dict(rating_info(code), count=count) for code, count in counts.items()],
        "total": len(current_rows),
        "changes": ratings.edition_changes(current, previous) if current else [],
    })


@require_safe
def country_list(request):
    regions = region_list()
    form = CountryFilterForm(request.GET, regions=regions)
    rating, region = form.selected()
    all_rows = ratings.current_ratings()
    rows = [r for r in all_rows if (not rating or r.rating == rating) and (not region or r.country.region_id == region.pk)]
    # Counts per rating follow the region filter, so the numbers always add up to what is listed.
    in_region = [r for r in all_rows if not region or r.country.region_id == region.pk]
    groups = [
        dict(rating_info(code), rows=[r for r in rows if r.rating == code]) for code in RATING_NAMES
    ]
    return render(request, "publishing/country_list.html", {
        "form": form,
        "rating": rating,
        "region": region,
        "groups": [g for g in groups if g["rows"]],
        "counts": [dict(rating_info(c), count=n) for c, n in ratings.rating_counts(in_region).items()],
        "total": len(rows),
        "regions": regions,
    })


@require_safe
def country_detail(request, slug):
    if slug != slug.lower():
        raise Http404
    country = country_get(slug=slug)
    history = ratings.country_history(country)
    current = history[-1] if history else None
    changes = [entry for entry in history if entry.change]
    incident_counts, since = country_incident_counts(country)
    guiding = country_score(country)
    return render(request, "publishing/country_detail.html", {
        "guiding": guiding,
        "contributions": contributions_chart(guiding) if guiding else None,
        "decisions": country_decisions(country),
        "updates": country_recent_updates(country),
        "bills": country_bills(country),
        "watchlist": watchlist_history(country),
        "incident_counts": incident_counts,
        "incidents_since": since,
        "country": country,
        "current": current,
        "current_info": rating_info(current.rating) if current else None,
        "history": list(reversed(history)),
        "changes": changes,
        "chart": history_chart(history),
    })


@require_safe
def ratings_index(request):
    editions = ratings.edition_list()
    table = ratings.counts_by_edition(editions)
    return render(request, "publishing/ratings_index.html", {
        "ratings": all_ratings(),
        "editions": editions,
        "table": table,
        "current": ratings.edition_current(editions),
    })


@require_safe
def rating_detail(request, rating):
    if rating not in RATING_NAMES:
        raise Http404("No such rating")
    editions = ratings.edition_list()
    form = EditionForm(request.GET, editions=editions)
    edition = ratings.edition_from_slug(editions, request.GET.get("edition", ""))
    rows = ratings.edition_ratings(edition, rating=rating) if edition else []
    return render(request, "publishing/rating_detail.html", {
        "rating": rating_info(rating),
        "edition": edition,
        "editions": editions,
        "form": form,
        "rows": rows,
        "is_current": edition == ratings.edition_current(editions),
    })
