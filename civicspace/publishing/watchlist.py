"""Public Watchlist pages: the current edition and the archive, one edition, its press release, a feed."""
from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_safe

from civicspace.core.text import label_text
from civicspace.watchlist import selectors


entry_rationale = selectors.entry_rationale  # the Watchlist's public selector


def _entries(edition):
    return [{"entry": e, "rationale": entry_rationale(e)} for e in edition.entries.all()]


@require_safe
def watchlist_index(request):
    editions = selectors.published_editions()
    current = editions[0] if editions else None
    return render(request, "publishing/watchlist_index.html", {
        "current": current, "entries": _entries(current) if current else [], "archive": editions[1:],
        "backtest": selectors.backtest_rows(),
    })


@require_safe
def watchlist_edition(request, slug):
    edition = selectors.edition_get(slug)
    return render(request, "publishing/watchlist_edition.html", {"edition": edition, "entries": _entries(edition)})


@require_safe
def press_release(request, slug):
    edition = selectors.edition_get(slug)
    lang = get_language()
    verbatim = getattr(edition, f"press_release_text_{lang}")
    parts = {field: label_text(edition, field, lang)
             for field in ("pr_title", "pr_dateline", "pr_lead", "pr_about", "pr_contact")}
    return render(request, "publishing/press_release.html", {
        "edition": edition, "verbatim": verbatim, "parts": parts, "entries": _entries(edition),
        "other_languages": [code for code in ("en", "ru", "fr", "es", "ar")
                            if code != lang and getattr(edition, f"press_release_text_{code}")],
    })


class WatchlistFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Civic Space Monitor Watchlist")

    def link(self):
        return reverse("publishing:watchlist_index")

    def description(self):
        return _("Countries where civic space is declining fast, published before sessions of the UN Human "
                 "Rights Council.")

    def items(self):
        return selectors.published_editions()[:30]

    def item_title(self, edition):
        return f"{edition.title}: {', '.join(e.country.name for e in edition.entries.all())}"

    def item_description(self, edition):
        return edition.pr_title or edition.title

    def item_pubdate(self, edition):
        return edition.published_at
