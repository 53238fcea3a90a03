"""Sitemaps per language (Django's sitemaps framework), listed in one sitemap index.

Each URL carries its alternates in the five languages and an `x-default` (the address without a language
prefix, which sends a visitor to their own language), all absolute on SITE_URL; `lastmod` comes from the
publication data (the rating edition, the update's publication, the bill's last verified stage ...).
"""
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from civicspace.methodology.bands import RATING_CODES

from . import selectors

LANGS = [code for code, _name in settings.LANGUAGES]


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def without_language(path):
    """/en/countries/kgz/ -> /countries/kgz/ (LocaleMiddleware redirects it to the reader's language)."""
    for code in LANGS:
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1:]
    return path


def localised(lang, name, *args):
    with translation.override(lang):
        return reverse(name, args=args)


def _pages():
    """The public pages that are one per site (lists, indexes, the methodology) and one per rating."""
    names = ["publishing:home", "publishing:country_list", "publishing:ratings_index", "publishing:methodology",
             "publishing:update_list", "publishing:law_list", "publishing:watchlist_index", "exports:data_index",
             "findings:compare", "cases:case_list", "publishing:accessibility", "corrections:record_list",
             "mirror:mirrors"]
    rows = [((name,), None) for name in names]
    rows += [(("publishing:rating_detail", code), None) for code in RATING_CODES]
    return rows


SECTIONS = {
    # name: (rows: [(item, lastmod)], url args of an item: item -> (url name, *args))
    "pages": (_pages, lambda key: key),
    "countries": (selectors.sitemap_countries, lambda c: ("publishing:country_detail", c.slug)),
    "updates": (selectors.sitemap_updates, lambda u: ("publishing:update_detail", u.pk)),
    "laws": (selectors.sitemap_laws, lambda b: ("publishing:bill_detail", b.pk)),
    "cases": (selectors.sitemap_cases, lambda c: ("cases:case_detail", c.pk)),
    "watchlist": (selectors.sitemap_watchlist, lambda e: ("publishing:watchlist_edition", e.slug)),
    "press-releases": (selectors.sitemap_watchlist, lambda e: ("publishing:press_release", e.slug)),
    "findings": (selectors.sitemap_findings, lambda e: ("findings:edition", e.slug)),
    "rating-changes": (selectors.sitemap_editions, lambda e: ("publishing:edition_changes", e.slug)),
}


class LanguageSection(Sitemap):
    """One section's URLs in one language, each with its alternates."""

    limit = 50000

    def __init__(self, lang, section, shared=None):
        self.lang, self.section = lang, section
        self.rows_fn, self.route = SECTIONS[section]
        self._shared = {} if shared is None else shared  # the rows of a section, read once for all languages

    def items(self):
        if self.section not in self._shared:
            self._shared[self.section] = list(self.rows_fn())
        return self._shared[self.section]

    def get_latest_lastmod(self):
        dates = [lastmod for _item, lastmod in self.items() if lastmod]
        return max(dates) if dates else None

    def _urls(self, page, protocol, domain):
        urls, latest = [], None
        for item, lastmod in self.paginator.page(page).object_list:
            name, *args = self.route(item)
            paths = {code: localised(code, name, *args) for code in LANGS}
            alternates = [{"lang_code": code, "location": absolute(paths[code])} for code in LANGS]
            alternates.append({"lang_code": "x-default", "location": absolute(without_language(paths["en"]))})
            urls.append({"item": item, "location": absolute(paths[self.lang]), "lastmod": lastmod,
                         "changefreq": None, "priority": None, "alternates": alternates})
            if lastmod and (latest is None or lastmod > latest):
                latest = lastmod
        self.latest_lastmod = latest
        return urls


def all_sections():
    """{"en-countries": LanguageSection, ...} in a stable order: languages, then sections."""
    shared = {}
    return {f"{lang}-{section}": LanguageSection(lang, section, shared) for lang in LANGS for section in SECTIONS}
