"""The permission matrix: every role x every state x view / edit / each transition.

The expectations are written out here from the issue's rules, not derived from the code under test:
the authoring partner sees and edits their own organisation's updates in their countries (edit only while
draft or returned); editors and administrators see everything and move it through review; panel members,
partners of other countries or organisations see nothing of the workflow (404: existence is sensitive);
anonymous and deactivated users are sent to the login page.
"""
import pytest

from civicspace.monitoring.models import Status, Update
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "partner", "partner_same_org_other_country", "partner_other_org", "editor", "panel", "admin",
         "deactivated"]
STATES = [s.value for s in Status]
VIEWERS = {"partner", "editor", "admin"}
LOGGED_OUT = {"anonymous", "deactivated"}

FLOW = {
    "submit": ({"draft", "changes_requested"}, "submitted", {"partner", "editor", "admin"}),
    "start_review": ({"submitted"}, "in_review", {"editor", "admin"}),
    "request_changes": ({"submitted", "in_review", "verified"}, "changes_requested", {"editor", "admin"}),
    "verify": ({"in_review"}, "verified", {"editor", "admin"}),
    "publish": ({"verified"}, "published", {"editor", "admin"}),
    "retract": ({"published"}, "retracted", {"editor", "admin"}),
}


def expected_view(role):
    return 302 if role in LOGGED_OUT else 200 if role in VIEWERS else 404


def expected_edit(role, state):
    if role in LOGGED_OUT:
        return 302
    if role not in VIEWERS:
        return 404
    if role == "partner":
        return 200 if state in {"draft", "changes_requested"} else 403
    return 403 if state == "retracted" else 200


def expected_transition(role, state, name):
    """(status code, resulting state)."""
    allowed_from, target, who = FLOW[name]
    if role in LOGGED_OUT:
        return 302, state
    if role not in VIEWERS:
        return 404, state
    if state not in allowed_from:
        return 302, state  # refused with a message on the update's page
    if role not in who:
        return 403, state
    return 302, target


def client_for(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


@pytest.mark.permissions
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, people, role, state):
    client = client_for(client, people, role)
    update = make_update(people, state)
    base = f"/en/workspace/updates/{update.pk}/"

    assert client.get(base).status_code == expected_view(role), "view"
    assert client.get(base + "edit/").status_code == expected_edit(role, state), "edit"
    assert client.get(base + "incidents/new/").status_code == expected_edit(role, state), "add incident"
    assert client.get(base + "sources/new/").status_code == expected_edit(role, state), "add source"

    for name in FLOW:
        update = make_update(people, state)
        response = client.post(f"/en/workspace/updates/{update.pk}/actions/{name}/",
                               {"text": "Reason given in the test.", "version": update.version})
        code, result = expected_transition(role, state, name)
        assert (name, response.status_code) == (name, code)
        assert (name, Update.objects.get(pk=update.pk).status) == (name, result)


@pytest.mark.parametrize("role", ROLES)
def test_workspace_and_queue_pages(client, people, role):
    client = client_for(client, people, role)
    workspace = client.get("/en/workspace/")
    assert workspace.status_code == (302 if role in LOGGED_OUT else 200)
    queue = client.get("/en/workspace/review/")
    assert queue.status_code == (302 if role in LOGGED_OUT else 200 if role in {"editor", "admin"} else 404)
    trend = client.get("/en/workspace/trend-calls/")
    assert trend.status_code == (302 if role in LOGGED_OUT else 404 if role == "panel" else 200)


def test_workspace_lists_only_what_the_partner_may_see(client, people):
    own = make_update(people)
    other = make_update(people)
    other.organisation = people["partner_other_org"].profile.organisation
    other.title_en = "Other organisation's draft"
    other.save()
    client.force_login(people["partner"])
    html = client.get("/en/workspace/").content.decode()
    assert f"/en/workspace/updates/{own.pk}/" in html
    assert f"/en/workspace/updates/{other.pk}/" not in html


def test_partner_can_only_create_in_assigned_countries(client, people):
    client.force_login(people["partner"])
    html = client.get("/en/workspace/updates/new/").content.decode()
    assert ">Kyrgyzstan</option>" in html and ">Kazakhstan</option>" not in html
    panel = client
    panel.force_login(people["panel"])
    assert panel.get("/en/workspace/updates/new/").status_code == 403


def test_forbidden_page_is_translated(client, people):
    update = make_update(people, Status.PUBLISHED)
    client.force_login(people["partner"])
    response = client.get(f"/ru/workspace/updates/{update.pk}/edit/")
    assert response.status_code == 403
    # Issue 25: the refusal names the update's state, not the account.
    page = response.content.decode()
    assert "Невозможно в этом состоянии" in page and "Опубликовано" in page
