"""Issue 19: the administrator's side of alerts over HTTP, through the Django admin as an administrator signs in
(password, then the authenticator code): replaying a webhook delivery from the delivery log and deleting a
subscriber (the address and its alert e-mails erased). Each writes its audit event; someone who is not an
administrator is refused and nothing changes."""
import re

import pytest
from django.test import Client
from django.utils import timezone

from civicspace.alerts import services
from civicspace.alerts.models import Delivery, Subscriber, WebhookDelivery, WebhookEndpoint
from civicspace.audit.models import AuditEvent
from civicspace.jobs.models import OutgoingEmail
from tests.integration.test_alerts import Receiver, kgz, publish, subscriber  # noqa: F401 (fixture)
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)
from tests.totp import fresh_code

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def signed_in(user):
    """The way a person signs in: the site's login, then the second factor (the admin has no login of its own)."""
    client = Client()
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    if getattr(user, "totp_secret", None):
        assert response["Location"] == "/en/accounts/2fa/authenticate/"
        response = client.post("/en/accounts/2fa/authenticate/", {"code": fresh_code(user.totp_secret)})
    assert response.status_code == 302
    return client


@pytest.fixture
def admin(people):
    user = people["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def failed_delivery(people, kgz, settings, django_capture_on_commit_callbacks):  # noqa: F811
    """A delivery that failed for good (its endpoint answered 500 until the retries ran out)."""
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    receiver = Receiver()
    receiver.codes = [500]
    endpoint = services.webhook_endpoint_save(endpoint=WebhookEndpoint(
        name="Replay desk (test)", owner_email="replay@test.invalid", url=receiver.url), actor=people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=WebhookDelivery.State.FAILED, next_attempt_at=None)
    delivery.refresh_from_db()
    assert delivery.state == "failed" and len(receiver.requests) == 1
    yield delivery, receiver
    receiver.server.shutdown()


def _replay(client, delivery):
    return client.post("/en/admin/alerts/webhookdelivery/", {"action": "replay",
                                                             "_selected_action": [delivery.pk]})


def test_an_administrator_replays_a_delivery_from_the_log(admin, failed_delivery,
                                                          django_capture_on_commit_callbacks):
    delivery, receiver = failed_delivery
    client = signed_in(admin)
    log = client.get("/en/admin/alerts/webhookdelivery/")
    assert log.status_code == 200 and delivery.event.uid in log.content.decode()
    page = client.get(f"/en/admin/alerts/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()  # the attempt in the log
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _replay(client, delivery)
    assert response.status_code == 302 and len(callbacks) == 1  # queued again, once
    delivery.refresh_from_db()
    assert delivery.state == "succeeded" and delivery.attempts == 2
    assert len(receiver.requests) == 2
    assert receiver.requests[1][0]["webhook-id"] == receiver.requests[0][0]["webhook-id"] == delivery.event.uid
    event = AuditEvent.objects.get(action="alerts.webhook_delivery_replay")
    assert event.actor_id == admin.pk and event.data == {"event": delivery.event_id}
    assert "1 delivery(ies) queued again." in client.get("/en/admin/alerts/webhookdelivery/").content.decode()


def test_a_replay_to_a_disabled_endpoint_is_refused_with_a_message(admin, failed_delivery,
                                                                    django_capture_on_commit_callbacks):
    delivery, receiver = failed_delivery
    WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(active=False)
    client = signed_in(admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/en/admin/alerts/webhookdelivery/", {
            "action": "replay", "_selected_action": [delivery.pk]}, follow=True)
    assert response.status_code == 200 and "Reactivate the endpoint" in response.content.decode()
    assert callbacks == [] and len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert not AuditEvent.objects.filter(action="alerts.webhook_delivery_replay").exists()


def test_an_administrator_deletes_a_subscriber_and_its_emails(admin, people, kgz, smtp_inbox,  # noqa: F811
                                                             django_capture_on_commit_callbacks):
    reader = subscriber("admin-delete@test.invalid", ["KGZ"])
    other = subscriber("stays@test.invalid", ["KGZ"])
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    assert OutgoingEmail.objects.filter(to=reader.email).exists() and Delivery.objects.filter(subscriber=reader)
    client = signed_in(admin)
    page = client.get(f"/en/admin/alerts/subscriber/{reader.pk}/delete/")
    assert page.status_code == 200 and f"subscriber {reader.pk}" in page.content.decode()
    response = client.post(f"/en/admin/alerts/subscriber/{reader.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response["Location"].startswith("/en/admin/")
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert not OutgoingEmail.objects.filter(to=reader.email).exists()
    assert not Delivery.objects.filter(subscriber_id=reader.pk).exists()
    event = AuditEvent.objects.get(action="alerts.subscriber_delete")
    assert event.actor_id == admin.pk and event.data == {"subscriber": reader.pk}
    assert reader.email not in str(event.data)  # the audit log keeps no address
    # The bulk action from the list goes through the same service.
    response = client.post("/en/admin/alerts/subscriber/", {"action": "delete_selected",
                                                             "_selected_action": [other.pk], "post": "yes"})
    assert response.status_code == 302 and not Subscriber.objects.exists()
    assert AuditEvent.objects.filter(action="alerts.subscriber_delete").count() == 2


@pytest.mark.parametrize("role", ["anonymous", "editor", "staff_editor"])
def test_someone_not_an_administrator_can_neither_replay_nor_delete(role, people, failed_delivery):
    delivery, receiver = failed_delivery
    reader = subscriber("kept@test.invalid", ["KGZ"])
    if role == "anonymous":
        client = Client()
    else:
        editor = people["editor"]
        if role == "staff_editor":  # staff, but without the alerts permissions
            editor.is_staff = True
            editor.save()
        client = signed_in(editor)
    audit = AuditEvent.objects.count()
    responses = [_replay(client, delivery),
                 client.post(f"/en/admin/alerts/subscriber/{reader.pk}/delete/", {"post": "yes"}),
                 client.post("/en/admin/alerts/subscriber/", {"action": "delete_selected",
                                                              "_selected_action": [reader.pk], "post": "yes"})]
    for response in responses:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith(("/en/admin/login/", "/en/accounts/login/"))
    delivery.refresh_from_db()
    assert delivery.state == "failed" and len(receiver.requests) == 1
    assert Subscriber.objects.filter(pk=reader.pk, confirmed_at__lte=timezone.now()).exists()
    assert AuditEvent.objects.count() == audit


def test_an_administrator_chooses_an_endpoints_language_in_the_admin(admin, settings):
    """The owner's language (their "webhook disabled" e-mail is written in it) is set on the endpoint form."""
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    client = signed_in(admin)
    response = client.post("/en/admin/alerts/webhookendpoint/add/", {
        "name": "Desk (test)", "owner_email": "desk@test.invalid", "language": "fr",
        "url": "https://127.0.0.1/hook", "active": "on", "secret": "whsec_dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQtdGVzdA=="})
    errors = re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert response.status_code == 302, errors
    assert WebhookEndpoint.objects.get(name="Desk (test)").language == "fr"
