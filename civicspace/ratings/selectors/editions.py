"""Reads of published ratings, shared by the public pages (and later the API and exports)."""
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404

from civicspace.core.text import sort_key
from civicspace.methodology.bands import RATING_CODES, compare_ratings

from ..models import PublishedRating, RatingEdition


def edition_list():
    """All editions, newest first, with the number of countries each rates."""
    return list(RatingEdition.objects.annotate(rated_count=Count("ratings")).order_by("-published"))


def edition_current(editions):
    """The newest complete edition: the one the map and the headline counts show."""
    return next((e for e in editions if e.is_complete), editions[0] if editions else None)


def edition_previous_complete(editions, edition):
    older = [e for e in editions if e.is_complete and e.published < edition.published]
    return older[0] if older else None


def edition_from_slug(editions, slug):
    if not slug:
        return edition_current(editions)
    for edition in editions:
        if edition.slug == slug:
            return edition
    raise Http404("No such edition")


def _sorted_by_country(ratings):
    return sorted(ratings, key=lambda r: sort_key(r.country.name))


def edition_ratings(edition, *, rating=None, region=None):
    """The ratings published in one edition, ordered by country name in the active language."""
    queryset = PublishedRating.objects.filter(edition=edition).select_related("country__region")
    if rating:
        queryset = queryset.filter(rating=rating)
    if region:
        queryset = queryset.filter(country__region=region)
    return _sorted_by_country(queryset)


def current_ratings(*, rating=None, region=None):
    """Each country's current rating: the one from the newest edition that rates it."""
    newest = (
        PublishedRating.objects.filter(country=OuterRef("country"))
        .order_by("-edition__published")
        .values("pk")[:1]
    )
    queryset = PublishedRating.objects.filter(pk=Subquery(newest)).select_related("country__region", "edition")
    if rating:
        queryset = queryset.filter(rating=rating)
    if region:
        queryset = queryset.filter(country__region=region)
    return _sorted_by_country(queryset)


def rating_counts(ratings):
    """{rating code: count} for every rating, zeros included, in band order."""
    counts = Counter(r.rating for r in ratings)
    return {code: counts.get(code, 0) for code in RATING_CODES}


@dataclass
class HistoryEntry:
    edition: RatingEdition
    rating: str
    score: object
    source_url: str
    previous: "HistoryEntry | None" = None

    @property
    def change(self):
        """+1 upgrade, -1 downgrade, 0 unchanged, None for the first entry."""
        if self.previous is None:
            return None
        return compare_ratings(self.previous.rating, self.rating)


def country_history(country):
    """The country's rating in every edition that rates it, oldest first, each linked to the one before."""
    rows = PublishedRating.objects.filter(country=country).select_related("edition").order_by("edition__published")
    history, previous = [], None
    for row in rows:
        entry = HistoryEntry(row.edition, row.rating, row.score, row.source_url, previous)
        history.append(entry)
        previous = entry
    return history


@dataclass
class RatingChange:
    """A country's rating that differs from its rating in an earlier edition (the one class for pages and feeds)."""
    country: object
    before: str
    after: str
    edition: object = None
    previous_edition: object = None
    before_score: object = None
    after_score: object = None
    guid: str = ""

    @property
    def direction(self):
        """+1 upgrade, -1 downgrade."""
        return compare_ratings(self.before, self.after)


def edition_changes(edition, previous):
    """Countries whose rating differs between two editions, downgrades first."""
    if previous is None:
        return []
    before = dict(
        PublishedRating.objects.filter(edition=previous).values_list("country_id", "rating")
    )
    changes = []
    for row in PublishedRating.objects.filter(edition=edition).select_related("country"):
        old = before.get(row.country_id)
        if old and old != row.rating:
            changes.append(RatingChange(row.country, old, row.rating, edition=edition, previous_edition=previous))
    return sorted(changes, key=lambda c: (c.direction, sort_key(c.country.name)))


def rating_changes(*, country=None):
    """Every published rating that differs from the country's rating in the edition before (the newest earlier
    edition that rates it), newest edition first, downgrades first."""
    rows = PublishedRating.objects.select_related("edition", "country").order_by("country_id", "edition__published")
    if country:
        rows = rows.filter(country=country)
    changes, previous = [], None
    for row in rows:
        if previous and previous.country_id == row.country_id and previous.rating != row.rating:
            changes.append(RatingChange(row.country, previous.rating, row.rating, edition=row.edition,
                                        previous_edition=previous.edition, before_score=previous.score,
                                        after_score=row.score))
        previous = row
    return sorted(changes, key=lambda c: (-c.edition.published.toordinal(), c.direction, c.country.name))


def counts_by_edition(editions):
    """[(edition, {rating: count})] for every edition, newest first, in one query."""
    rows = (PublishedRating.objects.filter(edition__in=editions).values_list("edition_id", "rating")
            .annotate(n=Count("pk")))
    table = {e.pk: dict.fromkeys(RATING_CODES, 0) for e in editions}
    for edition_id, rating, n in rows:
        table[edition_id][rating] = n
    return [(e, table[e.pk]) for e in editions]
