from django import template
from django.utils.translation import get_language

from .. import selectors

register = template.Library()


@register.simple_tag
def corrections_for(kind, item_id):
    """Published corrections and replies shown on one item's page (one query)."""
    return selectors.public_for_page(selectors.page_key(kind, item_id))


@register.simple_tag
def reply_shown(record):
    return selectors.reply_shown(record, get_language())
