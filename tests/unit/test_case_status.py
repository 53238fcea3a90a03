"""The case status rules (civicspace/cases/status.py): pure Python, tested with examples and properties."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from civicspace.cases import status as rules
from civicspace.cases.status import Event, case_status

D = dt.date
START = D(2020, 1, 1)


def test_detained_then_house_arrest_then_acquitted():
    events = [Event("arrest", D(2024, 1, 16)), Event("pretrial_detention", D(2024, 1, 17)),
              Event("house_arrest", D(2024, 4, 9)), Event("verdict", D(2024, 10, 10), sentence="acquitted")]
    on_day = case_status(events, today=D(2024, 1, 20))
    assert (on_day.status, on_day.since, on_day.days_deprived, on_day.deprived_since) == (
        "detained", D(2024, 1, 16), 5, D(2024, 1, 16))
    at_home = case_status(events, today=D(2024, 4, 9))
    assert at_home.status == "house_arrest" and at_home.deprived_since == D(2024, 1, 16)
    after = case_status(events, today=D(2025, 1, 1))
    assert after.status == "closed" and after.ended and not after.deprived
    assert after.days_deprived == (D(2024, 10, 10) - D(2024, 1, 16)).days


def test_custodial_sentence_keeps_counting_and_a_travel_ban_releases():
    serving = [Event("arrest", D(2024, 1, 16)), Event("verdict", D(2024, 10, 10), sentence="custodial"),
               Event("appeal", D(2024, 12, 18), outcome="upheld")]
    result = case_status(serving, today=D(2025, 1, 15))
    assert result.status == "serving" and result.since == D(2024, 10, 10)
    assert result.days_deprived == (D(2025, 1, 15) - D(2024, 1, 16)).days + 1
    banned = case_status([Event("arrest", D(2024, 1, 16)), Event("travel_ban", D(2024, 3, 12))],
                         today=D(2024, 6, 1))
    assert (banned.status, banned.days_deprived) == ("released", (D(2024, 3, 12) - D(2024, 1, 16)).days)


def test_a_term_of_known_length_ends_by_itself():
    events = [Event("arrest", D(2024, 1, 1)), Event("verdict", D(2024, 2, 1), sentence="custodial",
                                                      sentence_days=100)]
    assert case_status(events, today=D(2024, 4, 9)).status == "serving"
    done = case_status(events, today=D(2024, 6, 1))
    assert (done.status, done.since, done.days_deprived) == ("released", D(2024, 4, 10), 100)


def test_non_custodial_verdict_without_detention_is_at_liberty_and_month_dates_are_approximate():
    assert case_status([Event("charge", D(2024, 1, 1)), Event("verdict", D(2024, 5, 1), sentence="non_custodial")],
                       today=D(2024, 6, 1)).status == "at_liberty"
    monthly = case_status([Event("arrest", D(2024, 1, 1), precision="month")], today=D(2024, 1, 31))
    assert monthly.approximate and monthly.since_precision == "month" and monthly.days_deprived == 31


def test_organisations():
    events = [Event("raid", D(2024, 1, 15)), Event("premises_sealed", D(2024, 1, 15), precision="month")]
    assert case_status(events, subject="organisation", today=D(2024, 2, 1)).status == "restricted"
    kloop = [Event("liquidation_ordered", D(2024, 2, 9)), Event("org_appeal", D(2024, 5, 17), outcome="upheld")]
    result = case_status(kloop, subject="organisation", today=D(2024, 8, 1))
    assert (result.status, result.since, result.ended, result.days_deprived) == ("liquidated", D(2024, 2, 9),
                                                                                   True, 0)
    assert case_status(kloop + [Event("reinstated", D(2025, 1, 1))], subject="organisation",
                       today=D(2025, 2, 1)).status == "operating"


# Properties ----------------------------------------------------------------------------------------------------

def person_event():
    day = st.dates(min_value=START, max_value=D(2026, 12, 31))
    kind = st.sampled_from(rules.PERSON_KINDS)
    return st.builds(lambda k, d, p, s, n, o: Event(k, d, p, s if k == "verdict" else "",
                                                     n if k == "verdict" and s == "custodial" else None,
                                                     o if k == "appeal" else ""),
                     kind, day, st.sampled_from(rules.PRECISIONS), st.sampled_from(rules.SENTENCE_KINDS),
                     st.one_of(st.none(), st.integers(1, 4000)), st.sampled_from(rules.APPEAL_OUTCOMES))


events_lists = st.lists(person_event(), max_size=12)
todays = st.dates(min_value=START, max_value=D(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(events_lists, todays)
def test_status_is_known_and_days_are_bounded(events, today):
    result = case_status(events, today=today)
    assert result.status in rules.PERSON_STATUSES
    assert result.days_deprived >= 0
    past = [e for e in events if e.date <= today]
    if past:
        assert result.days_deprived <= (today - min(e.date for e in past)).days + 1
    else:
        assert (result.status, result.days_deprived, result.since) == ("at_liberty", 0, None)
    assert (result.deprived_since is not None) == result.deprived
    if result.deprived:
        assert result.days_deprived >= (today - result.deprived_since).days + 1
    if result.since is not None:
        assert result.since <= today


@settings(max_examples=200, deadline=None)
@given(events_lists, todays, st.randoms())
def test_order_of_input_does_not_matter(events, today, random):
    shuffled = list(events)
    random.shuffle(shuffled)
    assert case_status(shuffled, today=today) == case_status(events, today=today)


@settings(max_examples=200, deadline=None)
@given(events_lists, todays, st.lists(person_event(), max_size=3))
def test_events_after_today_change_nothing(events, today, later):
    future = [Event(e.kind, today + dt.timedelta(days=1 + n), e.precision, e.sentence, e.sentence_days, e.outcome)
              for n, e in enumerate(later)]
    assert case_status(events + future, today=today) == case_status(events, today=today)


@settings(max_examples=200, deadline=None)
@given(events_lists, todays, st.integers(1, 400))
def test_days_deprived_never_decrease_with_time(events, today, later):
    assert (case_status(events, today=today + dt.timedelta(days=later)).days_deprived
            >= case_status(events, today=today).days_deprived)


@settings(max_examples=200, deadline=None)
@given(events_lists, todays)
def test_an_arrest_today_detains_unless_the_case_is_closed(events, today):
    events = [e for e in events if e.date < today]  # on one day, events keep the order things happen in
    before = case_status(events, today=today)
    after = case_status(events + [Event("arrest", today)], today=today)
    if before.status == "closed":
        assert after.status == "closed"
    elif not (before.status == "serving"):
        assert after.status == "detained" and after.deprived


@settings(max_examples=200, deadline=None)
@given(st.lists(st.builds(Event, st.sampled_from(rules.ORGANISATION_KINDS), st.dates(START, D(2026, 1, 1)),
                          st.just("day"), st.just(""), st.none(), st.sampled_from(rules.APPEAL_OUTCOMES)),
                max_size=8), todays)
def test_organisations_are_never_deprived_of_liberty(events, today):
    result = case_status(events, subject="organisation", today=today)
    assert result.status in rules.ORGANISATION_STATUSES and result.days_deprived == 0
