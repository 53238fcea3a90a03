"""Need-to-know (docs/security.md): unpublished material of one organisation (trend calls and their notes, stage
proposals and who proposed them) is visible only to that organisation and to editors, even to a partner of
another organisation assigned to the same country."""
import pytest
from django.test import Client

from civicspace.countries.models import Country
from civicspace.legislation.models import Bill, StageEvent
from civicspace.monitoring.models import TrendCall

pytestmark = pytest.mark.django_db

NOTE = "CANARY-other-organisation-trend-note-51"
STAGE_NOTE = "CANARY-proposed-stage-note-62"


@pytest.fixture
def material(people):
    kgz = Country.objects.get(code="KGZ")
    call = TrendCall.objects.create(country=kgz, organisation=people["kgz_org"], period_end="2024-06-30",
                                    call="worse", note=NOTE, created_by=people["partner"])
    bill = Bill.objects.create(country=kgz, short_title_en="Synthetic bill (test)", category="ngo",
                               direction="restrictive")
    proposal = StageEvent.objects.create(bill=bill, stage="introduced", date="2024-05-01", verified=False,
                                         note_en=STAGE_NOTE, proposed_by=people["partner"])
    return {"call": call, "bill": bill, "proposal": proposal}


def page(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_partner_of_another_organisation_sees_neither_the_trend_call_nor_its_note(people, material):
    other = page(people["partner_other_org"], "/en/workspace/trend-calls/")
    assert NOTE not in other and people["kgz_org"].name not in other
    assert NOTE in page(people["partner"], "/en/workspace/trend-calls/")  # the organisation's own call
    assert TrendCall.objects.filter(note=NOTE).count() == 1


def test_a_partner_of_another_organisation_sees_neither_the_proposed_stage_nor_its_proposer(people, material):
    url = f"/en/workspace/laws/{material['bill'].pk}/"
    other = page(people["partner_other_org"], url)
    assert STAGE_NOTE not in other and people["partner"].username not in other
    own_org = page(people["partner"], url)
    assert STAGE_NOTE in own_org and people["partner"].username in own_org


def test_editors_see_every_organisations_material(people, material):
    editor = people["editor"]
    assert STAGE_NOTE in page(editor, f"/en/workspace/laws/{material['bill'].pk}/")
    assert people["partner"].username in page(editor, f"/en/workspace/laws/{material['bill'].pk}/")
