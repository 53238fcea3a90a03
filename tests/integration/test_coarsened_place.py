"""A place coarsened to "country only" is not kept where the public can reach it (issue 14): an incident entered
with an exact place and "country only" used to publish that place on the page in five languages, in the API and
in the export."""
import importlib
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from civicspace.monitoring.models import Incident, Status
from civicspace.monitoring.forms import IncidentForm
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db

EXACT = "CANARY-exact-place-Street-12-b7"


def _coarsened_incident(people):
    update = make_update(people, Status.PUBLISHED)
    incident = update.incidents.get()
    # As rows written before the fix (or by a bulk load that bypasses save()) hold it.
    Incident.objects.filter(pk=incident.pk).update(place=EXACT, place_precision="country")
    return update, incident


def test_saving_a_country_only_incident_keeps_no_place(people):
    update = make_update(people, Status.DRAFT)
    incident = update.incidents.get()
    incident.place, incident.place_precision = EXACT, "country"
    incident.save()
    assert Incident.objects.get(pk=incident.pk).place == ""
    assert not incident.history.filter(place=EXACT).exists()


def test_the_migration_scrubs_existing_rows_and_their_history(people):
    update, incident = _coarsened_incident(people)
    city = update.incidents.create(date="2024-01-02", date_precision="day", place="Bishkek", place_precision="city")
    incident.history.model.objects.filter(id=incident.pk).update(place=EXACT, place_precision="country")
    migration = importlib.import_module("civicspace.monitoring.migrations.0004_scrub_coarsened_places")
    migration.scrub(apps, None)
    assert Incident.objects.get(pk=incident.pk).place == ""
    assert not incident.history.model.objects.filter(place=EXACT).exists()
    assert Incident.objects.get(pk=city.pk).place == "Bishkek"  # a city-precision place is public by design


def test_no_public_output_shows_a_coarsened_place(people, tmp_path):
    update, _incident = _coarsened_incident(people)
    client = Client()
    for lang, _name in settings.LANGUAGES:
        page = client.get(f"/{lang}/updates/{update.pk}/")
        assert page.status_code == 200 and EXACT not in page.content.decode()
        api = client.get(f"/api/v1/updates/{update.pk}?lang={lang}")
        assert api.status_code == 200
        assert [i["place"] for i in api.json()["incidents"]] == [""]
    call_command("export", "--out", str(tmp_path), stdout=io.StringIO())
    texts = "".join(p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("incidents.*")
                    if p.suffix in (".csv", ".json"))
    assert "incidents" in " ".join(p.name for p in tmp_path.rglob("*")) and texts
    assert EXACT not in texts


def test_the_form_refuses_an_exact_place_with_country_only_and_says_what_is_public(people):
    update = make_update(people, Status.DRAFT)
    data = {"date": "2024-01", "place": EXACT, "place_precision": "country", "description": "Synthetic.",
            "freedoms": [], "types": []}
    form = IncidentForm(data, update=update)
    assert not form.is_valid()
    assert "country only" in " ".join(form.errors["place"])
    assert "public" in str(form.fields["place"].help_text).lower()
