from django import template
from django.utils.formats import number_format

from civicspace.core.l10n import decimal_text
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
    return decimal_text(value, 2)


@register.simple_tag
def localised(update, field):
    """An update's text in the active language when its translation is reviewed, else in the original, marked
    with its language (and isolated, dir="auto") when that is not the page's, so that screen readers pronounce it
    and its punctuation lands on the right side in a right-to-left page."""
    from django.utils.html import format_html
    from django.utils.translation import get_language

    from civicspace.monitoring.selectors import update_text

    text, lang = update_text(update, field)
    if not text or lang == (get_language() or "en")[:2]:
        return text
    return format_html('<span lang="{}" dir="auto">{}</span>', lang, text)


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


@register.simple_tag
def bill_title_lang(bill):
    """The language of what bill_title shows (its original when the reader's translation is not reviewed)."""
    from civicspace.legislation.selectors import bill_text_with_language

    return bill_text_with_language(bill, "short_title")[1]


@register.simple_tag
def localised_lang(update, field):
    """The language of what `localised` shows, for the element's lang attribute."""
    from civicspace.monitoring.selectors import update_text

    return update_text(update, field)[1]


@register.filter
def percent(value):
    """0.4321 -> '43.2%' in the active language's number format; '—' when unknown."""
    if value is None:
        return "—"
    return f"{decimal_text(value * 100, 1)}%"


@register.filter
def level_percent(value):
    """A probability level as people write it: 0.9 -> '90%', 0.975 -> '97.5%' (the active language's format)."""
    if value is None:
        return "—"
    points = round(value * 100, 1)
    return f"{decimal_text(points, 0 if points == int(points) else 1)}%"


@register.filter
def signed(value, decimals=2):
    """A difference with its sign always shown: '+4.25', '−4.25' (a minus sign, not a hyphen), '0.00'."""
    if value is None:
        return "—"
    rounded = round(float(value), int(decimals))
    text = decimal_text(abs(rounded), int(decimals))
    return f"+{text}" if rounded > 0 else f"\u2212{text}" if rounded < 0 else text


@register.filter
def people(value):
    """A population with the active language's digit grouping."""
    return number_format(value or 0, decimal_pos=0, force_grouping=True)


@register.filter
def markdown(text):
    """Markdown as the public page renders it (comments and raw HTML removed): the partner's preview."""
    from civicspace.core.text import render_markdown

    return render_markdown(text)


@register.filter
def index_text(rule, key):
    """An external index's `name`, `publisher` or `available` in the active language (from the methodology
    version's own translations)."""
    from django.utils.translation import get_language

    return rule.text(key, (get_language() or "en").split("-")[0])


@register.filter
def population_source(note):
    """A population figure's source ("World Bank SP.POP.TOTL") in the active language, as the active methodology
    version translates it."""
    from django.utils.translation import get_language

    from civicspace.methodology import config as methodology_config

    return methodology_config.load().population_source(note, (get_language() or "en").split("-")[0])
