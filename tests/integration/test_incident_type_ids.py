"""Incident.type_ids, the copy of an incident's types that recomputation counts by (issue 17): it follows the
relation through every path that changes it, and an incident saved from an instance read before its types changed
never writes an old copy back."""
import datetime as dt

import pytest

from civicspace.monitoring.importer import records_import
from civicspace.monitoring.models import Incident, Organisation, Term, type_ids_text
from civicspace.monitoring.services import incident_save
from civicspace.monitoring.signals import incident_type_ids_refresh
from tests.monitoring_fixtures import make_update, people, term  # noqa: F401 (fixture)

from .test_monitoring_import import _files

pytestmark = pytest.mark.django_db


def _relation(incident):
    return type_ids_text(Incident.types.through.objects.filter(incident_id=incident.pk)
                         .values_list("term_id", flat=True))


def _stored(incident):
    return Incident.objects.values_list("type_ids", flat=True).get(pk=incident.pk)


def _incident(people):
    return make_update(people).incidents.get()


def test_the_copy_follows_set_add_remove_and_clear(people):
    incident = _incident(people)
    raid, detained, killed = (term("violation", c) for c in ("raid_search", "journalist_detained",
                                                              "protesters_killed"))
    assert _stored(incident) == str(raid.pk) == _relation(incident)
    incident.types.add(killed, detained)
    assert _stored(incident) == type_ids_text([raid.pk, killed.pk, detained.pk]) == _relation(incident)
    assert incident.type_ids == _stored(incident)  # the instance in hand shows it too
    incident.types.remove(raid)
    assert _stored(incident) == type_ids_text([killed.pk, detained.pk])
    incident.types.clear()
    assert _stored(incident) == "" == _relation(incident)
    incident.types.set([detained])
    assert _stored(incident) == str(detained.pk)


def test_the_copy_follows_changes_from_the_terms_side(people):
    incident = _incident(people)
    other = make_update(people).incidents.get()
    raid, detained = term("violation", "raid_search"), term("violation", "journalist_detained")
    detained.incidents.add(incident, other)
    assert _stored(incident) == _stored(other) == type_ids_text([raid.pk, detained.pk])
    detained.incidents.remove(other)
    assert _stored(other) == str(raid.pk) and _stored(incident) == type_ids_text([raid.pk, detained.pk])
    raid.incidents.clear()
    assert _stored(incident) == str(detained.pk) == _relation(incident)
    assert _stored(other) == "" == _relation(other)


def test_a_stale_instance_does_not_write_its_old_copy_back(people):
    incident = _incident(people)
    stale = Incident.objects.get(pk=incident.pk)
    detained = term("violation", "journalist_detained")
    incident.types.set([detained])
    stale.description_en = "Edited from an older read."
    stale.save()
    stale.refresh_from_db()
    assert stale.description_en == "Edited from an older read."
    assert _stored(incident) == str(detained.pk) == _relation(incident)


def test_the_service_and_the_importer_write_the_copy(people, tmp_path):
    update = make_update(people, with_evidence=False)
    killed, detained = term("violation", "protesters_killed"), term("violation", "journalist_detained")
    created = incident_save(update=update, actor=people["partner"], date=dt.date(2024, 2, 1),
                            date_precision="day", place="", place_precision="country",
                            description="Synthetic.", outcome="", freedoms=[term("freedom", "peaceful_assembly")],
                            types=[killed, detained], perpetrators=[], sources=[], victims=[])
    assert _stored(created) == type_ids_text([killed.pk, detained.pk]) == _relation(created)
    _files(tmp_path, incidents=[["13", "1", "KGZ", "2024-02-02", "day", "country", "", "",
                                 "protesters_killed;journalist_detained", "", "", ""]])
    organisation = Organisation.objects.create(slug="type-ids-import", name="Import (synthetic)")
    records_import(directory=tmp_path, organisation=organisation)
    imported = Incident.objects.filter(update__organisation=organisation)
    assert imported.count() == 3
    for incident in imported:
        assert incident.type_ids == _relation(incident) != ""


def test_refresh_rewrites_copies_left_behind_by_a_bulk_write(people):
    incident = _incident(people)
    detained = Term.objects.get(vocabulary="violation", code="journalist_detained")
    Incident.types.through.objects.bulk_create([Incident.types.through(incident_id=incident.pk,
                                                                       term_id=detained.pk)])
    assert _stored(incident) != _relation(incident)  # a bulk write sends no signal
    incident_type_ids_refresh([incident.pk])
    assert _stored(incident) == _relation(incident)


def test_deleting_a_term_rewrites_the_copies_and_recomputation_goes_on(people):
    import datetime as dt

    from civicspace.monitoring.models import Status
    from civicspace.watchlist import selectors

    incident = make_update(people, status=Status.PUBLISHED).incidents.get()
    detained = term("violation", "journalist_detained")
    incident.types.add(detained)
    term("violation", "raid_search").delete()  # the administrators' taxonomy: a term can go, with its relation rows
    assert _stored(incident) == str(detained.pk) == _relation(incident)

    def tally():
        return selectors.incident_tallies(after=dt.date(2023, 12, 31), until=dt.date(2024, 1, 1),
                                          split=dt.date(2024, 1, 1), country_ids=[incident.update.country_id])

    before = tally()
    assert before[(incident.update.country_id, False, ("journalist_detained",))] >= 1
    Incident.objects.filter(pk=incident.pk).update(type_ids=f"{detained.pk},999999")  # a copy left behind
    assert tally() == before  # the unknown id is skipped, nothing fails


def test_the_check_finds_a_copy_left_behind_and_the_repair_rewrites_it(people):
    import io

    from django.core.management import CommandError, call_command

    from civicspace.audit.models import AuditEvent

    incident = _incident(people)
    out = io.StringIO()
    call_command("incident_type_ids", stdout=out)
    assert "matches" in out.getvalue()
    Incident.objects.filter(pk=incident.pk).update(type_ids="")  # raw writes bypass the receiver
    with pytest.raises(CommandError, match=f"incident\\(s\\) {incident.pk}; run with --repair"):
        call_command("incident_type_ids")
    assert _stored(incident) == ""  # a check changes nothing
    call_command("incident_type_ids", "--repair", stdout=io.StringIO())
    assert _stored(incident) == _relation(incident) != ""
    event = AuditEvent.objects.latest("pk")
    assert event.action == "monitoring.incident_type_ids_repair" and event.data == {"repaired": 1,
                                                                                   "incidents": [incident.pk]}
    call_command("incident_type_ids", stdout=io.StringIO())  # clean again
