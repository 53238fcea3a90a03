"""The yearly global findings of a rating edition, computed from the data held: counts, population shares,
changes, regions, top violations and victim groups. Every number can be traced to the records it counts."""
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from civicspace.countries.models import Region
from civicspace.methodology.bands import RATING_CODES
from civicspace.monitoring.models import Incident, Term, Update
from civicspace.ratings.selectors import editions as ratings
from civicspace.ratings.models import PublishedRating

from .models import Population

GROUPS = (
    ("closed_repressed", _("closed or repressed"), ("closed", "repressed")),
    ("closed_repressed_obstructed", _("closed, repressed or obstructed"), ("closed", "repressed", "obstructed")),
    ("open_narrowed", _("open or narrowed"), ("open", "narrowed")),
)


@dataclass
class Breakdown:
    """Countries and people per rating, for the world or one region."""

    counts: dict
    people: dict
    total_countries: int
    total_people: int

    def share(self, codes):
        return sum(self.people[c] for c in codes) / self.total_people if self.total_people else None

    @property
    def rows(self):
        return [{"code": c, "count": self.counts[c], "people": self.people[c],
                 "share": self.people[c] / self.total_people if self.total_people else None} for c in RATING_CODES]

    @property
    def groups(self):
        return [{"key": key, "label": label, "codes": codes, "count": sum(self.counts[c] for c in codes),
                 "people": sum(self.people[c] for c in codes), "share": self.share(codes)}
                for key, label, codes in GROUPS]


@dataclass
class Findings:
    edition: object
    previous: object
    world: Breakdown
    regions: list
    population_year: int
    population_sources: list
    missing_population: list
    changes: list
    window: tuple
    top_violations: list
    top_by_region: list
    top_by_freedom: list
    victim_groups: list
    updates_in_window: int
    extra: dict = field(default_factory=dict)


def population_year_for(edition, years):
    """The latest year with figures that is not after the edition's year (the figures of that year)."""
    usable = [y for y in years if y <= edition.published.year]
    return max(usable) if usable else min(years)


def breakdown(rows, population):
    counts, people = Counter(), Counter()
    for row in rows:
        counts[row.rating] += 1
        people[row.rating] += population.get(row.country_id, 0)
    return Breakdown({c: counts[c] for c in RATING_CODES}, {c: people[c] for c in RATING_CODES},
                     sum(counts.values()), sum(people.values()))


def reporting_window(edition):
    """1 November of the year before to 31 October of the edition's year (the monitor's reporting year)."""
    year = edition.published.year
    return dt.date(year - 1, 11, 1), dt.date(year, 10, 31)


def _top(counter, limit=10):
    return [{"term": term, "count": n} for term, n in counter.most_common(limit)]


def edition_findings(edition, editions):
    rows = list(PublishedRating.objects.filter(edition=edition).select_related("country__region"))
    years = sorted(set(Population.objects.values_list("year", flat=True)))
    year = population_year_for(edition, years) if years else None
    figures = {p.country_id: p for p in Population.objects.filter(year=year)} if year else {}
    population = {cid: p.population for cid, p in figures.items()}
    previous = ratings.edition_previous_complete(editions, edition)

    regions = []
    for region in Region.objects.all():
        in_region = [r for r in rows if r.country.region_id == region.pk]
        regions.append({"region": region, "breakdown": breakdown(in_region, population)})

    start, end = reporting_window(edition)
    incidents = list(Incident.objects.published().filter(date__range=(start, end))
                     .select_related("update__country").prefetch_related("types", "freedoms"))
    overall, by_region, by_freedom = Counter(), defaultdict(Counter), defaultdict(Counter)
    for incident in incidents:
        for term in incident.types.all():
            if term.vocabulary != "violation":
                continue
            overall[term] += 1
            by_region[incident.update.country.region_id][term] += 1
            for freedom in incident.freedoms.all():
                by_freedom[freedom][term] += 1
    updates = Update.objects.published().filter(date__range=(start, end))
    update_total = updates.count()
    victim_counts = _victim_update_counts(updates)
    region_names = {r["region"].pk: r["region"] for r in regions}
    return Findings(
        edition=edition, previous=previous, world=breakdown(rows, population), regions=regions,
        population_year=year, population_sources=sorted({p.source.split(" via ")[0] for p in figures.values()}),
        missing_population=sorted((r.country for r in rows if r.country_id not in population), key=str),
        changes=ratings.edition_changes(edition, previous) if previous else [],
        window=(start, end), top_violations=_top(overall),
        top_by_region=[{"region": region_names[rid], "top": _top(c, 5)} for rid, c in by_region.items()],
        top_by_freedom=[{"freedom": f, "top": _top(c, 5)} for f, c in sorted(by_freedom.items(),
                                                                              key=lambda i: i[0].position)],
        victim_groups=[{"term": t, "count": n, "share": n / update_total if update_total else None}
                       for t, n in victim_counts],
        updates_in_window=update_total,
    )


def _victim_update_counts(updates):
    """(victim type, number of updates in which it appears), most frequent first."""
    pairs = set(updates.filter(incidents__victims__isnull=False)
                .values_list("pk", "incidents__victims__type"))
    counter = Counter(type_id for _, type_id in pairs)
    terms = {t.pk: t for t in Term.objects.filter(pk__in=counter)}
    return [(terms[pk], n) for pk, n in counter.most_common()]


def compare(before, after):
    """How two editions differ: countries whose rating changed, and counts and group shares then and now."""
    years = sorted(set(Population.objects.values_list("year", flat=True)))

    def world(edition):
        rows = list(PublishedRating.objects.filter(edition=edition))
        year = population_year_for(edition, years) if years else None
        population = dict(Population.objects.filter(year=year).values_list("country_id", "population"))
        return breakdown(rows, population), year

    (b, b_year), (a, a_year) = world(before), world(after)
    return {
        "before": before, "after": after, "before_world": b, "after_world": a,
        "before_year": b_year, "after_year": a_year,
        "rows": [{"code": c, "before": b.counts[c], "after": a.counts[c], "delta": a.counts[c] - b.counts[c]}
                 for c in RATING_CODES],
        "groups": [{"label": label, "before": sum(b.counts[c] for c in codes), "after": sum(a.counts[c] for c in codes),
                    "before_share": b.share(codes), "after_share": a.share(codes)} for _, label, codes in GROUPS],
        "changes": ratings.edition_changes(after, before),
    }
