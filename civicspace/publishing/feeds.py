"""Atom and RSS feeds: published updates (all, per country, per violation type) and rating changes.

The feeds of law stage changes (laws.StageChangesFeed) and of Watchlist editions (watchlist.WatchlistFeed) live
with their pages. Feeds show only what the public pages show: the title and summary of published updates (never
sources, names or editors' notes) and the published ratings.
"""
import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from civicspace.core.l10n import decimal_text
from civicspace.countries.models import Country
from civicspace.monitoring import selectors as monitoring
from civicspace.monitoring.models import Incident, Term, Vocabulary
from civicspace.ratings.labels import RATING_NAMES
from civicspace.ratings.selectors.editions import rating_changes

from .updates import localised_text
from .watchlist import WatchlistFeed

FEED_LENGTH = 50


def _midnight(date):
    return dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc)


def _country(code):
    if not code:
        return None
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404("No such country")
    return country


class UpdatesFeed(Feed):
    """Published updates, newest first. /updates/feed/country/<code>/ or ?country=kgz narrows to one country;
    /updates/feed/type/<code>/ or ?violation=<code> to updates with an incident of that type."""

    feed_type = Atom1Feed

    def get_object(self, request, country=None, violation=None):
        country = _country(country or request.GET.get("country"))
        code = violation or request.GET.get("violation") or request.GET.get("type")
        term = None
        if code:
            term = Term.objects.filter(vocabulary__in=[Vocabulary.VIOLATION, Vocabulary.POSITIVE], code=code).first()
            if term is None:
                raise Http404("No such violation type")
        return {"country": country, "violation": term}

    def title(self, obj):
        if obj["country"] and obj["violation"]:
            return _("Updates on %(country)s: %(type)s") % {"country": obj["country"].name,
                                                            "type": obj["violation"].label}
        if obj["country"]:
            return _("Updates on %(country)s") % {"country": obj["country"].name}
        if obj["violation"]:
            return _("Updates: %(type)s") % {"type": obj["violation"].label}
        return _("Updates from the Civic Space Monitor")

    def link(self, obj):
        query = {}
        if obj["country"]:
            query["country"] = obj["country"].slug
        if obj["violation"]:
            query["violation"] = obj["violation"].code
        url = reverse("publishing:update_list")
        return f"{url}?{urlencode(query)}" if query else url

    def description(self, obj):
        return _("Published updates from research partners on the freedoms of association, peaceful assembly and "
                 "expression.")

    def items(self, obj):
        queryset = monitoring.public_updates(country=obj["country"], violation=obj["violation"])
        return list(queryset.select_related("organisation").prefetch_related(
            Prefetch("incidents", queryset=Incident.objects.prefetch_related("types")))[:FEED_LENGTH])

    def item_title(self, update):
        return f"{update.country.name}: {localised_text(update, 'title')[0]}"

    def item_description(self, update):
        return localised_text(update, "summary")[0]

    def item_link(self, update):
        return update.get_absolute_url()

    def item_pubdate(self, update):
        return update.published_at or _midnight(update.date)

    def item_updateddate(self, update):
        return update.published_at or _midnight(update.date)

    def item_author_name(self, update):
        return update.organisation.name

    def item_categories(self, update):
        labels = {f.label for f in update.freedoms.all()}
        labels.update(t.label for i in update.incidents.all() for t in i.types.all())
        return sorted(labels)


class UpdatesRss(UpdatesFeed):
    feed_type = Rss201rev2Feed


class RatingChangesFeed(Feed):
    """One item per country whose rating changed in an edition, with the rating before and after."""

    feed_type = Atom1Feed

    def get_object(self, request, country=None):
        return {"country": _country(country or request.GET.get("country")),
                "base": request.build_absolute_uri("/")}

    def title(self, obj):
        if obj["country"]:
            return _("Rating changes: %(country)s") % {"country": obj["country"].name}
        return _("Rating changes of civic space")

    def link(self, obj):
        return obj["country"].get_absolute_url() if obj["country"] else reverse("publishing:ratings_index")

    def description(self, obj):
        return _("Countries and territories whose civic space rating changed in an edition of the CIVICUS "
                 "Monitor's ratings, with the rating before and after.")

    def items(self, obj):
        changes = rating_changes(country=obj["country"])[:200]
        for change in changes:
            change.guid = (f"{obj['base'].rstrip('/')}{change.country.get_absolute_url()}"
                           f"#rating-{change.edition.slug}")
        return changes

    def item_title(self, change):
        return _("%(country)s: %(before)s → %(after)s (%(edition)s)") % {
            "country": change.country.name, "before": RATING_NAMES[change.before],
            "after": RATING_NAMES[change.after], "edition": change.edition.title}

    def item_description(self, change):
        def rating(code, score):
            if score is None:
                return str(RATING_NAMES[code])
            return _("%(rating)s (score %(score)s)") % {"rating": RATING_NAMES[code],
                                                       "score": decimal_text(score, 2)}

        text = _("%(change)s: %(country)s is rated %(after)s in the %(edition)s edition; it was %(before)s in "
                 "the %(previous)s edition.")
        return text % {
            "change": _("Upgrade") if change.direction > 0 else _("Downgrade"), "country": change.country.name,
            "after": rating(change.after, change.after_score), "edition": change.edition.title,
            "before": rating(change.before, change.before_score), "previous": change.previous_edition.title}

    def item_link(self, change):
        return change.country.get_absolute_url()

    def item_guid(self, change):
        return change.guid

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return _midnight(change.edition.published)

    def item_updateddate(self, change):
        return _midnight(change.edition.published)

    def item_categories(self, change):
        return [_("Upgrade") if change.direction > 0 else _("Downgrade"), str(RATING_NAMES[change.after])]


class RatingChangesRss(RatingChangesFeed):
    feed_type = Rss201rev2Feed


class WatchlistRss(WatchlistFeed):
    feed_type = Rss201rev2Feed
