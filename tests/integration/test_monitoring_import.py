"""Importing monitoring records from a data release's CSV files (issue 17, item 5a): every bad line is reported
with its file, line and field and nothing is written; a release exported, imported into a database without
those records and exported again comes back identical; the rows go in bulk (core/upsert.bulk_insert)."""
import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from civicspace.audit.models import AuditEvent
from civicspace.core.csvfiles import CsvValidationError
from civicspace.core.upsert import bulk_insert, next_ids, reset_sequences
from civicspace.monitoring.importer import records_import
from civicspace.monitoring.models import Incident, Organisation, Source, Status, Update, Victim
from civicspace.search.models import DirtyRecord

pytestmark = pytest.mark.django_db

MONITORING_TABLES = ("updates", "incidents", "incident_types", "victims", "sources")


def _write(path, name, header, rows):
    with open(path / name, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _files(path, *, updates=(), incidents=(), victims=(), sources=()):
    _write(path, "updates.csv", ["id", "country", "date", "original_language", "languages", "title_en", "title_ru",
                                 "summary_en", "body_en", "freedoms", "organisation", "published_at"],
           [["1", "KGZ", "2024-03-01", "en", "en", "Imported one", "", "Summary.", "Body **one**.", "expression",
             "someone", "2024-03-02T10:00:00Z"],
            ["2", "kaz", "2024-04-01", "ru", "ru", "", "Импорт два", "", "", "association;expression", "", ""],
            *updates])
    _write(path, "sources.csv", ["id", "update", "title", "publisher", "date", "url", "language"],
           [["7", "1", "A report", "CPJ", "2024-03-01", "https://example.org/r", "en"], *sources])
    _write(path, "incidents.csv", ["id", "update", "country", "date", "date_precision", "place_precision",
                                   "place_en", "description_en", "types", "freedoms", "perpetrators", "sources"],
           [["11", "1", "KGZ", "2024-02-01", "month", "city", "Bishkek", "Raid.", "journalist_detained",
             "expression", "police", "7"],
            ["12", "2", "KAZ", "2024-01-01", "year", "country", "", "", "journalist_detained", "", "", ""],
            *incidents])
    _write(path, "victims.csv", ["id", "incident", "vocabulary", "type", "count", "names"],
           [["21", "11", "victim", "journalist", "3", "A. Person; B. Person"], *victims])


def _counts():
    return (Update.objects.count(), Incident.objects.count(), Victim.objects.count(), Source.objects.count(),
            Incident.types.through.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def org(db):
    return Organisation.objects.create(slug="test-archive-org", name="Archive partner (synthetic)")


def test_a_valid_archive_comes_in_as_drafts_of_the_importing_organisation(org, tmp_path):
    _files(tmp_path)
    before = _counts()
    report = records_import(directory=tmp_path, organisation=org)
    assert (report.updates, report.incidents, report.victims, report.sources) == (2, 2, 1, 1)
    assert not report.keys_checked_at_end  # a small import: PostgreSQL checks each key as usual
    imported = Update.objects.filter(organisation=org).order_by("pk")
    assert [u.status for u in imported] == [Status.DRAFT, Status.DRAFT]
    assert not Update.objects.published().filter(organisation=org).exists()
    first, second = imported
    assert first.import_key == "import:test-archive-org:1"  # the file's id, to refuse a second import
    assert first.title_en == "Imported one" and first.published_at is None and first.country.code == "KGZ"
    assert second.title_ru == "Импорт два" and second.country.code == "KAZ"
    assert sorted(second.freedoms.values_list("code", flat=True)) == ["association", "expression"]
    incident = first.incidents.get()
    assert (incident.date.isoformat(), incident.date_precision, incident.place_en) == ("2024-02-01", "month", "Bishkek")
    assert [t.code for t in incident.types.all()] == ["journalist_detained"]
    assert [p.code for p in incident.perpetrators.all()] == ["police"]
    assert [s.title for s in incident.sources.all()] == ["A report"]
    victim = incident.victims.get()
    assert (victim.count, victim.names, victim.names_sensitive) == (3, "A. Person\nB. Person", True)
    after = _counts()
    assert after[:4] == (before[0] + 2, before[1] + 2, before[2] + 1, before[3] + 1)
    event = AuditEvent.objects.latest("pk")
    assert event.action == "monitoring.records_import" and event.data["updates"] == 2
    assert event.target_id == str(org.pk)
    # The same archive again, for the same organisation: refused line by line, nothing written.
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=org)
    assert "updates.csv, line 2, field 'id': update 1 was already imported for test-archive-org" in \
        [str(e) for e in refused.value.errors]
    assert _counts() == after


def test_published_import_keeps_ids_marks_the_index_and_moves_the_sequences(org, tmp_path):
    _files(tmp_path)
    free = (Update.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    # Move the file's ids past every id in the database.
    for name in ("updates.csv", "incidents.csv", "sources.csv", "victims.csv"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        for row in rows[1:]:
            for i, column in enumerate(rows[0]):
                if column in ("id", "update", "incident", "sources") and row[i]:
                    row[i] = str(int(row[i]) + free)
        _write(tmp_path, name, rows[0], rows[1:])
    records_import(directory=tmp_path, organisation=org, status=Status.PUBLISHED, keep_ids=True,
                   public_names=True)
    update = Update.objects.get(pk=free + 1)
    assert update.status == Status.PUBLISHED and update.published_at.isoformat() == "2024-03-02T10:00:00+00:00"
    assert Update.objects.get(pk=free + 2).published_at is not None  # blank in the file: the time of the import
    assert Incident.objects.get(pk=free + 11).sources.get().pk == free + 7
    assert Victim.objects.get(pk=free + 21).public_names() == ["A. Person", "B. Person"]
    assert set(DirtyRecord.objects.filter(object_id__in=[free + 1, free + 2]).values_list("object_id", flat=True)) \
        == {free + 1, free + 2}
    # The next ordinary write takes an id after the imported ones.
    assert Source.objects.create(update=update, title="later").pk > free + 7
    # Importing again with the same ids: each taken id is named.
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=Organisation.objects.create(slug="other", name="Other"),
                       keep_ids=True)
    messages = [str(e) for e in refused.value.errors]
    assert f"incidents.csv, line 2, field 'id': id {free + 11} is already taken in this database" in messages
    assert f"victims.csv, line 2, field 'id': id {free + 21} is already taken in this database" in messages


BAD_LINES = {
    "updates.csv": (dict(updates=[["3", "XXX", "2024-13-01", "de", "", "", "", "", "", "speech", "", "yesterday"]]),
                    ["updates.csv, line 4, field 'country': unknown country code 'XXX'",
                     "updates.csv, line 4, field 'date': '2024-13-01' is not a date (YYYY-MM-DD)",
                     "updates.csv, line 4, field 'original_language': 'de' is not one of: en, ru, fr, es, ar",
                     "updates.csv, line 4, field 'freedoms': unknown freedom code 'speech'",
                     "updates.csv, line 4, field 'published_at': 'yesterday' is not a UTC time "
                     "(YYYY-MM-DDTHH:MM:SSZ)"]),
    "incidents.csv": (dict(incidents=[["13", "9", "", "2024-02-15", "month", "country", "Osh", "", "no_such_type",
                                       "", "", "7"],
                                      ["14", "2", "KAZ", "2024-01-01", "week", "city", "", "", "", "", "", ""]]),
                      ["incidents.csv, line 4, field 'update': update 9 is not in updates.csv",
                       "incidents.csv, line 4, field 'date': is not the first of the month (date_precision is month)",
                       "incidents.csv, line 4, field 'place_en': a place is given but place_precision is country "
                       "(no place is kept)",
                       "incidents.csv, line 4, field 'types': unknown violation or positive code 'no_such_type'",
                       "incidents.csv, line 4, field 'sources': source 7 belongs to update 1, not 9",
                       "incidents.csv, line 5, field 'date_precision': 'week' is not one of: day, month, year",
                       "incidents.csv, line 5, field 'types': names no term"]),
    "victims.csv": (dict(victims=[["22", "99", "victim", "journalist", "-1", ""],
                                  ["21", "11", "victim", "nobody", "", ""]]),
                    ["victims.csv, line 3, field 'incident': incident 99 is not in incidents.csv",
                     "victims.csv, line 3, field 'count': '-1' is not a whole number of victims",
                     "victims.csv, line 4, field 'id': duplicate id 21 (also on line 2)",
                     "victims.csv, line 4, field 'type': unknown victim code 'nobody'"]),
    "sources.csv": (dict(sources=[["8", "5", "", "", "01/02/2024", "ftp://example.org/x", "xx"]]),
                    ["sources.csv, line 3, field 'update': update 5 is not in updates.csv",
                     "sources.csv, line 3, field 'title': is empty",
                     "sources.csv, line 3, field 'date': '01/02/2024' is not a date (YYYY-MM-DD)",
                     "sources.csv, line 3, field 'url': 'ftp://example.org/x' is not a web address (http or https)",
                     "sources.csv, line 3, field 'language': 'xx' is not one of: en, ru, fr, es, ar"]),
}


@pytest.mark.parametrize("filename", list(BAD_LINES))
def test_every_bad_line_is_named_and_nothing_is_written(org, tmp_path, filename):
    extra, expected = BAD_LINES[filename]
    _files(tmp_path, **extra)
    before = _counts()
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=org, status=Status.PUBLISHED)
    assert [str(e) for e in refused.value.errors] == expected
    assert _counts() == before
    assert not Update.objects.filter(organisation=org).exists()
    # The command says the same, with every line.
    with pytest.raises(CommandError) as command:
        call_command("import_monitoring", str(tmp_path), "--organisation", org.slug, stdout=io.StringIO())
    assert all(message in str(command.value) for message in expected)
    assert "nothing was imported" in str(command.value)
    assert _counts() == before


def test_a_missing_column_is_named(org, tmp_path):
    _files(tmp_path)
    _write(tmp_path, "victims.csv", ["id", "incident"], [["21", "11"]])
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=org)
    assert [str(e) for e in refused.value.errors] == \
        ["victims.csv, line 1, field 'type': required column is missing from the header"]


def test_a_release_round_trips_through_export_and_import(tmp_path):
    """Export the demo content, remove it, import the release with its ids, export again: the monitoring tables
    are identical."""
    from civicspace.cases.models import Case
    from civicspace.legislation.models import Bill

    org = Organisation.objects.order_by("pk").last()
    Update.objects.update(organisation=org)  # one importing organisation
    Update.objects.exclude(status=Status.PUBLISHED).delete()
    assert Update.objects.published().count() > 10
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export", "--out", str(first), stdout=io.StringIO())
    counts = (Update.objects.count(), Incident.objects.count(), Victim.objects.count(), Source.objects.count())
    with transaction.atomic():
        Case.objects.all().delete()
        Bill.objects.all().delete()
        Update.objects.all().delete()
    assert not Incident.objects.exists()
    call_command("import_monitoring", str(first), "--organisation", org.slug, "--status", "published", "--keep-ids",
                 "--public-names", stdout=io.StringIO())
    assert (Update.objects.count(), Incident.objects.count(), Victim.objects.count(), Source.objects.count()) == counts
    call_command("export", "--out", str(second), stdout=io.StringIO())
    for table in MONITORING_TABLES:
        assert (first / f"{table}.csv").read_bytes() == (second / f"{table}.csv").read_bytes(), table


def test_bulk_insert_writes_in_the_callers_transaction_and_sequences_move_on(db):
    start = next_ids(Organisation, 3)
    assert len(set(start)) == 3 and min(start) > max(Organisation.objects.values_list("pk", flat=True))
    with transaction.atomic():
        written = bulk_insert(Organisation, ["id", "slug", "name", "description", "website", "is_active"],
                              ((pk, f"bulk-{pk}", "Bulk (synthetic)", "", "", True) for pk in start))
        reset_sequences([Organisation])
    assert written == 3 and Organisation.objects.filter(slug__startswith="bulk-").count() == 3
    assert Organisation.objects.create(slug="after", name="After").pk > max(start)


def test_unreadable_files_are_named_alone_in_file_order(org, tmp_path):
    # The files are read as they are checked: a malformed line late in one file and a missing column in another
    # are both reported, and only they (the other files' lines cannot be checked against them).
    _files(tmp_path, updates=[["3", "XXX", "2024-13-01", "de", "", "", "", "", "", "speech", "", ""]])
    _write(tmp_path, "victims.csv", ["id", "incident"], [["21", "11"]])
    with open(tmp_path / "incidents.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write('13,1,KGZ,2024-02-01,day,city,"Osh" x,,journalist_detained,,,,extra\n')
    before = _counts()
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=org)
    assert [str(e) for e in refused.value.errors] == [
        "incidents.csv, line 4, field '-': more values than columns",
        "victims.csv, line 1, field 'type': required column is missing from the header"]
    assert _counts() == before


def test_published_import_is_indexed_in_batches_when_it_commits(org, tmp_path, settings,
                                                                django_capture_on_commit_callbacks):
    from civicspace.search.models import Kind, SearchDocument

    settings.SEARCH_INDEX_ON_COMMIT = True
    _files(tmp_path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = records_import(directory=tmp_path, organisation=org, status=Status.PUBLISHED)
    assert len(callbacks) == 1  # one callback for all the published updates, not one each
    first = Update.objects.get(pk=report.published[0])
    assert SearchDocument.objects.filter(kind=Kind.UPDATE, object_id=first.pk).exists()
    assert SearchDocument.objects.filter(kind=Kind.INCIDENT, parent_id=first.pk).exists()
    assert not DirtyRecord.objects.filter(object_id__in=report.published).exists()


def test_confidential_sources_and_sensitive_names_in_the_files_stay_so(org, tmp_path):
    """An organisation's own archive may mark a source confidential or names sensitive: that holds even when the
    import is published with --public-names; a flag that is not yes/no is named and nothing is written."""
    _files(tmp_path)
    _write(tmp_path, "sources.csv", ["id", "update", "title", "publisher", "date", "url", "language", "confidential"],
           [["7", "1", "A report", "CPJ", "2024-03-01", "https://example.org/r", "en", "true"],
            ["8", "1", "A public one", "CPJ", "2024-03-01", "https://example.org/p", "en", ""]])
    _write(tmp_path, "victims.csv", ["id", "incident", "vocabulary", "type", "count", "names", "names_sensitive"],
           [["21", "11", "victim", "journalist", "3", "A. Person", "yes"],
            ["22", "11", "victim", "journalist", "1", "C. Person", ""]])
    records_import(directory=tmp_path, organisation=org, status=Status.PUBLISHED, public_names=True)
    assert dict(Source.objects.filter(update__organisation=org).values_list("title", "confidential")) == {
        "A report": True, "A public one": False}
    assert dict(Victim.objects.filter(incident__update__organisation=org).values_list("names", "names_sensitive")) \
        == {"A. Person": True, "C. Person": False}


def test_a_flag_that_is_not_yes_or_no_is_named(org, tmp_path):
    _files(tmp_path)
    _write(tmp_path, "sources.csv", ["id", "update", "title", "publisher", "date", "url", "language", "confidential"],
           [["7", "1", "A report", "CPJ", "2024-03-01", "https://example.org/r", "en", "maybe"]])
    before = _counts()
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=org)
    assert "sources.csv, line 2, field 'confidential': 'maybe' is not one of: true, false" in str(refused.value)
    assert _counts() == before


def test_an_import_that_finished_meanwhile_is_found_under_the_lock(org, tmp_path, monkeypatch):
    """Two runs of the same import: the second passed its line checks before the first committed; under the
    organisation's lock it finds the first's records and writes nothing."""
    from civicspace.monitoring import importer

    _files(tmp_path)
    write = importer._write

    def racing(**kwargs):
        monkeypatch.setattr(importer, "_write", write)
        records_import(directory=tmp_path, organisation=org)  # the other run, committed first
        return write(**kwargs)

    monkeypatch.setattr(importer, "_write", racing)
    with pytest.raises(CsvValidationError) as refused:
        records_import(directory=tmp_path, organisation=org)
    assert "another import of these updates for this organisation finished meanwhile" in str(refused.value)
    assert Update.objects.filter(organisation=org).count() == 2  # the first run's two, not four
