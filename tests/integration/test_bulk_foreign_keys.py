"""A large import's foreign keys checked once at the end on PostgreSQL (issue 17, item 5:
core/upsert.foreign_keys_checked_at_the_end): the keys come back exactly as they were, a row that points
nowhere still fails the whole write, a failed write never commits without its keys, and the keys are left alone (checked row by row) when the import is small,
when the tables hold more rows than it brings, when another session holds a lock, and on SQLite."""
import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from civicspace.audit.models import AuditEvent
from civicspace.core import upsert
from civicspace.core.upsert import bulk_insert, foreign_keys_checked_at_the_end, next_ids
from civicspace.monitoring.importer import records_import
from civicspace.monitoring.models import Incident, Organisation, Term, Update, Victim, Vocabulary

from .test_monitoring_import import _files

pytestmark = pytest.mark.django_db

LINKED = (Update.freedoms.through, Incident.types.through, Incident.freedoms.through, Incident.perpetrators.through,
          Incident.sources.through, Victim)
VICTIM_COLUMNS = ["id", "incident_id", "type_id", "count", "names", "names_sensitive"]


def _analyze(models):
    """pg_class's estimate of the rows already in `models`' tables made exact (ANALYZE counts this test's own
    uncommitted rows)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _empty(models):
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    _analyze(models)


def _import(org, path, **extra):
    """The synthetic archive imported, its keys checked now (as at a commit) so that the test can go on writing
    in the same transaction."""
    _files(path, **extra)
    records_import(directory=path, organisation=org)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _keys(models=LINKED):
    with connection.cursor() as cursor:
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                       [[m._meta.db_table for m in models]])
        return cursor.fetchall()


@pytest.fixture
def org(db):
    return Organisation.objects.create(slug="test-keys-org", name="Archive partner (synthetic)")


def _victim_type():
    return Term.objects.filter(vocabulary=Vocabulary.VICTIM).first()


@pytest.mark.postgres
def test_a_large_import_checks_its_keys_at_the_end_and_they_come_back_as_they_were(org, tmp_path, monkeypatch):
    monkeypatch.setattr(upsert, "BULK_KEYS_MIN_ROWS", 1)  # the synthetic archive is small
    _empty(LINKED)  # the test database's demo records: their links go (in this test's transaction)
    before = _keys()
    assert len(before) == 12  # two keys for each of the five link tables and the victims
    _files(tmp_path)
    with CaptureQueriesContext(connection) as queries:
        report = records_import(directory=tmp_path, organisation=org)
    statements = [q["sql"] for q in queries.captured_queries]
    assert sum("DROP CONSTRAINT" in s for s in statements) == 12
    assert sum("ADD CONSTRAINT" in s for s in statements) == 12
    assert _keys() == before
    assert (report.updates, report.incidents, report.victims, report.sources) == (2, 2, 1, 1)
    assert report.keys_checked_at_end and "foreign keys checked once at the end" in str(report)
    event = AuditEvent.objects.filter(action="monitoring.records_import").latest("pk")
    assert event.data["keys_checked_at_end"] is True
    incident = Update.objects.get(import_key="import:test-keys-org:1").incidents.get()
    assert [t.code for t in incident.types.all()] == ["journalist_detained"]
    assert incident.victims.get().count == 3


@pytest.mark.postgres
def test_a_row_that_points_nowhere_fails_the_whole_write(org, tmp_path):
    _import(org, tmp_path)
    incident = Incident.objects.get(update__import_key="import:test-keys-org:1")
    victims, before = Victim.objects.count(), _keys()
    good, bad = next_ids(Victim, 2)
    missing_incident = Incident.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            with foreign_keys_checked_at_the_end([Victim], rows=2, min_rows=1) as dropped:
                assert dropped
                bulk_insert(Victim, VICTIM_COLUMNS, [(good, incident.pk, _victim_type().pk, 1, "", True),
                                                     (bad, missing_incident, _victim_type().pk, 1, "", True)])
    assert Victim.objects.count() == victims  # neither row stayed
    assert _keys() == before  # the dropped keys came back with the rollback


@pytest.mark.postgres
def test_a_small_import_or_one_into_fuller_tables_keeps_the_keys(org, tmp_path):
    _import(org, tmp_path, victims=[["22", "12", "victim", "journalist", "1", ""]])
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            with foreign_keys_checked_at_the_end([Victim], rows=19_999) as dropped:
                assert not dropped
    assert not any("CONSTRAINT" in q["sql"] for q in queries.captured_queries)
    _analyze([Victim])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'monitoring_victim'::regclass")
        there = int(cursor.fetchone()[0])
    assert there == Victim.objects.count() >= 2  # the demo records' and the archive's
    with transaction.atomic():
        with foreign_keys_checked_at_the_end([Victim], rows=there - 1, min_rows=1) as dropped:
            assert not dropped
        with foreign_keys_checked_at_the_end([Victim], rows=there, min_rows=1) as dropped:
            assert dropped
    assert len(_keys([Victim])) == 2


@pytest.mark.postgres
def test_a_lock_held_by_another_session_leaves_the_keys_to_be_checked_row_by_row(org, tmp_path):
    _import(org, tmp_path)
    incident = Incident.objects.get(update__import_key="import:test-keys-org:1")
    before, victims = _keys([Victim]), Victim.objects.count()
    settings = connection.settings_dict
    reader = psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                             password=settings["PASSWORD"] or None, dbname=settings["NAME"])
    try:
        reader.execute("SELECT count(*) FROM monitoring_victim")  # an open transaction reading the table
        with transaction.atomic():
            with foreign_keys_checked_at_the_end([Victim], rows=1, min_rows=1, lock_timeout_ms=200) as dropped:
                assert not dropped
                assert _keys([Victim]) == before  # still there: each row is checked as usual
                bulk_insert(Victim, VICTIM_COLUMNS, [(next_ids(Victim, 1)[0], incident.pk, _victim_type().pk, 2,
                                                      "", True)])
        assert Victim.objects.count() == victims + 1  # the write itself went on
    finally:
        reader.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"  # the short timeout did not outlive the attempt


def test_only_postgresql_has_keys_to_drop(org):
    with transaction.atomic():
        with foreign_keys_checked_at_the_end([Victim], rows=10**6) as dropped:
            assert dropped is (connection.vendor == "postgresql")
    if connection.vendor == "postgresql":
        assert len(_keys([Victim])) == 2


@pytest.mark.postgres
def test_rows_written_earlier_in_the_transaction_keep_the_keys(org, tmp_path):
    # Keys of rows written earlier in the same transaction are still to be checked: PostgreSQL refuses to alter
    # the table then ("pending trigger events"), and the write goes on with the keys in place.
    _files(tmp_path)
    records_import(directory=tmp_path, organisation=org)
    before = _keys([Victim])
    with transaction.atomic():
        with foreign_keys_checked_at_the_end([Victim], rows=10**6) as dropped:
            assert not dropped
    assert _keys([Victim]) == before


@pytest.mark.postgres
def test_a_failed_write_never_commits_without_its_keys(org, monkeypatch):
    """A caller that catches the error inside its transaction cannot commit with the keys dropped: the
    transaction is rolled back, and the keys are back."""
    monkeypatch.setattr(upsert, "BULK_KEYS_MIN_ROWS", 1)
    _empty(LINKED)
    before = _keys()
    with transaction.atomic():
        try:
            with foreign_keys_checked_at_the_end(LINKED, rows=10) as dropped:
                assert dropped and _keys() == []
                raise ValueError("the write failed")
        except ValueError:
            pass
        assert transaction.get_rollback()
    assert _keys() == before
