"""Public reads of cases: the one door for pages, API, feeds, search, exports and findings.

Only published cases, their verified events and charges and their sources are read here. Each case comes back
with `.rule` (status.CaseStatus computed from its verified events) and `.shown_name` (the name a public output may
show, '' for a person not named with a reason). A person's confidential name is never put on anything returned.
"""
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from . import status as rules
from .models import Case, CaseEvent, CaseSource, Charge, SubjectType

BEHIND_BARS = rules.BEHIND_BARS
DEPRIVED = rules.DEPRIVED
DEFENDER_TYPES = ("journalist", "hrd", "woman_hrd", "blogger", "lawyer", "environmental_defender")


def _verified_events():
    return Prefetch("events", queryset=CaseEvent.objects.filter(verified=True).select_related("source")
                    .order_by("date", "pk"), to_attr="public_events")


def _verified_charges():
    return Prefetch("charges", queryset=Charge.objects.filter(verified=True).select_related("bill", "source"),
                    to_attr="public_charges")


def published():
    """Published cases with what a public output needs, in two more queries (events, charges)."""
    return (Case.objects.published().select_related("country", "victim_type")
            .prefetch_related(_verified_events(), _verified_charges()))


def _decorate(case, today):
    events = getattr(case, "public_events", None)
    if events is None:
        events = list(case.events.filter(verified=True).select_related("source").order_by("date", "pk"))
        case.public_events = events
    case.public_events = sorted(events, key=lambda e: (rules.sort_key(e.kind, e.date), e.pk))
    case.rule = rules.case_status([e.as_rule_event() for e in case.public_events], subject=case.subject_type,
                                  today=today)
    case.shown_name = case.public_name()
    return case


def public_cases(*, country=None, status=None, subject_type=None, victim_type=None, charge=None, law=None,
                 today=None):
    """Published cases with their status, filtered. Status is derived in Python from the prefetched events, so
    the number of queries does not grow with the number of cases."""
    today = today or timezone.localdate()
    queryset = published()
    if country:
        queryset = queryset.filter(country=country)
    if subject_type:
        queryset = queryset.filter(subject_type=subject_type)
    if victim_type:
        queryset = queryset.filter(victim_type=victim_type)
    if charge:
        queryset = queryset.filter(charges__verified=True, charges__provision__icontains=charge)
    if law:
        queryset = queryset.filter(charges__verified=True, charges__bill=law)
    if charge or law:
        queryset = queryset.distinct()
    cases = [_decorate(c, today) for c in queryset.order_by("country__code", "pk")]
    if status:
        cases = [c for c in cases if c.rule.status == status]
    cases.sort(key=lambda c: (c.country.code, not c.rule.deprived, -(c.rule.days_deprived or 0), c.pk))
    return cases


def case_public_get(pk, *, today=None):
    try:
        case = (published().select_related("country__region")
                .prefetch_related(Prefetch("sources", queryset=CaseSource.objects.order_by("date", "pk")),
                                  "updates", "incidents__update")
                .get(pk=pk))
    except Case.DoesNotExist:
        raise Http404("No published case with this id") from None
    return _decorate(case, today or timezone.localdate())


def public_updates_of(case):
    return [u for u in case.updates.all() if u.status == "published"]


def public_incidents_of(case):
    return [i for i in case.incidents.all() if i.update.status == "published"]


def headline_counts(cases):
    """From decorated cases: people behind bars today, of them journalists and defenders, under house arrest."""
    people = [c for c in cases if c.subject_type == SubjectType.PERSON]
    behind = [c for c in people if c.rule.status in BEHIND_BARS]
    return {
        "behind_bars": len(behind),
        "defenders_behind_bars": sum(1 for c in behind if c.victim_type and c.victim_type.code in DEFENDER_TYPES),
        "house_arrest": sum(1 for c in people if c.rule.status == rules.HOUSE_ARREST),
        "organisations_restricted": sum(1 for c in cases if c.subject_type == SubjectType.ORGANISATION
                                        and c.rule.status in (rules.RESTRICTED, rules.LIQUIDATED)),
        "cases": len(cases),
    }


def country_summary(country, *, today=None):
    """The country page's section: counts and the cases, people deprived of liberty first."""
    cases = public_cases(country=country, today=today)
    return {"cases": cases, "counts": headline_counts(cases)}


def recent_events(*, country=None, case=None, limit=50):
    """Verified events of published cases, newest first (the Atom feeds)."""
    queryset = (CaseEvent.objects.filter(verified=True, case__state="published")
                .select_related("case__country", "case__victim_type", "source").order_by("-date", "-pk"))
    if country:
        queryset = queryset.filter(case__country=country)
    if case:
        queryset = queryset.filter(case=case)
    return list(queryset[:limit])


def deprived_on(day):
    """[(country, victim type or None, number)] of people deprived of liberty (detained, under house arrest or
    serving a sentence) on `day`, e.g. the last day of a reporting year (the findings page), from the published
    cases and their verified events."""
    counts = {}
    people = (Case.objects.published().filter(subject_type=SubjectType.PERSON)
              .select_related("country", "victim_type").prefetch_related(_verified_events()))
    for case in people:
        events = [e.as_rule_event() for e in case.public_events]
        if rules.deprived_on(events, day, subject=case.subject_type):
            key = (case.country, case.victim_type)
            counts[key] = counts.get(key, 0) + 1
    return sorted(((c, v, n) for (c, v), n in counts.items()),
                  key=lambda row: (row[0].code, row[1].position if row[1] else 999))


def pending_proposals():
    """For editors: proposed cases, unverified events and charges."""
    return {
        "cases": list(Case.objects.filter(state="proposed").select_related("country")),
        "events": list(CaseEvent.objects.filter(verified=False).select_related("case__country", "proposed_by")),
        "charges": list(Charge.objects.filter(verified=False).select_related("case__country", "proposed_by")),
    }
