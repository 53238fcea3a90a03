"""The Watchlist signals' own backtest on the real record (ranked as of 1 June before each edition), and the
rule that admits the transition methodology's index changes as a signal only if it helps in every edition."""
import pytest

from civicspace.watchlist.backtest import improves_everywhere, ranking_backtest
from civicspace.watchlist.management.commands.watchlist import write_signals_backtest
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


# A computation over the loaded real data (two calibrations of the methodology): once, in the PostgreSQL pass.
@pytest.mark.once
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
    # Leave one edition out: methodology 2026.5 (2026.4's score) was calibrated on December 2023-2024, so the
    # December 2024 row ranks with the model the same specification gives on December 2023 and 2025, and
    # December 2025 with the active one. The index changes then find more downgrades in both editions (December 2024: 5 of 9 in the
    # top 10 and 15; December 2025: 2 of 15 in the top 10), out of sample, so the rule admits them.
    assert by_edition["PPUA 2024"]["index_model_fitted_on"] == ["PPUA 2023", "PPUA 2025"]
    assert by_edition["PPUA 2025"]["index_model_fitted_on"] == ["PPUA 2023", "PPUA 2024"]
    assert by_edition["PPUA 2024"]["with_index_changes"]["hits_at_10"] == 5
    assert by_edition["PPUA 2024"]["with_index_changes"]["hits_at_15"] == 5
    assert by_edition["PPUA 2025"]["with_index_changes"]["hits_at_10"] == 2
    assert admitted is True
    lines = []
    write_signals_backtest(lines.append, rows, admitted)
    text = "\n".join(lines)
    assert "Signals ranked as of 1 June" in text and "PPUA 2024: calibrated on PPUA 2023, PPUA 2025" in text
    assert "admitted: they find more downgrades in every edition, out of sample; the live signals weigh them 0.1" \
        in text


def test_the_command_says_when_a_weighed_signal_is_no_longer_admitted():
    lines = []
    write_signals_backtest(lines.append, [], False)
    assert lines[-1] == ("Index changes as a signal: NOT admitted: they do not find more downgrades in every edition, "
                         "yet the signal configuration weighs them 0.1: take the weight out.")
