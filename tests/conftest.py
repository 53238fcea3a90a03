"""Shared fixtures. The reference data (198 countries, every rating edition) is loaded once per test
database; tests read it as real data and never invent ratings."""
import io
import os

import pytest
from django.core.management import call_command

IN_CI = os.environ.get("CI") == "true"
# pytest-django's live_server runs in a thread while Playwright's sync API runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("load_demo_content", stdout=io.StringIO())
        call_command("search_reindex", stdout=io.StringIO())
        call_command("compute_scores", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _empty_cache():
    """The in-process cache outlives each test's database rollback: start every test with it empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests (which start from an empty database): load the real reference data."""
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_content", stdout=io.StringIO())
    call_command("search_reindex", stdout=io.StringIO())
    call_command("compute_scores", stdout=io.StringIO())


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"civicspace: database backend = {engine}; CI = {IN_CI}"]


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test is a failure: nothing required may pass by not running."""
    if not IN_CI:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) were skipped; under CI=true every suite is required.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


from tests.monitoring_fixtures import people  # noqa: E402,F401  (shared fixture)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Transactional tests (the browser suite) empty the database when they finish, so they run last, after
    every test that reads the reference data loaded once at set-up."""
    def transactional(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))

    items.sort(key=transactional)  # stable: keeps the order within each group

    # Tests of PostgreSQL itself run in make test's PostgreSQL pass; the SQLite pass leaves them out
    # (deselected, not skipped: they are not counted as passing here).
    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        postgres_only = [item for item in items if item.get_closest_marker("postgres")]
        if postgres_only:
            config.hook.pytest_deselected(items=postgres_only)
            items[:] = [item for item in items if not item.get_closest_marker("postgres")]
