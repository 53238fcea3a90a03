"""Issue 25 and 14: no silent overwrite where partners and editors edit (two tabs on one incident or source end
in a conflict screen with both versions, nothing lost); sources, incidents and drafts edited and deleted by their
authors with history and audit; a workflow action refuses an invalid form before doing anything."""
import re

import pytest
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.monitoring.models import Incident, Source, Status, Update
from tests.integration.test_monitoring_forms import incident_data
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db


def visible_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def hidden_version(response):
    return re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1)


def test_two_tabs_on_one_incident_end_in_a_conflict_screen_not_a_silent_overwrite(people):
    update = make_update(people)
    incident = update.incidents.get()
    url = f"/en/workspace/updates/{update.pk}/incidents/{incident.pk}/"
    first, second = client_for(people["partner"]), client_for(people["partner"])
    version_first, version_second = hidden_version(first.get(url)), hidden_version(second.get(url))
    assert version_first == version_second == "1"
    saved = first.post(url, incident_data(description="Account from tab one.", version=version_first))
    assert saved.status_code == 302
    stale = second.post(url, incident_data(description="Account from tab two.", version=version_second))
    assert stale.status_code == 409
    page = visible_text(stale)
    assert "Someone else saved this incident while you were editing it" in page
    assert "Account from tab one." in page  # the saved version ...
    assert "Account from tab two." in stale.content.decode()  # ... and this person's input, kept in the form
    incident.refresh_from_db()
    assert incident.description_en == "Account from tab one." and incident.version == 2
    # Saving again from the conflict screen is a deliberate choice, and works.
    again = second.post(url, incident_data(description="Account from tab two.", version=hidden_version(stale)))
    assert again.status_code == 302
    incident.refresh_from_db()
    assert incident.description_en == "Account from tab two." and incident.version == 3
    assert incident.history.count() >= 3


def source_data(**overrides):
    data = {"title": "A source", "publisher": "", "date": "", "url": "https://example.org/a", "language": "",
            "note": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_two_tabs_on_one_source_end_in_a_conflict_screen(people):
    update = make_update(people)
    source = update.sources.get(confidential=False)
    url = f"/en/workspace/updates/{update.pk}/sources/{source.pk}/"
    first, second = client_for(people["partner"]), client_for(people["editor"])
    v1, v2 = hidden_version(first.get(url)), hidden_version(second.get(url))
    assert first.post(url, source_data(title="Title from tab one", version=v1)).status_code == 302
    stale = second.post(url, source_data(title="Title from tab two", version=v2))
    assert stale.status_code == 409
    assert "Title from tab one" in visible_text(stale) and "Title from tab two" in stale.content.decode()
    source.refresh_from_db()
    assert source.title == "Title from tab one" and source.version == 2
    assert source.history.count() == 2
    assert AuditEvent.objects.filter(action="monitoring.source_edit", actor=people["partner"]).count() == 1


def test_a_source_is_deleted_by_its_author_while_unpublished_and_not_after(people):
    update = make_update(people)
    source = update.sources.get(confidential=True)
    partner = client_for(people["partner"])
    url = f"/en/workspace/updates/{update.pk}/sources/{source.pk}/delete/"
    page = partner.get(url)
    assert "1 incident" in visible_text(page) or "One incident cites this source" in visible_text(page)
    assert partner.post(url, {"version": "1"}).status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()
    assert Source.history.filter(id=source.pk, history_type="-").exists()
    assert AuditEvent.objects.filter(action="monitoring.source_delete").count() == 1
    # Once published, a source can no longer be deleted (an editor may still correct it).
    published = make_update(people, Status.PUBLISHED)
    kept = published.sources.first()
    editor = client_for(people["editor"])
    editor.post(f"/en/workspace/updates/{published.pk}/sources/{kept.pk}/delete/", {"version": "1"})
    assert Source.objects.filter(pk=kept.pk).exists()


def test_a_stale_delete_deletes_nothing(people):
    update = make_update(people)
    source = update.sources.first()
    Source.objects.filter(pk=source.pk).update(version=2)
    client_for(people["partner"]).post(f"/en/workspace/updates/{update.pk}/sources/{source.pk}/delete/",
                                       {"version": "1"})
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_draft_is_deleted_by_its_author_and_a_submitted_one_is_not(people):
    draft = make_update(people)
    partner = client_for(people["partner"])
    assert partner.post(f"/en/workspace/updates/{draft.pk}/delete/", {"version": "1"}).status_code == 302
    assert not Update.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="monitoring.update_delete", actor=people["partner"]).exists()
    submitted = make_update(people, Status.SUBMITTED)
    response = partner.post(f"/en/workspace/updates/{submitted.pk}/delete/", {"version": "1"})
    assert response.status_code == 403
    assert Update.objects.filter(pk=submitted.pk).exists()


def test_an_incident_is_deleted_with_a_confirmation(people):
    update = make_update(people)
    incident = update.incidents.get()
    partner = client_for(people["partner"])
    url = f"/en/workspace/updates/{update.pk}/incidents/{incident.pk}/delete/"
    assert "Synthetic incident." in visible_text(partner.get(url))
    assert Incident.objects.filter(pk=incident.pk).exists()  # looking deletes nothing
    partner.post(url, {"version": "1"})
    assert not Incident.objects.filter(pk=incident.pk).exists()


def test_an_edit_made_after_the_update_was_submitted_is_refused_with_its_state(people):
    update = make_update(people)
    incident = update.incidents.get()
    partner = client_for(people["partner"])
    url = f"/en/workspace/updates/{update.pk}/incidents/{incident.pk}/"
    version = hidden_version(partner.get(url))
    Update.objects.filter(pk=update.pk).update(status=Status.SUBMITTED)
    response = partner.post(url, incident_data(description="Late change.", version=version))
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.description_en == "Synthetic incident."


def test_more_than_two_victim_groups(people):
    update = make_update(people)
    partner = client_for(people["partner"])
    url = f"/en/workspace/updates/{update.pk}/incidents/new/"
    page = partner.post(url, incident_data(more_victims="1", **{"victims-TOTAL_FORMS": "2"}))
    assert page.content.decode().count('name="victims-4-type"') == 1  # 2 + 3 rows
    assert not Incident.objects.filter(update=update, description_en="What happened.").exists()
    from tests.monitoring_fixtures import term
    rows = {"victims-TOTAL_FORMS": "3"}
    for i, code in enumerate(["journalist", "media_outlet", "journalist"]):
        rows[f"victims-{i}-type"] = term("victim", code).pk
        rows[f"victims-{i}-count"] = "1"
    assert partner.post(url, incident_data(**rows)).status_code == 302
    assert Incident.objects.get(update=update, description_en="What happened.").victims.count() == 3


# --- update_transition refuses an invalid form before doing anything (issue 14) -------------------------------
def test_an_overlong_comment_gets_a_length_error_and_nothing_happens(people):
    update = make_update(people, Status.IN_REVIEW)
    editor = client_for(people["editor"])
    response = editor.post(f"/en/workspace/updates/{update.pk}/actions/request_changes/",
                           {"text": "x" * 6000, "version": update.version}, follow=True)
    page = visible_text(response)
    assert "Comment: Ensure this value has at most 5000 characters (it has 6000)." in page
    assert "the comment is required" not in page
    update.refresh_from_db()
    assert update.status == Status.IN_REVIEW and not update.comments.exists()


@pytest.mark.parametrize("version", ["0x", "", "0", "-1", "1.5"])
def test_a_malformed_version_is_refused_and_never_skips_the_stale_edit_check(people, version):
    update = make_update(people, Status.IN_REVIEW)
    editor = client_for(people["editor"])
    response = editor.post(f"/en/workspace/updates/{update.pk}/actions/verify/", {"version": version},
                           follow=True)
    assert "Version:" in visible_text(response)
    update.refresh_from_db()
    assert update.status == Status.IN_REVIEW and update.version == 1
    assert not AuditEvent.objects.filter(action="monitoring.update_transition").exists()


def test_a_stale_version_is_refused_with_a_message(people):
    update = make_update(people, Status.IN_REVIEW)
    Update.objects.filter(pk=update.pk).update(version=5)
    response = client_for(people["editor"]).post(f"/en/workspace/updates/{update.pk}/actions/verify/",
                                                 {"version": "4"}, follow=True)
    assert "nothing was done" in visible_text(response)
    update.refresh_from_db()
    assert update.status == Status.IN_REVIEW
