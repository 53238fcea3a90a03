"""Issue 14: every workflow transition raced from two real connections (two threads, a barrier, PostgreSQL's row
locks): one request wins, the other gets the clear message, never a 500, and the transition happens once."""
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.monitoring.models import Comment, Status, Update
from tests.monitoring_fixtures import make_update

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# (transition, who acts, the text it needs, the state before, the state after)
STEPS = [
    ("submit", "partner", "", Status.DRAFT, Status.SUBMITTED),
    ("start_review", "editor", "", Status.SUBMITTED, Status.IN_REVIEW),
    ("request_changes", "editor", "Please add the court's decision.", Status.IN_REVIEW, Status.CHANGES_REQUESTED),
    ("submit", "partner", "", Status.CHANGES_REQUESTED, Status.SUBMITTED),
    ("start_review", "editor", "", Status.SUBMITTED, Status.IN_REVIEW),
    ("verify", "editor", "", Status.IN_REVIEW, Status.VERIFIED),
    ("publish", "editor", "", Status.VERIFIED, Status.PUBLISHED),
    ("retract", "editor", "A source withdrew its account.", Status.PUBLISHED, Status.RETRACTED),
]
LOSER_MESSAGES = ("nothing was done", "This action is not possible while the update is")


@pytest.fixture
def vocabulary(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())


def race(clients, url, data):
    """Both requests are sent at the same moment, each from its own thread and database connection."""
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def run(index, client):
        try:
            barrier.wait()
            responses[index] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_every_workflow_transition_raced_from_two_connections_happens_once(vocabulary, people):
    assert connection.vendor == "postgresql"
    update = make_update(people)
    for name, who, text, before, after in STEPS:
        update.refresh_from_db()
        assert update.status == before
        clients = []
        for _ in range(2):  # two tabs (or two editors) that loaded the same version of the page
            client = Client(raise_request_exception=True)
            client.force_login(people[who])
            clients.append(client)
        url = f"/en/workspace/updates/{update.pk}/actions/{name}/"
        events_before = AuditEvent.objects.filter(action="monitoring.update_transition").count()
        responses = race(clients, url, {"text": text, "version": update.version})
        assert [r.status_code for r in responses] == [302, 302], name  # no 500, no 409 page: both are told
        update.refresh_from_db()
        assert update.status == after, name
        assert AuditEvent.objects.filter(action="monitoring.update_transition").count() == events_before + 1, name
        pages = [c.get(f"/en/workspace/updates/{update.pk}/").content.decode() for c in clients]
        won = [p for p in pages if "Done: the update is now" in p]
        lost = [p for p in pages if any(m in p for m in LOSER_MESSAGES)]
        assert len(won) == 1 and len(lost) == 1, name
    assert Comment.objects.filter(update=update, transition="request_changes").count() == 1
    assert Comment.objects.filter(update=update, transition="retract").count() == 1


def test_two_different_actions_raced_one_wins_and_the_other_is_told(vocabulary, people):
    """An editor verifies while another returns the update: one of them, not both."""
    update = make_update(people, Status.IN_REVIEW)
    first, second = Client(raise_request_exception=True), Client(raise_request_exception=True)
    first.force_login(people["editor"])
    second.force_login(people["admin"])
    barrier = threading.Barrier(2)
    results = {}

    def run(client, name, text):
        try:
            barrier.wait()
            results[name] = client.post(f"/en/workspace/updates/{update.pk}/actions/{name}/",
                                        {"text": text, "version": 1}).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(first, "verify", "")),
               threading.Thread(target=run, args=(second, "request_changes", "Check the date."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"verify": 302, "request_changes": 302}
    update.refresh_from_db()
    assert update.status in (Status.VERIFIED, Status.CHANGES_REQUESTED) and update.version == 2
    assert AuditEvent.objects.filter(action="monitoring.update_transition").count() == 1
