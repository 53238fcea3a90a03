"""How a case is described in public: a person not named with a reason is described by role, organisation and
status ("a journalist of Temirov Live, detained since January 2024"); the confidential name is never read here
except through Case.public_name()."""
from django.utils.translation import gettext as _

from civicspace.core.l10n import partial_date_text

from .models import STATUS_LABELS, SubjectType


def role_text(case):
    """'a journalist of Temirov Live', 'a human rights defender', 'a person'."""
    role = case.victim_type.label.lower() if case.victim_type else ""
    if case.subject_type == SubjectType.ORGANISATION:
        return case.organisation
    if role and case.organisation:
        return _("a %(role)s of %(organisation)s") % {"role": role, "organisation": case.organisation}
    if role:
        return _("a %(role)s") % {"role": role}
    if case.organisation:
        return _("a person working with %(organisation)s") % {"organisation": case.organisation}
    return _("a person")


def status_text(case):
    """'detained since January 2024' from the case's derived status (case.rule)."""
    rule = case.rule
    when = partial_date_text(rule.since, rule.since_precision)
    if not when:
        return str(STATUS_LABELS[rule.status]).lower()
    phrases = {
        "detained": _("detained since %(date)s"),
        "house_arrest": _("under house arrest since %(date)s"),
        "serving": _("serving a prison sentence since %(date)s"),
        "released": _("released in %(date)s") if rule.since_precision != "day" else _("released on %(date)s"),
        "closed": _("case closed in %(date)s") if rule.since_precision != "day" else _("case closed on %(date)s"),
        "at_liberty": _("at liberty"),
        "restricted": _("restricted since %(date)s"),
        "liquidated": _("liquidation ordered in %(date)s") if rule.since_precision != "day"
        else _("liquidation ordered on %(date)s"),
        "operating": _("operating since %(date)s"),
    }
    return phrases[rule.status] % {"date": when}


def title(case):
    """The heading of a case: its public name, else the description of the person."""
    name = case.shown_name
    if name:
        return name
    text = role_text(case)
    return text[:1].upper() + text[1:]


def description(case):
    """One line: who (name or role) and where the case stands."""
    if case.subject_type == SubjectType.ORGANISATION:
        return f"{case.organisation}, {status_text(case)}"
    if case.shown_name:
        return f"{case.shown_name} ({role_text(case)}), {status_text(case)}"
    return f"{role_text(case)}, {status_text(case)}"
