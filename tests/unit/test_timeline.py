"""Bill timelines: which are possible, and the current stage derived from them."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicspace.legislation import timeline
from civicspace.legislation.timeline import current_stage, validate

TODAY = date(2024, 6, 1)
D = date.fromisoformat


def messages(events):
    return [(e.index, e.field, e.message) for e in validate(events, today=TODAY)]


def test_a_normal_passage_is_valid_and_ends_where_it_got_to():
    events = [("introduced", D("2023-11-01")), ("first_reading", D("2023-12-01")), ("second_reading", D("2024-02-01")),
              ("third_reading", D("2024-03-01")), ("signed", D("2024-04-02"))]
    assert messages(events) == []
    assert current_stage(events) == "signed"


def test_the_current_stage_does_not_depend_on_the_order_given():
    events = [("signed", D("2024-04-02")), ("second_reading", D("2024-02-01"))]
    assert current_stage(events) == "signed"
    assert current_stage([]) is None


def test_same_day_readings_follow_the_process_order():
    events = [("third_reading", D("2024-02-01")), ("second_reading", D("2024-02-01"))]
    assert messages(events) == [] and current_stage(events) == "third_reading"


@pytest.mark.parametrize("events, expected", [
    # signed before introduced
    ([("signed", D("2024-01-01")), ("introduced", D("2024-02-01"))],
     [(1, "date", "'introduced' on 2024-02-01 cannot come after 'signed' on 2024-01-01")]),
    # a date in the future
    ([("introduced", D("2024-07-01"))], [(0, "date", "2024-07-01 is in the future")]),
    # an unknown stage
    ([("adopted_by_acclamation", D("2024-01-01"))], [(0, "stage", "unknown stage 'adopted_by_acclamation'")]),
    # a veto overridden that was never vetoed
    ([("passed_legislature", D("2024-01-01")), ("veto_overridden", D("2024-02-01"))],
     [(1, "stage", "'veto_overridden' needs an earlier 'vetoed'")]),
    # anything after a withdrawal
    ([("introduced", D("2024-01-01")), ("withdrawn", D("2024-02-01")), ("committee", D("2024-03-01"))],
     [(2, "stage", "'committee' on 2024-03-01 comes after the bill was withdrawn on 2024-02-01")]),
    # repealing what never became law
    ([("introduced", D("2024-01-01")), ("repealed", D("2024-02-01"))],
     [(1, "stage", "'repealed' needs an earlier 'signed' or 'veto_overridden' or 'published' or 'in_force' or "
                   "'amended'")]),
    # withdrawing a law already in force
    ([("signed", D("2024-01-01")), ("withdrawn", D("2024-02-01"))],
     [(1, "stage", "a law already enacted cannot be 'withdrawn'")]),
    # struck down before it existed
    ([("struck_down", D("2024-01-01"))], [(0, "stage", "'struck_down' needs an earlier 'signed' or "
                                                       "'veto_overridden' or 'published' or 'in_force' or 'amended'")]),
])
def test_impossible_timelines_are_rejected_with_a_message(events, expected):
    assert messages(events) == expected


def test_ends_and_court_rulings_that_are_possible():
    assert messages([("introduced", D("2024-01-01")), ("withdrawn", D("2024-02-01"))]) == []
    assert messages([("introduced", D("2023-01-01")), ("lapsed", D("2024-01-01"))]) == []
    assert messages([("signed", D("2023-01-01")), ("in_force", D("2023-03-01")), ("amended", D("2023-06-01")),
                     ("struck_down", D("2024-01-01"))]) == []
    assert messages([("vetoed", D("2024-01-01")), ("veto_overridden", D("2024-02-01"))]) == []


@given(st.lists(st.tuples(st.sampled_from([s.code for s in timeline.STAGES if s.phase == "pending"]),
                          st.dates(min_value=date(2000, 1, 1), max_value=TODAY)), min_size=1, max_size=8))
def test_a_timeline_sorted_by_process_rank_and_date_together_is_valid(events):
    """Pending stages whose dates rise with their rank are always possible; the current one is the highest."""
    ranked = sorted(events, key=lambda e: timeline.STAGE_BY_CODE[e[0]].rank)
    dates = sorted(d for _, d in events)
    consistent = [(code, dates[i]) for i, (code, _) in enumerate(ranked)]
    assert validate(consistent, today=TODAY) == []
    assert timeline.STAGE_BY_CODE[current_stage(consistent)].rank == max(
        timeline.STAGE_BY_CODE[c].rank for c, _ in consistent)


def test_timeline_module_does_not_import_django():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(timeline.__file__).read_text())
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not any((name or "").startswith("django") for name in imported)
