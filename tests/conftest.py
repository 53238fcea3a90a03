"""Shared fixtures, and how the test databases work (read this before adding data every test needs).

One database per worker, loaded once. `make test` runs the suite with pytest-xdist: each worker process
(gw0, gw1, ...) gets its own test database, named by pytest-django (SQLite: var/test-civicspace.sqlite3_gw0;
PostgreSQL: test_<name>_gw0). `django_db_setup` below runs once per worker database: migrations, then
`load_session_data` (the real reference data: 198 countries and every rating edition; the demo content; the
search index; the guiding scores), then it takes a snapshot of the whole database (tests/session_data.py).

Every test starts from exactly that session data, whatever ran before it on the same worker:
- ordinary tests (the `db` fixture, `@pytest.mark.django_db`) run inside a transaction that is rolled back;
- transactional tests (`transactional_db`, `live_server`, `@pytest.mark.django_db(transaction=True)`, the
  whole browser suite) commit for real; when one finishes, the database is restored from the snapshot (in
  place of Django's flush, which would leave it empty and make the next test reload everything). A restore
  takes a fraction of a second; reloading took about 5 s per browser test.
So a test never sees another test's changes, and never needs to load the reference data itself.

The pattern for new tests:
- data every test needs: add it to `load_session_data` (it is then in every worker's snapshot);
- data one test needs: create it in the test or in a function-scoped fixture (like `people` in
  tests/monitoring_fixtures.py): it is rolled back, or wiped by the restore, afterwards;
- a transactional test: ask for `transactional_db` (or `live_server`); the session data is there.
  `reference_data` (and the browser suite's `site`) are the old names for this and keep working.
- never a fixed port, file or database name: `live_server` and other servers bind port 0 (a Redis a test
  needs is a private `redis-server` on such a port, never the shared one), files go under
  `tmp_path`, an extra PostgreSQL database gets a unique name; the workers run at the same time.

Under CI=true (`.ci/run`) a skipped test fails the run (see `pytest_sessionfinish`).
"""
import io
import os
import warnings

import pytest
from django.core.management import call_command

from tests.session_data import Snapshot

IN_CI = os.environ.get("CI") == "true"
# pytest-django's live_server runs in a thread while Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def load_session_data():
    """What every test database holds: the real reference data and what `make run` loads on top of it."""
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_content", stdout=io.StringIO())
    call_command("search_reindex", stdout=io.StringIO())
    call_command("compute_scores", stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once per worker database: load the session data, snapshot it, and from then on restore the snapshot
    after each transactional test instead of flushing the database."""
    from django.db import connections
    from django.test import TransactionTestCase

    with django_db_blocker.unblock():
        # pytest-django creates test databases only when a collected test asks for one; never load into the
        # database of `make run`.
        # A test database: the name pytest-django gave it (xdist workers and SQLite set TEST NAME), or Django's
        # own "test_<name>" (one process on PostgreSQL, where NAME already is the test name).
        tested = [alias for alias in connections
                  if connections[alias].settings_dict["NAME"] == connections[alias].creation._get_test_db_name()
                  or str(connections[alias].settings_dict["NAME"]).startswith("test_")]
        if tested:
            load_session_data()
        snapshots = {alias: Snapshot(alias).take() for alias in tested}

    flush = TransactionTestCase._fixture_teardown

    def restore_the_session_data(test_case):
        # Django's TransactionTestCase flushes each database after the test; restore it to the session data.
        for alias in test_case._databases_names(include_mirrors=False):
            snapshots[alias].restore()  # KeyError: a transactional test on a database that was not set up

    TransactionTestCase._fixture_teardown = restore_the_session_data
    yield
    TransactionTestCase._fixture_teardown = flush
    with django_db_blocker.unblock():
        for alias in tested:
            _end_other_sessions(connections[alias])


def _end_other_sessions(connection):
    """PostgreSQL: end the sessions still open on this worker's test database before pytest-django drops it.
    Django's connections are per thread and per async context; the browser suite's Playwright runs an event
    loop in the test's thread, and a connection opened in that context is not the one Django closes at the end
    ("database test_civicspace_gw0 is being accessed by other users": the database was left behind)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, application_name, state, left(query, 80) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        others = cursor.fetchall()
        for pid, *_rest in others:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    if others:  # shown in the warnings summary: which session it was (pid, application, state, last query)
        warnings.warn(f"ended {len(others)} other session(s) on {connection.settings_dict['NAME']} before dropping "
                      f"it: {others}", pytest.PytestWarning)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The in-process cache outlives each test's database rollback: start every test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request to /ru/ or /es/ leaves its language active in the
    test's thread, and a lazy text evaluated in the next test (str(RATING_NAMES[code])) came out in Russian."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data(transactional_db):
    """A transactional database with the session data (kept for the tests written when transactional tests
    started empty and reloaded everything; the data is now always there)."""


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"civicspace: database backend = {engine}; CI = {IN_CI}"]


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: nothing required may pass by not running."""
    _record_file_seconds(session)
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) were skipped; under CI=true every suite is required.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


from tests.monitoring_fixtures import people  # noqa: E402,F401  (shared fixture)


DURATIONS_FILE = os.path.join(os.path.dirname(__file__), "file_durations.json")


def _engine():
    from django.conf import settings

    return "postgresql" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "sqlite"


def measured_file_seconds():
    """Each test file's seconds in an earlier run of this pass, from tests/file_durations.json (written by
    `make test-durations` from the last run's var/test-durations-<database>.json)."""
    import json

    try:
        with open(DURATIONS_FILE) as handle:
            return json.load(handle).get(_engine(), {})
    except (OSError, ValueError):
        return {}


_file_seconds = {}


def pytest_runtest_logreport(report):
    """Sum set-up, call and tear-down time per test file (on the xdist controller, which sees every report)."""
    path = report.nodeid.split("::", 1)[0]
    _file_seconds[path] = _file_seconds.get(path, 0.0) + (report.duration or 0.0)


def _record_file_seconds(session):
    import json

    if hasattr(session.config, "workerinput") or not _file_seconds or session.config.getoption("-k") or \
            session.config.args not in ([], ["tests"]):
        return  # a worker, or a partial run: only a whole pass says how long each file takes
    target = os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", f"test-durations-{_engine()}.json")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as handle:
        json.dump({path: round(seconds, 1) for path, seconds in sorted(_file_seconds.items())}, handle, indent=0)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Order the tests for the parallel run (`make test`: `-n 2 --dist loadfile --no-loadscope-reorder`, so
    each file's tests run on one worker, in the order of this list, and a module-scoped fixture is built once).

    Longest files first (each worker takes the next file when it has fewer than two queued), so that the
    workers finish together instead of one running a long tail alone: by the seconds each file took in an
    earlier whole run of the same pass (tests/file_durations.json, refreshed with `make test-durations`), and
    for a file not measured yet by a guess (files with transactional tests or a module- or class-scoped fixture
    of their own count as heavy). Within a file the order is pytest's. This replaces pytest-django's ordering (database tests before transactional ones), which the
    snapshot restore makes unnecessary."""
    def transactional(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))) or \
            bool({"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ())))

    def wide_fixture(item):  # plugins' fixtures (baseid "") do not count
        info = getattr(item, "_fixtureinfo", None)
        return bool(info) and any(defs and defs[-1].baseid and defs[-1].scope in ("module", "class", "package")
                                  for defs in info.name2fixturedefs.values())

    files = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    heavy = {path: any(transactional(item) or wide_fixture(item) for item in group) for path, group in files.items()}
    measured = measured_file_seconds()

    def cost(path):
        # Seconds measured in an earlier run of this pass (tests/file_durations.json), else a guess: a heavy
        # file about as long as a browser module, others a second per test.
        return measured.get(path, 60.0 if heavy[path] else float(len(files[path])))

    # Longest first: the workers then finish together instead of one running a long tail alone.
    order = sorted(files, key=lambda path: -cost(path))  # stable for ties
    items[:] = [item for path in order for item in files[path]]

    # Tests of PostgreSQL itself run in make test's PostgreSQL pass; the SQLite pass leaves them out
    # (deselected, not skipped: they are not counted as passing here).
    from django.conf import settings

    # Browser tests of page rendering, the access matrix and the tests of SQLite files run in the SQLite pass only
    # (markers "rendering", "permissions" and "sqlite", see pyproject.toml), the calibration and the leak-canary
    # crawl in the PostgreSQL pass only (marker "once"), unless make test runs no PostgreSQL pass
    # (CIVICSPACE_PG_PASS empty: no server reachable); the journeys through the workspace run in both.
    # The unit tests that touch no database are pure functions of their inputs: they count as "once" too.
    for item in items:
        if item.nodeid.startswith("tests/unit/") and not item.get_closest_marker("django_db") and not \
                {"db", "transactional_db", "django_db_setup", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.once)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        leave_out = ("rendering", "permissions", "sqlite")
    else:
        leave_out = ("postgres", "once") if os.environ.get("CIVICSPACE_PG_PASS") else ("postgres",)
    left_out = [item for item in items if any(item.get_closest_marker(name) for name in leave_out)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not any(item.get_closest_marker(name) for name in leave_out)]
