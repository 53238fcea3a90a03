"""What the sitemaps list and the social cards show: public data only, read through each domain's public
selectors (never a model's unfiltered manager)."""
import datetime as dt
from typing import NamedTuple

from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from civicspace.cases import selectors as cases
from civicspace.countries.models import Country
from civicspace.countries.selectors import country_get
from civicspace.legislation import selectors as legislation
from civicspace.monitoring import selectors as monitoring
from civicspace.publishing.worldmap import geometry
from civicspace.ratings.selectors import editions as ratings
from civicspace.ratings.labels import RATING_COLOURS, RATING_NAMES
from civicspace.watchlist import selectors as watchlist


def _midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) if day else None


# --- sitemaps ------------------------------------------------------------------------------------------------

def sitemap_countries():
    """[(country, lastmod)]: every rated country, last changed by its newest rating edition or update."""
    current = {r.country_id: r.edition.published for r in ratings.current_ratings()}
    newest_update = {}
    for country_id, published_at in monitoring.public_updates().order_by().values_list("country_id", "published_at"):
        if published_at and (country_id not in newest_update or published_at > newest_update[country_id]):
            newest_update[country_id] = published_at
    rows = []
    for country in Country.objects.filter(pk__in=current.keys()).order_by("code"):
        lastmod = _midnight(current[country.pk])
        if newest_update.get(country.pk) and newest_update[country.pk] > lastmod:
            lastmod = newest_update[country.pk]
        rows.append((country, lastmod))
    return rows


class Published(NamedTuple):
    pk: int
    published_at: dt.datetime


def sitemap_updates():
    rows = monitoring.public_updates().order_by("pk").values_list("pk", "published_at")
    return [(Published(pk, published_at), published_at) for pk, published_at in rows]


def sitemap_cases():
    """Published cases, last changed when they were published or edited (a case page shows its events)."""
    return [(c, max(filter(None, [c.published_at, c.updated_at]))) for c in cases.published().order_by("pk")]


def sitemap_laws():
    return [(b, _midnight(b.last_moved)) for b in legislation.bill_list().order_by("pk")]


def sitemap_watchlist():
    return [(e, e.published_at) for e in watchlist.published_editions()]


def sitemap_findings():
    return [(e, _midnight(e.published)) for e in ratings.edition_list() if e.is_complete]


def sitemap_editions():
    return [(e, _midnight(e.published)) for e in ratings.edition_list()]


# --- social cards --------------------------------------------------------------------------------------------

def _colours(rows):
    return {r.country.code: RATING_COLOURS[r.rating][0] for r in rows}


def site_card_data():
    current = ratings.current_ratings()
    counts = ratings.rating_counts(current)
    caption = " · ".join(f"{RATING_NAMES[code]}: {n}" for code, n in counts.items())
    return {"site_name": _("Civic Space Monitor"), "title": _("World map of civic space"), "caption": caption,
            "geometry": geometry(), "map_colours": _colours(current)}


def country_card_data(slug):
    country = country_get(slug=slug)  # 404 for an unknown code
    current = ratings.current_ratings()
    mine = next((r for r in current if r.country_id == country.pk), None)
    if mine:
        caption = _("Rating of civic space, %(edition)s edition") % {"edition": mine.edition.title}
    else:
        caption = _("Not rated")
    return {"site_name": _("Civic Space Monitor"), "name": str(country.name),
            "rating_label": str(RATING_NAMES[mine.rating]) if mine else "",
            "rating_colours": RATING_COLOURS[mine.rating] if mine else ("#d9d9d9", "#1b1b1b"),
            "caption": caption, "geometry": geometry(), "map_colours": _colours(current), "code": country.code}


def watchlist_card_data(slug):
    edition = watchlist.edition_get(slug)  # published only; 404 otherwise
    entries = list(edition.entries.all())
    lines = [(str(e.country.name), RATING_COLOURS[e.rating_at_publication] if e.rating_at_publication else None)
             for e in entries]
    published = formats.date_format(edition.target_date, "DATE_FORMAT")
    return {"site_name": _("Civic Space Monitor"), "title": _("Watchlist") + " · " + str(edition.title),
            "lines": lines, "caption": published, "geometry": geometry(),
            "map_colours": {e.country.code: "#a50026" for e in entries}}


def findings_card_data(slug):
    editions = ratings.edition_list()
    edition = next((e for e in editions if e.slug == slug and e.is_complete), None)
    if edition is None:
        raise Http404
    rows = ratings.edition_ratings(edition)
    counts = ratings.rating_counts(rows)
    lines = [(f"{RATING_NAMES[code]}: {n}", RATING_COLOURS[code]) for code, n in counts.items()]
    return {"site_name": _("Civic Space Monitor"), "title": _("Findings: %(edition)s") % {"edition": edition.title},
            "lines": lines, "caption": _("%(n)s countries and territories rated") % {"n": sum(counts.values())},
            "geometry": geometry(), "map_colours": _colours(rows)}

