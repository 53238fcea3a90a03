"""Head tags for search engines and link previews: a block rendered twice (the page's title as og:title), and
JSON-LD that cannot break out of its script element."""
import html
import json
import re

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The text of the page's block `name` as plain text (the <title> block again for og:title), rendered the
    way Django renders a block: the most derived override, with block.super available."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    if block_context is None:
        return ""
    block = block_context.pop(name)
    if block is None:
        return ""
    try:
        with context.push():
            node = type(block)(block.name, block.nodelist)
            node.context = context
            context["block"] = node
            rendered = block.nodelist.render(context)
    finally:
        block_context.push(name, block)
    # Collapse the template's line breaks and indentation only (a French no-break space stays).
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(strip_tags(rendered))).strip()


@register.filter
def json_ld(data):
    """A dict as JSON for <script type="application/ld+json">: '<', '>' and '&' escaped so no text in it can
    close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))


@register.simple_tag
def breadcrumbs_ld(*pairs):
    """{% breadcrumbs_ld name1 url1 name2 url2 ... %} → a BreadcrumbList script element (the last URL may be '')."""
    from civicspace.seo.structured import breadcrumbs

    trail = [(pairs[i], pairs[i + 1] or None) for i in range(0, len(pairs) - 1, 2)]
    return mark_safe(f'<script type="application/ld+json">{json_ld(breadcrumbs(trail))}</script>')


@register.simple_tag
def ld_script(data):
    return mark_safe(f'<script type="application/ld+json">{json_ld(data)}</script>')


def _site_name():
    from django.utils.translation import gettext

    return gettext("Civic Space Monitor")


@register.simple_tag
def press_release_ld(edition, parts, entries):
    """A Watchlist press release as a schema.org NewsArticle (headline, date, the countries it names)."""
    from django.urls import reverse
    from django.utils.translation import get_language

    from civicspace.seo.structured import news_article

    published = edition.published_at or edition.target_date
    data = news_article(
        headline=parts.get("pr_title") or edition.title, published=published,
        url=reverse("publishing:press_release", args=[edition.slug]), lang=get_language(), site_name=_site_name(),
        image=reverse("seo_i18n:card_watchlist", args=[edition.slug]),
        places=[item["entry"].country.name for item in entries])
    return ld_script(data)


@register.simple_tag
def findings_ld(findings):
    """The findings of an edition as a schema.org Report."""
    from django.urls import reverse
    from django.utils.translation import get_language, gettext

    from civicspace.seo.structured import report

    edition = findings.edition
    data = report(headline=gettext("The state of civic space: %(edition)s") % {"edition": edition.title},
                  published=edition.published, url=reverse("findings:edition", args=[edition.slug]),
                  lang=get_language(), site_name=_site_name(),
                  image=reverse("seo_i18n:card_findings", args=[edition.slug]),
                  about={"@type": "Thing", "name": "civic space"})
    return ld_script(data)


@register.simple_tag
def dataset_ld(release, temporal):
    """One data release as a schema.org Dataset."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from civicspace.seo.structured import dataset

    description = gettext("Civic space in 198 countries and territories: published ratings by edition, updates "
                          "and incidents documented by research partners, laws affecting civic space and their "
                          "stages, and the Watchlist, as CSV and JSON with a codebook.")
    return ld_script(dataset(release, site_name=_site_name(), description=description, temporal=temporal,
                             page_url=reverse("exports:release_detail", args=[release["version"]])))
