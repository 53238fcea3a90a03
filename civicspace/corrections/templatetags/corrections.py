from django import template
from django.utils.translation import get_language

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def corrections_for(context, kind, item_id):
    """Published corrections and replies shown on one item's page: one query per page, however often the page
    asks (the banner under the title and the section at the end)."""
    key = selectors.page_key(kind, item_id)
    memo = _memo(context)
    if key not in memo:
        memo[key] = selectors.public_for_page(key)
    return memo[key]


def _memo(context):
    request = context.get("request")
    if request is None:
        return {}
    if not hasattr(request, "_corrections_for"):
        request._corrections_for = {}
    return request._corrections_for


@register.simple_tag
def reply_shown(record):
    return selectors.reply_shown(record, get_language())


@register.inclusion_tag("corrections/_corrected_banner.html", takes_context=True)
def corrected_banner(context, kind, item_id):
    """"Corrected on <date>" under an item's title, linking to the note at the end of the page."""
    records = corrections_for(context, kind, item_id)
    return {"corrections": [r for r in records if r.request_type == "correction"]}
