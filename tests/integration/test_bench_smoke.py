"""The benchmark generator (bench/generate.py) at a tiny scale: deterministic from its seed, every record it
writes marked synthetic, and it never touches anything but a benchmark database. No timing is asserted."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCALE = "0.002"  # 100 updates, 1,000 incidents, 4 bills, 1 Watchlist edition
# Columns filled with the time of the run (auto_now / auto_now_add), not from the seed.
CLOCK_COLUMNS = {"created_at", "updated_at", "indexed_at"}
TABLES = ["monitoring_organisation", "monitoring_update", "monitoring_update_freedoms", "monitoring_source",
          "monitoring_incident", "monitoring_incident_freedoms", "monitoring_incident_types",
          "monitoring_incident_perpetrators", "monitoring_victim", "legislation_bill", "legislation_stageevent",
          "legislation_bill_updates", "watchlist_watchlistedition", "watchlist_watchlistentry", "search_document"]
LANGS = ("en", "ru", "fr", "es", "ar")
MARK = "[SYNTHETIC]"
# The generator writes SQLite files of its own whatever the suite's database: make test runs this once, in the
# PostgreSQL pass (the shorter one).
pytestmark = pytest.mark.once


def generate(path, seed):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicspace.settings.embedded", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "bench.generate", "--scale", SCALE, "--seed", str(seed),
                             "--database", f"sqlite:///{path}"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "updates + incidents" in result.stderr  # progress is shown on stderr
    return sqlite3.connect(path)


def content(db):
    tables = {}
    for table in TABLES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})") if row[1] not in CLOCK_COLUMNS]
        tables[table] = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()
    return tables


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bench")
    return (generate(directory / "a-bench.sqlite3", 7), generate(directory / "b-bench.sqlite3", 7),
            generate(directory / "c-bench.sqlite3", 8))


def test_the_same_seed_gives_the_same_data(generated):
    a, b, c = (content(db) for db in generated)
    assert a == b
    assert a["monitoring_incident"] != c["monitoring_incident"]  # and the seed matters


def test_the_scale_gives_the_counts(generated):
    db = generated[0]
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM monitoring_update") == 100
    assert count("SELECT count(*) FROM monitoring_incident") == 1000
    assert count("SELECT count(*) FROM legislation_bill") == 4
    assert count("SELECT count(*) FROM watchlist_watchlistedition WHERE slug LIKE 'synthetic-%'") == 1
    assert count("SELECT count(*) FROM countries_country") == 198  # the real reference data
    assert count("SELECT count(*) FROM search_document") > 0


def test_every_record_is_marked_synthetic(generated):
    db = generated[0]
    unmarked = lambda sql: db.execute(sql).fetchall()  # noqa: E731
    titles = " OR ".join(f"title_{lang} NOT LIKE '[SYNTHETIC]%'" for lang in LANGS)
    assert unmarked("SELECT u.id FROM monitoring_update u JOIN monitoring_organisation o ON o.id = u.organisation_id "
                    f"WHERE o.name != 'Synthetic benchmark data' OR u.import_key NOT LIKE 'synthetic:%' OR {titles}") == []
    descriptions = " OR ".join(f"description_{lang} NOT LIKE '[SYNTHETIC]%'" for lang in LANGS)
    assert unmarked(f"SELECT id FROM monitoring_incident WHERE {descriptions}") == []
    assert unmarked("SELECT id FROM monitoring_source WHERE title NOT LIKE '[SYNTHETIC]%'") == []
    bill_titles = " OR ".join(f"short_title_{lang} NOT LIKE '[SYNTHETIC]%'" for lang in LANGS)
    assert unmarked(f"SELECT id FROM legislation_bill WHERE import_key NOT LIKE 'synthetic:%' OR {bill_titles}") == []
    # Watchlist: the real editions of the reference data plus synthetic ones, each marked.
    assert unmarked("SELECT id FROM watchlist_watchlistedition WHERE import_key LIKE 'synthetic:%' AND "
                    "(slug NOT LIKE 'synthetic-%' OR pr_title_en NOT LIKE '[SYNTHETIC]%')") == []
    assert unmarked("SELECT id FROM watchlist_watchlistentry WHERE note = 'Synthetic benchmark data' AND "
                    "rationale_en NOT LIKE '[SYNTHETIC]%'") == []
    assert unmarked("SELECT id FROM monitoring_victim WHERE names != ''") == []  # no invented names


def test_only_benchmark_databases_are_accepted():
    sys.path.insert(0, str(ROOT))
    from bench.generate import DEMO_DB, check_bench_database

    for url in (f"sqlite:///{DEMO_DB}", "sqlite:////tmp/civicspace.sqlite3",
                "postgres://postgres@127.0.0.1:5432/civicspace"):
        with pytest.raises(SystemExit):
            check_bench_database(url)
    assert check_bench_database("postgres://postgres@127.0.0.1:5432/civicspace_bench")[0] == "postgresql"
