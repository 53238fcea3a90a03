"""Nothing lost under faults: SQLite in WAL mode with foreign keys on; an import killed with SIGKILL halfway leaves
the database exactly as before; `civicspace backup` and `civicspace restore` round-trip the whole database.

These tests run the real command line in subprocesses against a database of their own (an SQLite file made
by `migrate` and `load_reference_data`; a PostgreSQL database created for the test in the PostgreSQL pass), so
they run the same way whichever database the rest of the suite uses. The generated CSV is synthetic test data
(edition names say so) and lives only in those throw-away databases.
"""
import csv
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from civicspace.settings.base import REFERENCE_DATA_DIR

def run(args, env, **kwargs):
    result = subprocess.run([sys.executable, "-m", "civicspace", *args], env=env, capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def env_for(database_url):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "CIVICSPACE_TEST_DB")}
    env.update(DJANGO_SETTINGS_MODULE="civicspace.settings.embedded", DATABASE_URL=database_url,
               SECRET_KEY="test-only-" + "y" * 50)
    return env


@pytest.fixture(scope="module")
def reference_sqlite(tmp_path_factory):
    """An SQLite database file with the schema and the real reference data, made by the commands."""
    path = tmp_path_factory.mktemp("refdb") / "civicspace.sqlite3"
    env = env_for(f"sqlite:///{path}")
    run(["migrate", "--noinput", "-v", "0"], env)
    run(["load_reference_data"], env)
    return path


@pytest.fixture
def sqlite_db(reference_sqlite, tmp_path):
    path = tmp_path / "civicspace.sqlite3"
    shutil.copy(reference_sqlite, path)
    return path


def sqlite_fingerprint(path):
    """Every row of every table, in a stable order: equal fingerprints mean equal databases."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for line in conn.iterdump():
            digest.update(line.encode())
        return digest.hexdigest(), conn.execute("SELECT count(*) FROM ratings_publishedrating").fetchone()[0]
    finally:
        conn.close()


def synthetic_ratings_csv(path, editions=150):
    """A large, valid file: 150 synthetic editions × every country with an ISO code."""
    with open(REFERENCE_DATA_DIR / "civicus" / "countries.csv", encoding="utf-8") as fh:
        countries = [row for row in csv.DictReader(fh) if row["iso3"]]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["edition", "published", "coverage", "iso3", "country", "rating", "score", "source_url"])
        for i in range(editions):
            published = f"{1800 + i // 12}-{i % 12 + 1:02d}"
            for country in countries:
                writer.writerow([f"SYNTHETIC TEST EDITION {i:03d}", published, "complete", country["iso3"],
                                 country["country"], "repressed", "", "https://example.org/synthetic-test-data"])
    return path


# --- SQLite settings -----------------------------------------------------------------------------------------------
@pytest.mark.sqlite
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_full_sync(sqlite_db):
    code = ("from django.db import connection\n"
            "with connection.cursor() as c:\n"
            "    print(*[c.execute(f'PRAGMA {p}').fetchone()[0] for p in ('journal_mode', 'foreign_keys', "
            "'synchronous')])")
    result = run(["shell", "--no-imports", "-c", code], env_for(f"sqlite:///{sqlite_db}"))
    assert result.stdout.split() == ["wal", "1", "2"]  # synchronous=2 is FULL


def test_the_test_database_has_the_same_pragmas(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# --- SIGKILL halfway through an import -----------------------------------------------------------------------------
# The import runs in its own process through this wrapper, which counts the rows the import inserts and, at the
# chosen row, says so in a file and waits there to be killed: the fault lands inside the open transaction at an
# exact point. The hook is test code only; the product runs unchanged.
EDITIONS = 12  # 2,364 rows: the kill points are exact, so more rows would only take longer
COUNTRIES_WITH_ISO = 197
ROWS = EDITIONS * COUNTRIES_WITH_ISO
FAULTS = {"after the first row": 1, "halfway": ROWS // 2, "after the last row, before the commit": ROWS}
KILLABLE_IMPORT = """
import sys, time, pathlib, django
django.setup()
from django.core.management import call_command
from django.db import connection
stop_at, marker, path = int(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
inserted = 0
def hook(execute, sql, params, many, context):
    global inserted
    result = execute(sql, params, many, context)
    if sql.lstrip().upper().startswith("INSERT") and "ratings_publishedrating" in sql:
        inserted += 1
        if inserted == stop_at:
            marker.write_text(str(inserted))
            time.sleep(600)
    return result
with connection.execute_wrapper(hook):
    call_command("import_ratings", path)
"""


def import_and_kill(database_url, data, stop_at, tmp_path):
    marker = tmp_path / f"reached-{stop_at}"
    process = subprocess.Popen([sys.executable, "-c", KILLABLE_IMPORT, str(stop_at), str(marker), str(data)],
                               env=env_for(database_url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # a guard against hanging, not a timing assertion
    while process.poll() is None and not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert marker.exists(), process.stderr.read().decode() if process.poll() is not None else "no progress"
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    process.stderr.close()


@pytest.mark.sqlite
@pytest.mark.parametrize("stop_at", list(FAULTS.values()), ids=list(FAULTS))
def test_an_import_killed_halfway_leaves_the_database_exactly_as_before(sqlite_db, tmp_path, stop_at):
    before = sqlite_fingerprint(sqlite_db)
    data = synthetic_ratings_csv(tmp_path / "ratings.csv", editions=EDITIONS)
    import_and_kill(f"sqlite:///{sqlite_db}", data, stop_at, tmp_path)
    after = sqlite_fingerprint(sqlite_db)  # opening the file recovers it, as the next start of the site would
    assert after == before
    conn = sqlite3.connect(sqlite_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM ratings_ratingedition WHERE code LIKE 'SYNTHETIC%'").fetchone()[0] == 0
    conn.close()
    if stop_at == ROWS:
        # The same file imports completely when left alone: the kill, not the file, stopped it.
        result = run(["import_ratings", str(data)], env_for(f"sqlite:///{sqlite_db}"))
        assert f"{ROWS} created" in result.stdout, result.stdout
        assert sqlite_fingerprint(sqlite_db)[1] == before[1] + ROWS


# --- Backup and restore --------------------------------------------------------------------------------------------
MODIFY = ("from civicspace.ratings.models import PublishedRating\n"
          "from civicspace.countries.models import Country\n"
          "PublishedRating.objects.filter(country__code='KGZ').delete()\n"
          "Country.objects.filter(code='KAZ').update(name_en='Changed after the backup')\n")


@pytest.mark.sqlite
def test_backup_and_restore_round_trip_an_sqlite_database(sqlite_db, tmp_path):
    env = env_for(f"sqlite:///{sqlite_db}")
    before = sqlite_fingerprint(sqlite_db)
    backup = tmp_path / "backups" / "civicspace-backup.sqlite3"
    result = run(["backup", str(backup)], env)
    assert "keep it encrypted" in result.stdout
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    run(["shell", "--no-imports", "-c", MODIFY], env)
    assert sqlite_fingerprint(sqlite_db) != before
    run(["restore", "--noinput", str(backup)], env)
    assert sqlite_fingerprint(sqlite_db) == before
    # A backup never overwrites an existing file.
    again = subprocess.run([sys.executable, "-m", "civicspace", "backup", str(backup)], env=env,
                           capture_output=True, text=True)
    assert again.returncode != 0 and "already exists" in again.stderr


@pytest.mark.sqlite
@pytest.mark.parametrize("content, message", [
    (b"", "is not an SQLite backup"),
    (b"edition,published\n1,2\n", "is not an SQLite backup"),
    (b"PGDMP\x01\x0e\x00", "is not an SQLite backup"),
    ("truncated", "is damaged"),
    ("foreign", "not a backup of this application"),
], ids=["empty", "a CSV file", "a PostgreSQL dump", "truncated", "another SQLite database"])
def test_restore_refuses_what_is_not_a_good_backup_and_changes_nothing(sqlite_db, tmp_path, content, message):
    env = env_for(f"sqlite:///{sqlite_db}")
    bad = tmp_path / "bad-backup"
    if content == "truncated":
        run(["backup", str(tmp_path / "good")], env)
        data = (tmp_path / "good").read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif content == "foreign":
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE notes (text TEXT)")
        other.commit()
        other.close()
    else:
        bad.write_bytes(content)
    before = sqlite_fingerprint(sqlite_db)
    result = subprocess.run([sys.executable, "-m", "civicspace", "restore", "--noinput", str(bad)], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert sqlite_fingerprint(sqlite_db) == before


@pytest.mark.sqlite
def test_restore_asks_before_replacing_everything(sqlite_db, tmp_path):
    env = env_for(f"sqlite:///{sqlite_db}")
    run(["backup", str(tmp_path / "b")], env)
    result = subprocess.run([sys.executable, "-m", "civicspace", "restore", str(tmp_path / "b")], env=env,
                            input="no\n", capture_output=True, text=True)
    assert result.returncode != 0 and "cancelled" in result.stderr


# --- PostgreSQL --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def postgres_server():
    """The PostgreSQL server of the test database, and a template database made once by the commands (schema and
    reference data): each test gets a copy of it, which PostgreSQL makes in about a second."""
    import psycopg
    from django.conf import settings

    base = settings.DATABASES["default"]
    auth = f"{base['USER']}:{base['PASSWORD']}@" if base.get("PASSWORD") else f"{base['USER']}@"
    server = f"postgresql://{auth}{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}"
    template = f"civicspace_backup_template_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{template}"')
    env = env_for(f"{server}/{template}")
    run(["migrate", "--noinput", "-v", "0"], env)
    run(["load_reference_data"], env)
    yield server, template
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


@pytest.fixture
def postgres_db(postgres_server):
    """A throw-away PostgreSQL database beside the test database, with the schema and reference data."""
    import psycopg

    server, template = postgres_server
    name = f"civicspace_backup_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_fingerprint(url, *, sequences=True):
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        digest = hashlib.sha256()
        for table in tables:
            row = conn.execute(f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) '
                               f'FROM "{table}" t').fetchone()
            digest.update(f"{table}:{row[0]}:{row[1]}".encode())
        if sequences:
            values = conn.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1").fetchall()
            digest.update(repr(values).encode())
        return digest.hexdigest()


@pytest.mark.postgres
def test_backup_and_restore_round_trip_a_postgresql_database(postgres_db, tmp_path):
    env = env_for(postgres_db)
    before = postgres_fingerprint(postgres_db)
    backup = tmp_path / "civicspace.pgdump"
    run(["backup", str(backup)], env)
    assert backup.read_bytes()[:5] == b"PGDMP"
    run(["shell", "--no-imports", "-c", MODIFY], env)
    assert postgres_fingerprint(postgres_db) != before
    run(["restore", "--noinput", str(backup)], env)
    assert postgres_fingerprint(postgres_db) == before
    # An SQLite file is refused, and the database is left as it is.
    sqlite_file = tmp_path / "x.sqlite3"
    sqlite3.connect(sqlite_file).execute("CREATE TABLE t (x)").connection.close()
    result = subprocess.run([sys.executable, "-m", "civicspace", "restore", "--noinput", str(sqlite_file)], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "is not a pg_dump backup" in result.stderr
    assert postgres_fingerprint(postgres_db) == before


@pytest.mark.postgres
@pytest.mark.parametrize("stop_at", list(FAULTS.values()), ids=list(FAULTS))
def test_an_import_killed_halfway_leaves_a_postgresql_database_exactly_as_before(postgres_db, tmp_path, stop_at):
    # Every row of every table; not the sequences, which PostgreSQL never rolls back (ids used by the killed
    # import are skipped, as after any rollback).
    before = postgres_fingerprint(postgres_db, sequences=False)
    data = synthetic_ratings_csv(tmp_path / "ratings.csv", editions=EDITIONS)
    import_and_kill(postgres_db, data, stop_at, tmp_path)
    # The server rolls the dead connection's transaction back once it notices the closed socket.
    for _ in range(100):
        if postgres_fingerprint(postgres_db, sequences=False) == before:
            break
        time.sleep(0.1)
    assert postgres_fingerprint(postgres_db, sequences=False) == before
