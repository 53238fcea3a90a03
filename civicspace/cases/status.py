"""Where a case stands, derived from its events. Pure Python, no Django: plain data in and out.

A case's events are (kind, date, precision, details) tuples. Nothing about the status is stored: the status, the
date it started and the days a person has been deprived of liberty are computed here, from the verified events,
whenever they are shown, so they cannot disagree with the events.

People: at liberty -> detained / under house arrest -> sentenced and serving -> released -> closed.
Organisations: operating -> restricted (designated, registration refused, premises sealed) -> liquidated.
"Deprived of liberty" means detained, under house arrest or serving a custodial sentence.
"""
from dataclasses import dataclass
from datetime import date, timedelta

# Statuses
AT_LIBERTY = "at_liberty"
DETAINED = "detained"
HOUSE_ARREST = "house_arrest"
SERVING = "serving"
RELEASED = "released"
CLOSED = "closed"
OPERATING = "operating"
RESTRICTED = "restricted"
LIQUIDATED = "liquidated"
PERSON_STATUSES = (AT_LIBERTY, DETAINED, HOUSE_ARREST, SERVING, RELEASED, CLOSED)
ORGANISATION_STATUSES = (OPERATING, RESTRICTED, LIQUIDATED)
STATUSES = PERSON_STATUSES + ORGANISATION_STATUSES
DEPRIVED = frozenset({DETAINED, HOUSE_ARREST, SERVING})
BEHIND_BARS = frozenset({DETAINED, SERVING})  # the headline "detained today": held in a cell, not at home

# Sentence kinds of a verdict, outcomes of an appeal
CUSTODIAL = "custodial"
NON_CUSTODIAL = "non_custodial"  # probation, suspended sentence, fine, community work
ACQUITTED = "acquitted"
SENTENCE_KINDS = (CUSTODIAL, NON_CUSTODIAL, ACQUITTED)
UPHELD = "upheld"
OVERTURNED = "overturned"
REDUCED = "reduced"
RETRIAL = "retrial"
PENDING = "pending"
APPEAL_OUTCOMES = (UPHELD, OVERTURNED, REDUCED, RETRIAL, PENDING)

# Event kinds, in the order they happen on one day (an arrest comes before the court's pre-trial detention).
PERSON_KINDS = ("arrest", "charge", "pretrial_detention", "house_arrest", "travel_ban", "hearing", "verdict",
                "appeal", "release", "pardon", "acquittal", "charges_dropped", "exile", "death_in_custody")
ORGANISATION_KINDS = ("raid", "premises_sealed", "designation", "registration_refused", "liquidation_ordered",
                      "org_appeal", "reinstated")
KINDS = PERSON_KINDS + ORGANISATION_KINDS
_RANK = {kind: n for n, kind in enumerate(KINDS)}
PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class Event:
    kind: str
    date: date
    precision: str = "day"
    sentence: str = ""  # verdict: custodial, non_custodial or acquitted
    sentence_days: int | None = None  # custodial verdict: the term, when known
    outcome: str = ""  # appeal: upheld, overturned, reduced, retrial or pending


@dataclass(frozen=True)
class CaseStatus:
    status: str
    since: date | None  # when the current status started (None: at liberty/operating from the start)
    since_precision: str | None
    days_deprived: int  # days deprived of liberty, all periods together, up to today
    deprived_since: date | None  # start of the current period of deprivation, if deprived now
    approximate: bool  # a date bounding a period of deprivation is known only to the month or year
    ended: bool  # the case is over (closed, or an organisation's liquidation)

    @property
    def deprived(self):
        return self.status in DEPRIVED


def sort_key(kind, when):
    return (when, _RANK.get(kind, len(KINDS)))


def ordered(events):
    """Events in date order; on one day, in the order things happen (KINDS); identical days and kinds in a fixed
    order of their other fields, so the result never depends on the order they were given in."""
    return sorted(events, key=lambda e: (*sort_key(e.kind, e.date), e.precision, e.sentence, e.outcome,
                                         e.sentence_days or 0))


def _next_person(current, event):
    """The status after one event of a person's case (None: unchanged)."""
    kind = event.kind
    if current == CLOSED:
        return None
    was_deprived = current in DEPRIVED or current == RELEASED

    def free():
        return RELEASED if was_deprived else AT_LIBERTY

    if kind in ("arrest", "pretrial_detention"):
        return DETAINED
    if kind == "house_arrest":
        return HOUSE_ARREST
    if kind == "travel_ban":
        return free() if current in DEPRIVED else None
    if kind == "verdict":
        if event.sentence == CUSTODIAL:
            return SERVING
        if event.sentence == ACQUITTED:
            return CLOSED
        if event.sentence == NON_CUSTODIAL:
            return free()
        return None
    if kind == "appeal":
        if event.outcome == OVERTURNED:
            return CLOSED
        if event.outcome == RETRIAL and current == SERVING:
            return DETAINED  # the conviction is annulled; held again as an accused, until a new verdict
        return None
    if kind == "release":
        return free()
    if kind in ("pardon", "acquittal", "charges_dropped", "exile", "death_in_custody"):
        return CLOSED
    return None


def _next_organisation(current, event):
    kind = event.kind
    if kind in ("premises_sealed", "designation", "registration_refused"):
        return RESTRICTED if current != LIQUIDATED else None
    if kind == "liquidation_ordered":
        return LIQUIDATED
    if kind == "reinstated":
        return OPERATING
    if kind == "org_appeal" and event.outcome == OVERTURNED:
        return OPERATING
    return None


def case_status(events, *, subject="person", today=None):
    """The CaseStatus of a case from its (verified) events; events after `today` are ignored.

    Days deprived count every day from the start of a deprivation (detention, house arrest, custodial sentence)
    up to the day before it ended, or up to and including today while it lasts. A custodial sentence of known
    length ends by itself when its term (counted from the first day of deprivation of the period) has run.
    """
    today = today or date.today()
    is_person = subject == "person"
    current = AT_LIBERTY if is_person else OPERATING
    since = since_precision = None
    days = 0
    period_start = None  # (date, precision) of the current period of deprivation
    approximate = False
    term_end = None
    step = _next_person if is_person else _next_organisation

    def close_period(end):
        nonlocal days, period_start, approximate
        if period_start is not None:
            days += max(0, (end - period_start[0]).days)
            approximate = approximate or period_start[1] != "day"
            period_start = None

    for event in ordered(e for e in events if e.date <= today):
        if is_person and term_end is not None and current == SERVING and event.date >= term_end:
            close_period(term_end)
            current, since, since_precision, term_end = RELEASED, term_end, "day", None
        new = step(current, event)
        if new is None or (new == current and new != SERVING):
            continue
        if is_person:
            if new in DEPRIVED and period_start is None:
                period_start = (event.date, event.precision)
            elif new not in DEPRIVED and period_start is not None:
                close_period(event.date)
                approximate = approximate or event.precision != "day"
            if new == SERVING:
                term_end = (period_start[0] + timedelta(days=event.sentence_days)
                            if event.sentence_days else None)
            elif new != SERVING:
                term_end = None
        if new == current:
            continue
        current, since, since_precision = new, event.date, event.precision
    if is_person and term_end is not None and current == SERVING and term_end <= today:
        close_period(term_end)
        current, since, since_precision = RELEASED, term_end, "day"
    deprived_since = period_start[0] if period_start else None
    if period_start is not None:
        days += (today - period_start[0]).days + 1
        approximate = approximate or period_start[1] != "day"
    return CaseStatus(status=current, since=since, since_precision=since_precision, days_deprived=days,
                      deprived_since=deprived_since, approximate=approximate,
                      ended=current in (CLOSED, LIQUIDATED))


def deprived_on(events, day, *, subject="person"):
    """Whether the person was deprived of liberty on `day` (e.g. the last day of a reporting year)."""
    return case_status(events, subject=subject, today=day).status in DEPRIVED
