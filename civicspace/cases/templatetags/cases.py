from django import template

from civicspace.cases import presentation
from civicspace.cases.models import KIND_LABELS, STATUS_LABELS

register = template.Library()


@register.simple_tag
def case_title(case):
    return presentation.title(case)


@register.simple_tag
def case_description(case):
    return presentation.description(case)


@register.simple_tag
def case_status_text(case):
    return presentation.status_text(case)


@register.filter
def case_status_label(code):
    return STATUS_LABELS.get(code, code)


@register.filter
def case_event_label(code):
    return KIND_LABELS.get(code, code)


@register.inclusion_tag("cases/_country_section.html", takes_context=True)
def country_cases(context, country):
    """The country page's section (one line in publishing/country_detail.html)."""
    from civicspace.cases.selectors import country_summary

    summary = country_summary(country)
    return {"country": country, "request": context.get("request"), **summary}


@register.inclusion_tag("cases/_findings_section.html")
def cases_deprived_on(day):
    """The findings page's count of people deprived of liberty at the end of the reporting year."""
    from civicspace.cases.selectors import deprived_on

    rows = deprived_on(day)
    return {"day": day, "rows": rows, "total": sum(n for _c, _v, n in rows)}
