from django import template
from django.utils.formats import number_format

from civicspace.ratings.labels import RATING_NAMES

register = template.Library()


@register.filter
def rating_name(code):
    return RATING_NAMES.get(code, "")


@register.inclusion_tag("publishing/_rating_badge.html")
def rating_badge(code):
    return {"code": code, "name": RATING_NAMES.get(code, "")}


@register.filter
def score(value):
    """A published score with its two decimals, in the active language's number format; '' when unknown."""
    if value is None:
        return ""
    return number_format(value, decimal_pos=2)


@register.simple_tag
def localised(update, field):
    """An update's text in the active language when its translation is reviewed, else in the original."""
    from civicspace.monitoring.selectors import update_text

    return update_text(update, field)[0]


@register.simple_tag
def partial_date(value, precision):
    """A date shown only as precisely as it is known: 15 January 2024, January 2024, or 2024 (in the language's
    own formats: civicspace/core/l10n.py)."""
    from civicspace.core.l10n import partial_date_text

    return partial_date_text(value, precision)


@register.filter
def transition_label(name):
    from civicspace.monitoring.permissions import TRANSITION_LABELS

    return TRANSITION_LABELS.get(name, name)


@register.simple_tag
def stage_label(code):
    from civicspace.legislation.models import STAGE_LABELS

    return STAGE_LABELS.get(code, code)


@register.inclusion_tag("publishing/_stage.html")
def stage_badge(code):
    from civicspace.legislation.models import STAGE_LABELS
    from civicspace.legislation.timeline import STAGE_BY_CODE

    stage = STAGE_BY_CODE.get(code)
    return {"label": STAGE_LABELS.get(code, code), "phase": stage.phase if stage else ""}


@register.simple_tag
def bill_title(bill):
    from civicspace.legislation.selectors import bill_text

    return bill_text(bill, "short_title")


@register.filter
def percent(value):
    """0.4321 -> '43.2%' in the active language's number format; '—' when unknown."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, decimal_pos=1)}%"


@register.filter
def people(value):
    """A population with the active language's digit grouping."""
    return number_format(value or 0, decimal_pos=0, force_grouping=True)


@register.filter
def markdown(text):
    """Markdown as the public page renders it (comments and raw HTML removed): the partner's preview."""
    from civicspace.core.text import render_markdown

    return render_markdown(text)
