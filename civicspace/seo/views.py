"""robots.txt, the web app manifest, the icon and the social-card images. Thin: selectors in, bytes out."""
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi, gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from civicspace.pagecache.services import current_generation

from . import cards, selectors

ONE_DAY = 24 * 3600


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def robots_txt(request):
    """Public pages allowed; workspace, admin, accounts, search results and filter combinations disallowed
    (a query string selects a filter or a page; each thing has one URL without it, listed in the sitemaps)."""
    lines = ["User-agent: *", "Allow: /"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/workspace/", f"Disallow: /{code}/admin/", f"Disallow: /{code}/accounts/",
                  f"Disallow: /{code}/search/"]
    lines += ["Disallow: /*?", "Disallow: /api/", "Allow: /api/v1/docs", "",
              f"Sitemap: {settings.SITE_URL}{reverse('seo:sitemap_index')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=7 * ONE_DAY)
def favicon(request):
    """/favicon.ico, which browsers ask for by themselves (served from the static files)."""
    path = finders.find("civicspace/icons/favicon.ico")
    if path is None:  # collected static files only (production without the finders' sources)
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def manifest(request):
    """The web app manifest in the page's language (name, direction, icons, colours)."""
    lang = get_language()
    data = {
        "name": _("Civic Space Monitor"),
        "short_name": _("Civic Space"),
        "description": _("Ratings of civic space in 198 countries and territories: the freedoms of association, "
                         "peaceful assembly and expression."),
        "lang": lang,
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("publishing:home"),
        "scope": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": cards.BAND,
        "icons": [
            {"src": static("civicspace/icons/icon.svg"), "type": "image/svg+xml", "sizes": "any"},
            {"src": static("civicspace/icons/icon-192.png"), "type": "image/png", "sizes": "192x192"},
            {"src": static("civicspace/icons/icon-512.png"), "type": "image/png", "sizes": "512x512"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/manifest+json")


def _png_response(kind, key, render):
    """A card from the cache of the current publication generation, drawn when missing (render reads the data
    and raises 404 for an unknown thing): a publication starts a new generation, so the next request draws the
    card again."""
    generation = current_generation()
    cache_key = f"og:{generation}:{get_language()}:{kind}:{key}"
    png = cache.get(cache_key) if generation is not None else None
    if png is None:
        png = render()
        if generation is not None:
            cache.set(cache_key, png, ONE_DAY)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def card_site(request):
    return _png_response("site", "home", lambda: cards.site_card(rtl=get_language_bidi(), **selectors.site_card_data()))


@require_safe
def card_country(request, slug):
    return _png_response("country", slug, lambda: cards.country_card(rtl=get_language_bidi(),
                                                                  **selectors.country_card_data(slug)))


@require_safe
def card_watchlist(request, slug):
    return _png_response("watchlist", slug, lambda: cards.list_card(rtl=get_language_bidi(),
                                                                  **selectors.watchlist_card_data(slug)))


@require_safe
def card_findings(request, slug):
    return _png_response("findings", slug, lambda: cards.list_card(rtl=get_language_bidi(),
                                                                  **selectors.findings_card_data(slug)))
