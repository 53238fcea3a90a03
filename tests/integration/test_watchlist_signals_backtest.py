"""The Watchlist signals' own backtest on the real record (ranked as of 1 June before each edition), and the
rule that admits the transition methodology's index changes as a signal only if it helps in every edition."""
from io import StringIO

import pytest
from django.core.management import call_command

from civicspace.watchlist.backtest import improves_everywhere, ranking_backtest
from civicspace.watchlist.selectors import signals_backtest

pytestmark = pytest.mark.django_db


def test_ranking_backtest_counts_precision_recall_and_lift():
    # Synthetic codes (test data only): 20 compared, 4 downgraded, 2 of them in the top 10.
    compared = [f"C{i:02}" for i in range(20)]
    r = ranking_backtest(["X"] + compared, {"C00", "C05", "C12", "C19"}, compared)
    assert r["base_rate"] == 0.2 and r["hits_at_10"] == 2 and r["precision_at_10"] == 0.2
    assert r["recall_at_10"] == 0.5 and r["lift_at_10"] == 1.0 and r["hits_at_15"] == 3


def test_a_signal_is_admitted_only_if_it_finds_more_downgrades_in_every_edition():
    base = {"A": {"hits_at_10": 2, "hits_at_15": 3}, "B": {"hits_at_10": 1, "hits_at_15": 1}}
    assert improves_everywhere(base, {"A": {"hits_at_10": 2, "hits_at_15": 4}, "B": {"hits_at_10": 2, "hits_at_15": 2}})
    assert not improves_everywhere(base, {"A": {"hits_at_10": 2, "hits_at_15": 4},
                                          "B": {"hits_at_10": 1, "hits_at_15": 1}})
    assert not improves_everywhere(base, {"A": {"hits_at_10": 3, "hits_at_15": 2},
                                          "B": {"hits_at_10": 2, "hits_at_15": 2}})


def test_the_signals_backtest_on_the_real_editions(tmp_path):
    rows, admitted = signals_backtest()
    by_edition = {r["edition"]: r for r in rows}
    # As measured in issue 15 on the indices alone: 4 of the 9 December 2024 downgrades and 5 of the 15 December
    # 2025 downgrades in the top 15, from score momentum. The demo corpus (issue 18: real events in 19 countries,
    # most in 2025) adds violation surges for the countries it covers, which pushes one December 2025 downgrade
    # out of the top 15: the signals see only what has been entered, and the backtest says so.
    assert by_edition["PPUA 2024"]["signals"]["downgraded"] == 9
    assert by_edition["PPUA 2024"]["signals"]["hits_at_15"] == 4
    assert by_edition["PPUA 2025"]["signals"]["downgraded"] == 15
    assert by_edition["PPUA 2025"]["signals"]["hits_at_15"] == 4
    assert all(r["ranked_as_of"].month == 6 and r["ranked_as_of"].day == 1 for r in rows)
    # With methodology 2026.4 (issue 15) the index changes find more downgrades in both editions (5 of 9 in the
    # top 15 in December 2024, 2 of 15 in the top 10 in December 2025); December 2024 is the transition the
    # coefficients were fitted on, so the command says the live signals wait for an edition outside the fit.
    assert by_edition["PPUA 2024"]["with_index_changes"]["hits_at_15"] == 5
    assert by_edition["PPUA 2025"]["with_index_changes"]["hits_at_10"] == 2
    assert admitted is True
    out = StringIO()
    call_command("watchlist", "backtest", "--csv", str(tmp_path / "bt.csv"), stdout=out)
    assert "Signals ranked as of 1 June" in out.getvalue() and "only December 2025 is out of sample" in out.getvalue()
