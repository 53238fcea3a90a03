"""bench/results/latest.md: a run of the harness (bench/run.py) keeps the production stack's section, which
`make bench-stack` measures on its own (issue 16 requires its cached-page ratio there)."""
from bench.run import keep_stack_section
from bench.stack import BEGIN, END

SECTION = f"{BEGIN}\n## Production stack\n| country page | **0.766×** |\n{END}"


def test_a_new_run_keeps_the_stack_section(tmp_path):
    path = tmp_path / "latest.md"
    path.write_text(f"# Benchmark results\n\nold ratios\n\n{SECTION}\n")
    kept = keep_stack_section("# Benchmark results\n\nnew ratios\n", path)
    assert "new ratios" in kept and "old ratios" not in kept
    assert kept.count(BEGIN) == 1 and "**0.766×**" in kept


def test_nothing_to_keep_or_a_section_of_its_own(tmp_path):
    path = tmp_path / "latest.md"
    assert keep_stack_section("# new\n", path) == "# new\n"  # no file yet
    path.write_text("# old, no stack section\n")
    assert keep_stack_section("# new\n", path) == "# new\n"
    path.write_text(f"# old\n{SECTION}\n")
    fresh = f"# new\n{BEGIN}\nfresh\n{END}\n"
    assert keep_stack_section(fresh, path) == fresh


def test_the_committed_results_hold_the_stack_ratio():
    from bench.run import RESULTS

    text = (RESULTS / "latest.md").read_text()
    assert BEGIN in text and END in text and "cached / file rps" in text
