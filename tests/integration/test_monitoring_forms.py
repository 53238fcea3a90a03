"""Every invalid input is refused with a message naming the field, and nothing is half-saved."""
import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from civicspace.monitoring.models import Incident, Source, Status, Update
from tests.monitoring_fixtures import make_update, term

pytestmark = pytest.mark.django_db

# Read when the module is collected: far enough ahead to stay in the future if the run crosses midnight.
IN_A_MONTH = (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def visible_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def partner(people):
    client = Client()
    client.force_login(people["partner"])
    return client


def update_data(people, **overrides):
    data = {"country": people["partner"].profile.countries.get().pk, "date": "2024-03-05",
            "original_language": "en", "title": "A title", "summary": "A summary", "body": "",
            "freedoms": [term("freedom", "expression").pk]}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Title: This field is required."),
    ({"summary": None}, "Summary: This field is required."),
    ({"date": IN_A_MONTH}, "Date: The date is in the future."),
    ({"date": "5 March"}, "Date: Enter a valid date."),
    ({"freedoms": None}, "Freedoms affected: This field is required."),
    ({"original_language": "de"}, "Language you are writing in: Select a valid choice."),
    ({"title": "x" * 251}, "Title: Ensure this value has at most 250 characters"),
])
def test_update_form_errors(partner, people, overrides, message):
    before = Update.objects.count()
    response = partner.post("/en/workspace/updates/new/", update_data(people, **overrides))
    assert response.status_code == 200
    assert message in visible_text(response)
    assert Update.objects.count() == before
    # The user's input is still there.
    if "summary" not in overrides:
        assert "A summary" in response.content.decode()


def test_a_partner_cannot_post_an_update_for_a_country_not_assigned(partner, people):
    from civicspace.countries.models import Country
    response = partner.post("/en/workspace/updates/new/",
                            update_data(people, country=Country.objects.get(code="KAZ").pk))
    assert "Country: Select a valid choice." in visible_text(response)
    assert not Update.objects.filter(country__code="KAZ").exists()


def incident_data(**overrides):
    data = {"date": "2024-01-15", "place": "Bishkek", "place_precision": "city", "description": "What happened.",
            "freedoms": [term("freedom", "expression").pk], "types": [term("violation", "raid_search").pk],
            "victims-TOTAL_FORMS": "1", "victims-INITIAL_FORMS": "0", "victims-MIN_NUM_FORMS": "0",
            "victims-MAX_NUM_FORMS": "20"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("overrides, message", [
    ({"date": "2024-13"}, "Date: Enter a date as YYYY-MM-DD, YYYY-MM or YYYY."),
    ({"date": IN_A_MONTH}, "Date: The date is in the future."),
    ({"date": ""}, "Date: This field is required."),
    ({"place": ""}, "Place: Name the place, or set the precision to country only."),
    ({"place_precision": "street"}, "Place precision: Select a valid choice."),
    ({"types": None}, "Violation or positive development: This field is required."),
    ({"freedoms": None}, "Freedoms affected: This field is required."),
    ({"description": ""}, "What happened: This field is required."),
    ({"victims-0-count": "11"}, "Victim type: Choose the victim type."),
    ({"victims-0-count": "0", "victims-0-type": "x"}, "Number: Ensure this value is greater than or equal to 1."),
])
def test_incident_form_errors(partner, people, overrides, message):
    update = make_update(people, with_evidence=False)
    if overrides.get("victims-0-type") == "x":
        overrides["victims-0-type"] = term("victim", "journalist").pk
    response = partner.post(f"/en/workspace/updates/{update.pk}/incidents/new/", incident_data(**overrides))
    assert response.status_code == 200
    assert message in visible_text(response)
    assert not Incident.objects.filter(update=update).exists()


def test_incident_date_precision_follows_what_was_typed(partner, people):
    update = make_update(people, with_evidence=False)
    for typed, precision in [("2024-01-15", "day"), ("2024-01", "month"), ("2023", "year")]:
        partner.post(f"/en/workspace/updates/{update.pk}/incidents/new/", incident_data(date=typed))
    assert sorted(update.incidents.values_list("date_precision", flat=True)) == ["day", "month", "year"]


def test_incident_cannot_cite_another_updates_source(partner, people):
    update, other = make_update(people, with_evidence=False), make_update(people)
    foreign = other.sources.first()
    response = partner.post(f"/en/workspace/updates/{update.pk}/incidents/new/",
                            incident_data(sources=[foreign.pk]))
    assert "Sources: Select a valid choice." in visible_text(response)


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Title: This field is required."),
    ({"title": "T", "url": "not a url"}, "URL: Enter a valid URL."),
    ({"title": "T", "url": "javascript:alert(1)"}, "URL: Enter a valid URL."),
    ({"title": "T", "date": IN_A_MONTH}, "Date: The date is in the future."),
    ({"title": "T", "language": "xx"}, "Language: Select a valid choice."),
])
def test_source_form_errors(partner, people, data, message):
    update = make_update(people, with_evidence=False)
    response = partner.post(f"/en/workspace/updates/{update.pk}/sources/new/", data)
    assert message in visible_text(response)
    assert not Source.objects.filter(update=update).exists()


def test_translation_needs_title_and_summary_unless_missing(people):
    editor = Client()
    editor.force_login(people["editor"])
    update = make_update(people, Status.IN_REVIEW)
    response = editor.post(f"/en/workspace/updates/{update.pk}/translations/ru/",
                           {"title": "", "summary": "", "body": "", "status": "reviewed", "version": update.version})
    assert "A translation needs at least a title and a summary" in visible_text(response)
    update.refresh_from_db()
    assert update.language_status("ru") == "missing"


def test_the_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost(people):
    first, second = Client(), Client()
    first.force_login(people["partner"])
    second.force_login(people["partner"])
    update = make_update(people)
    # Both open the edit form at the same version.
    version = update.version
    assert f'name="version" value="{version}"' in first.get(f"/en/workspace/updates/{update.pk}/edit/").content.decode()
    second.get(f"/en/workspace/updates/{update.pk}/edit/")
    common = {"country": update.country_id, "date": "2024-03-01", "freedoms": [term("freedom", "expression").pk],
              "summary": "Summary", "body": "", "version": version}
    assert first.post(f"/en/workspace/updates/{update.pk}/edit/", {**common, "title": "First edit"}).status_code == 302
    response = second.post(f"/en/workspace/updates/{update.pk}/edit/", {**common, "title": "Second edit"})
    assert response.status_code == 409
    text = visible_text(response)
    assert "Someone else saved this update while you were editing it. Your changes were not saved." in text
    html = response.content.decode()
    assert 'value="Second edit"' in html  # the second person's input is still in the form
    assert "First edit" in html  # and they see what the first person saved
    update.refresh_from_db()
    assert update.title_en == "First edit" and update.version == version + 1
    # Having seen both, the second person can save on top of the new version.
    assert f'name="version" value="{version + 1}"' in html
    assert second.post(f"/en/workspace/updates/{update.pk}/edit/",
                       {**common, "title": "Merged edit", "version": version + 1}).status_code == 302
    assert list(update.history.order_by("history_date").values_list("title_en", flat=True))[-2:] == [
        "First edit", "Merged edit"]
