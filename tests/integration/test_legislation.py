"""The legislation tracker: demo bills, filters and counts, the Done-when scenario, permissions, validation."""
import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from civicspace.audit.models import AuditEvent
from civicspace.legislation.models import Bill, StageEvent

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def foreign_agent_bill():
    return Bill.objects.get(import_key="kgz-foreign-representatives-bill")


@pytest.fixture
def editor(people):
    client = Client()
    client.force_login(people["editor"])
    return client


def test_both_kyrgyz_bills_are_listed_at_their_stages(client):
    page = text(client.get("/en/laws/?country=KGZ"))
    assert re.search(r"Draft law on “foreign representatives” Kyrgyzstan Foreign agent / foreign funding "
                     r"Restrictive Second reading February 2024", page)
    assert re.search(r"Draft media law extending control to blogs and websites Kyrgyzstan Media and online content "
                     r"Restrictive In committee 5 March 2024", page)
    assert "1 foreign-agent bill is pending" in page and "0 countries have enacted a foreign-agent law" in page


def test_the_country_page_lists_its_laws_in_the_pipeline(client):
    page = text(client.get("/en/countries/kgz/"))
    assert "Laws in the pipeline" in page
    assert "Draft law on “foreign representatives” — Second reading February 2024" in page
    assert "Законопроект об «иностранных представителях»" in client.get("/ru/countries/kgz/").content.decode()


def test_adding_a_signed_stage_moves_the_bill_everywhere_within_one_request(client, editor, foreign_agent_bill):
    response = editor.post(f"/en/workspace/laws/{foreign_agent_bill.pk}/stages/new/",
                           {"stage": "signed", "date": "2024-04-02", "note": "Signed by the President."})
    assert response.status_code == 302 and response.url == f"/en/workspace/laws/{foreign_agent_bill.pk}/"
    laws = text(client.get("/en/laws/?country=KGZ"))
    assert "Signed into law 2 April 2024" in laws
    assert "1 country has enacted a foreign-agent law" in laws and "0 foreign-agent bills are pending" in laws
    assert "Signed into law" in text(client.get("/en/countries/kgz/"))
    detail = text(client.get(f"/en/laws/{foreign_agent_bill.pk}/"))
    assert "Signed into law · 2 April 2024 (current stage)" in detail
    for feed in ["/en/laws/feed/", "/en/laws/feed/?country=kgz", f"/en/laws/{foreign_agent_bill.pk}/feed/",
                 "/en/laws/feed/rss/"]:
        body = client.get(feed).content.decode()
        assert "Draft law on “foreign representatives” — Signed into law" in body, feed
    assert client.get("/en/laws/?stage=signed").content.decode().count("/en/laws/") >= 1
    assert AuditEvent.objects.filter(action="legislation.stage_add", target_id=str(foreign_agent_bill.pk)).exists()
    assert foreign_agent_bill.events.get(stage="signed").history.count() == 1


def test_the_feed_is_valid_atom(client):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get("/en/laws/feed/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "Kyrgyzstan: Draft law on “foreign representatives” — Second reading" in titles


@pytest.mark.parametrize("data, field, message", [
    ({"stage": "introduced", "date": "2024-03-01"}, "Date",
     "“Introduced” on 1 March 2024 cannot come after “Second reading” on 1 February 2024."),
    ({"stage": "signed", "date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, "Date",
     "The date is in the future."),
    ({"stage": "enacted_by_decree", "date": "2024-04-01"}, "Stage", "Select a valid choice."),
    ({"stage": "veto_overridden", "date": "2024-04-01"}, "Stage",
     "“Veto overridden” needs an earlier stage: Vetoed."),
    ({"stage": "repealed", "date": "2024-04-01"}, "Stage", "“Repealed” needs an earlier stage: Signed into law, "),
    ({"stage": "signed", "date": "2024"}, "Date", "Give at least the month of a stage."),
])
def test_impossible_stages_are_refused_naming_the_field(editor, foreign_agent_bill, data, field, message):
    before = foreign_agent_bill.events.count()
    response = editor.post(f"/en/workspace/laws/{foreign_agent_bill.pk}/stages/new/", data)
    assert response.status_code == 400
    assert f"{field}: " in text(response) and message in text(response)
    assert foreign_agent_bill.events.count() == before


def test_partners_propose_stages_for_their_countries_and_editors_verify(client, people, editor, foreign_agent_bill):
    partner = Client()
    partner.force_login(people["partner"])
    response = partner.post(f"/en/workspace/laws/{foreign_agent_bill.pk}/stages/new/",
                            {"stage": "third_reading", "date": "2024-03-20"})
    assert response.status_code == 302 and response.url == f"/en/workspace/laws/{foreign_agent_bill.pk}/"
    proposal = StageEvent.objects.get(bill=foreign_agent_bill, stage="third_reading")
    assert not proposal.verified
    # Not public until verified.
    assert "Third or final reading" not in text(client.get(f"/en/laws/{foreign_agent_bill.pk}/"))
    assert "Third or final reading" in text(editor.get("/en/workspace/laws/"))
    editor.post(f"/en/workspace/laws/stages/{proposal.pk}/verify/")
    proposal.refresh_from_db()
    assert proposal.verified and proposal.verified_by == people["editor"]
    assert "Third or final reading" in text(client.get(f"/en/laws/{foreign_agent_bill.pk}/"))


@pytest.mark.parametrize("role, page, propose, create", [
    ("anonymous", 302, 302, 302),
    ("partner", 200, 302, 403),
    ("partner_same_org_other_country", 404, 404, 403),
    ("partner_other_org", 200, 302, 403),  # their assignments include Kyrgyzstan
    ("panel", 404, 404, 403),
    ("editor", 200, 302, 200),
    ("admin", 200, 302, 200),
    ("deactivated", 302, 302, 302),
])
def test_legislation_permissions(people, foreign_agent_bill, role, page, propose, create):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    assert client.get(f"/en/workspace/laws/{foreign_agent_bill.pk}/").status_code == page
    response = client.post(f"/en/workspace/laws/{foreign_agent_bill.pk}/stages/new/",
                           {"stage": "third_reading", "date": "2024-03-20"})
    assert response.status_code == propose
    assert client.get("/en/workspace/laws/new/").status_code == create
    verified = StageEvent.objects.filter(bill=foreign_agent_bill, stage="third_reading", verified=True).exists()
    assert verified == (role in ("editor", "admin"))


def test_editors_create_a_bill(editor, people):
    from civicspace.countries.models import Country
    from civicspace.monitoring.models import Term

    response = editor.post("/en/workspace/laws/new/", {
        "country": Country.objects.get(code="KAZ").pk, "short_title": "Test bill (synthetic)", "category": "ngo",
        "direction": "enabling", "lang": "en", "freedoms": [Term.objects.get(code="association").pk]})
    bill = Bill.objects.get(short_title_en="Test bill (synthetic)")
    assert response.status_code == 302 and bill.direction == "enabling"
    assert AuditEvent.objects.filter(action="legislation.bill_create", target_id=str(bill.pk)).exists()
    errors = text(editor.post("/en/workspace/laws/new/", {"lang": "en", "category": "nonsense"}))
    assert "Short title: This field is required." in errors and "Category: Select a valid choice." in errors


@pytest.mark.parametrize("query, present, absent", [
    ("category=media", ["Draft media law"], ["foreign representatives"]),
    ("direction=enabling", [], ["Draft media law", "foreign representatives"]),
    ("stage=committee", ["Draft media law"], ["foreign representatives"]),
    ("region=europe-central-asia", ["Draft media law", "foreign representatives"], []),
    ("region=africa", [], ["Draft media law"]),
    ("moved_from=2024-03-01", ["Draft media law"], ["foreign representatives"]),
    ("moved_to=2024-02-28", ["foreign representatives"], ["Draft media law"]),
])
def test_law_filters(client, query, present, absent):
    page = text(client.get(f"/en/laws/?{query}"))
    for title in present:
        assert title in page
    for title in absent:
        assert title not in page
