"""Template tags for the language's punctuation and dates (civicspace/core/l10n.py says the rules).

    {% translate "Source" %}{% colon %} …                   «Source : …» in French
    {% for x in xs %}{{ x }}{% if not forloop.last %}{% list_sep %}{% endif %}{% endfor %}
    {{ names|join_list }}                                   «أ، ب» in Arabic
    {{ clauses|join_clauses }}                              «أ؛ ب» in Arabic, «a ; b» in French
    {% arrow %}                                             → or ← by the reading direction
    {% partial_date value precision %}                      10 марта 2025 г. / diciembre de 2025 / 2024
"""
from django import template

from civicspace.core import l10n

register = template.Library()


@register.simple_tag
def colon():
    return l10n.colon()


@register.simple_tag
def list_sep():
    return l10n.list_separator()


@register.filter
def join_list(items):
    return l10n.join_list(items)


@register.simple_tag
def clause_sep():
    return l10n.clause_separator()


@register.filter
def join_clauses(items):
    return l10n.join_clauses(items)


@register.simple_tag
def arrow():
    return l10n.change_arrow()


@register.simple_tag
def partial_date(value, precision):
    return l10n.partial_date_text(value, precision)


@register.filter
def isodate(value):
    """An ISO date string ("2025-03-01", as the methodology versions write dates) in the language's DATE_FORMAT;
    anything else unchanged."""
    import datetime as dt

    try:
        return l10n.partial_date_text(dt.date.fromisoformat(str(value)), "day")
    except ValueError:
        return value
