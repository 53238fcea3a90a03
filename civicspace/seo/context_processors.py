"""Absolute addresses for the head of every page: the canonical URL, hreflang alternates with x-default, the
Open Graph locale and the default social card."""
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from .sitemaps import LANGS, absolute, without_language

# Query parameters that choose a different thing rather than filter or page a list (kept in the canonical URL).
CANONICAL_PARAMS = ("edition", "from", "to")
OG_LOCALES = {"en": "en_GB", "ru": "ru_RU", "fr": "fr_FR", "es": "es_ES", "ar": "ar_AR"}


def seo(request):
    lang = get_language()
    if lang not in LANGS:
        return {}
    path = request.path
    kept = [(key, request.GET[key]) for key in CANONICAL_PARAMS if request.GET.get(key)]
    query = "&".join(f"{key}={value}" for key, value in kept if value.replace("-", "").isalnum())
    canonical = absolute(path) + (f"?{query}" if query else "")
    alternates = []
    for code in LANGS:
        url = translate_url(path, code)
        alternates.append({"code": code, "url": absolute(url) + (f"?{query}" if query else "")})
    alternates.append({"code": "x-default", "url": absolute(without_language(translate_url(path, "en")))
                       + (f"?{query}" if query else "")})
    return {
        "seo_canonical": canonical,
        "seo_alternates": alternates,
        "seo_og_locale": OG_LOCALES.get(lang, lang),
        "seo_og_locale_alternates": [OG_LOCALES[c] for c in LANGS if c != lang],
        "seo_default_card": absolute(reverse("seo_i18n:card_site")),
        "seo_site_url": settings.SITE_URL,
    }
