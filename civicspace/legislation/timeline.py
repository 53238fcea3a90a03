"""Stages of a bill and the rules of a possible timeline. Pure Python, no Django: plain data in and out.

A timeline is a list of (stage code, date). The current stage is derived from it here only (current_event); the
product stores what this derivation returns on the bill, so lists can filter on it. A timeline is
valid when its events, in date order, only move a bill forward through the legislative process, when special
stages come after what they need (a veto override after a veto, a repeal after the law took effect), when
nothing follows an end (withdrawn, lapsed, struck down, repealed), and when no date is in the future.
"""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Stage:
    code: str
    rank: int  # position in the legislative process; a later event may not have a lower rank
    phase: str  # "pending", "enacted" or "ended": used for counts and filters
    requires: tuple = ()  # at least one of these must come earlier
    final: bool = False  # nothing may follow


STAGES = (
    Stage("drafted", 0, "pending"),
    Stage("introduced", 1, "pending"),
    Stage("committee", 2, "pending"),
    Stage("first_reading", 3, "pending"),
    Stage("second_reading", 4, "pending"),
    Stage("third_reading", 5, "pending"),
    Stage("passed_legislature", 6, "pending"),
    Stage("passed_upper_chamber", 7, "pending"),
    Stage("sent_to_head_of_state", 8, "pending"),
    Stage("vetoed", 9, "pending"),
    Stage("veto_overridden", 10, "enacted", requires=("vetoed",)),
    Stage("signed", 10, "enacted"),
    Stage("published", 11, "enacted"),
    Stage("in_force", 12, "enacted"),
    Stage("amended", 13, "enacted", requires=("signed", "veto_overridden", "published", "in_force")),
    Stage("withdrawn", 99, "ended", final=True),
    Stage("lapsed", 99, "ended", final=True),
    Stage("struck_down", 99, "ended", requires=("signed", "veto_overridden", "published", "in_force", "amended"),
          final=True),
    Stage("repealed", 99, "ended", requires=("signed", "veto_overridden", "published", "in_force", "amended"),
          final=True),
)
STAGE_BY_CODE = {stage.code: stage for stage in STAGES}
STAGE_CODES = tuple(stage.code for stage in STAGES)
PENDING = frozenset(s.code for s in STAGES if s.phase == "pending")
ENACTED = frozenset(s.code for s in STAGES if s.phase == "enacted")
ENDED = frozenset(s.code for s in STAGES if s.phase == "ended")
# Ends that may come at any point before enactment, whatever the rank of what came before.
_ENDS_ANYTIME = {"withdrawn", "lapsed"}


@dataclass(frozen=True)
class TimelineError:
    index: int  # position of the offending event in the list given
    field: str  # "stage" or "date"
    message: str  # plain English, for logs and tests; the product shows a translation built from code/params
    code: str = ""
    params: tuple = ()


def ordered(events):
    """Events sorted by date, then by their place in the process (same-day readings keep their order)."""
    indexed = list(enumerate(events))
    return sorted(indexed, key=lambda item: (item[1][1], STAGE_BY_CODE[item[1][0]].rank
                                             if item[1][0] in STAGE_BY_CODE else 0))


def validate(events, *, today=None):
    """Every problem of a timeline, as TimelineError; an empty list means it is possible."""
    today = today or date.today()
    errors = []
    for index, (code, when) in enumerate(events):
        if code not in STAGE_BY_CODE:
            errors.append(TimelineError(index, "stage", f"unknown stage '{code}'", "unknown_stage", (code,)))
        if when > today:
            errors.append(TimelineError(index, "date", f"{when.isoformat()} is in the future", "future", (when,)))
    if errors:
        return errors
    seen, highest, ended_by = [], None, None
    for index, (code, when) in ordered(events):
        stage = STAGE_BY_CODE[code]
        if ended_by is not None:
            errors.append(TimelineError(index, "stage", f"'{code}' on {when.isoformat()} comes after the bill "
                                                        f"was {ended_by[0]} on {ended_by[1].isoformat()}",
                                        "after_end", (code, when, *ended_by)))
            continue
        if stage.requires and not any(required in seen for required in stage.requires):
            errors.append(TimelineError(index, "stage", f"'{code}' needs an earlier "
                                                        f"{' or '.join(repr(r) for r in stage.requires)}",
                                        "requires", (code, stage.requires)))
        if (highest is not None and stage.rank < highest[0].rank and code not in _ENDS_ANYTIME
                and code != "amended"):
            errors.append(TimelineError(
                index, "date", f"'{code}' on {when.isoformat()} cannot come after '{highest[0].code}' on "
                               f"{highest[1].isoformat()}", "backwards", (code, when, highest[0].code, highest[1])))
        if highest is None or stage.rank > highest[0].rank and stage.rank < 99:
            highest = (stage, when)
        if code in _ENDS_ANYTIME and seen and any(s in ENACTED for s in seen):
            errors.append(TimelineError(index, "stage", f"a law already enacted cannot be '{code}'",
                                        "enacted_cannot_end", (code,)))
        if stage.final:
            ended_by = (code, when)
        seen.append(code)
    return errors


def current_event(events):
    """The index (in `events`) of the event a bill is at: its last event in process order (the latest date; on
    one day the later stage of the process; then the later in the list). None without events. This is the one
    rule for a bill's current stage: the product stores what it returns (legislation/services.bill_stage_refresh)."""
    if not events:
        return None
    return ordered(events)[-1][0]


def current_stage(events):
    """The stage a bill is at; None without events."""
    index = current_event(events)
    return None if index is None else events[index][0]
