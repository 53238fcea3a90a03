"""Issue 19: self-service webhooks for data users, no account. The public form → a confirmation link by e-mail
(a real SMTP server on loopback) → the endpoint is created and its secret shown once → a real HTTP receiver on
loopback gets events signed with that secret → the manage link shows the delivery log, rotates the secret, changes
the event types, reactivates and deletes. The same answer whether or not the address is known; limits per IP and
per address; the SSRF guard on the form and again on confirmation; every write audited."""
import datetime as dt
import html
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from civicspace.alerts import messages, services, webhooks
from civicspace.alerts.forms import EVENT_TYPES
from civicspace.alerts.models import WebhookDelivery, WebhookEndpoint, WebhookRequest, new_webhook_secret
from civicspace.audit.models import AuditEvent
from civicspace.core.events import KINDS
from civicspace.jobs.models import OutgoingEmail
from tests.integration.test_alerts import kgz, publish, receiver, signature_ok  # noqa: F401 (fixtures)
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def link(body, name):
    return re.search(rf"https?://[^\s]+/alerts/webhooks/{name}/[^\s/]+/", body).group(0)


def path(url):
    return "/" + url.split("/", 3)[3]


def secret_on(page):
    return html.unescape(re.search(r'id="webhook-secret"[^>]*value="([^"]+)"', page.content.decode()).group(1))


def ask(client, email, url, event_types=("update.published",), lang="en", follow=False):
    return client.post(f"/{lang}/alerts/webhooks/", {"email": email, "url": url, "event_types": list(event_types),
                                                      "name": "Newsroom desk (test)"}, follow=follow)


def actions():
    return list(AuditEvent.objects.filter(action__startswith="alerts.webhook").order_by("pk")
                .values_list("action", flat=True))


def test_ask_confirm_receive_rotate_change_and_delete(people, kgz, receiver, smtp_inbox,
                                                      django_capture_on_commit_callbacks):
    client = Client()
    # Linked from the alerts page and from the API documentation, where webhooks are described.
    assert "/en/alerts/webhooks/" in client.get("/en/alerts/").content.decode()
    assert "/en/alerts/webhooks/" in client.get("/api/v1/docs").content.decode()
    assert "/en/alerts/webhooks/" in client.get("/api/v1/openapi.json").json()["webhooks"][
        "update.published"]["post"]["description"]
    form = client.get("/fr/alerts/webhooks/")
    assert form.status_code == 200 and "Types d’événements" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "Desk@Test.invalid", receiver.url, lang="fr")
    assert response.status_code == 302 and response["Location"] == "/fr/alerts/webhooks/sent/"
    assert not WebhookEndpoint.objects.exists()  # nothing before the confirmation
    [confirmation] = smtp_inbox.to("desk@test.invalid")
    assert confirmation["language"] == "fr"
    confirm = path(link(confirmation["body"], "confirm"))
    assert confirm.startswith("/fr/alerts/webhooks/confirm/")
    page = client.get(confirm)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    assert not WebhookEndpoint.objects.exists()  # a mail scanner following the link creates nothing
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(confirm)
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.owner_email, endpoint.url, endpoint.event_types, endpoint.active, endpoint.language) == (
        "desk@test.invalid", receiver.url, ["update.published"], True, "fr")
    # Should it be disabled one day, its owner reads why in the language of the form.
    subject, body = messages.webhook_disabled_message(endpoint, "HTTP 500")
    assert subject.startswith("Webhook du Civic Space Monitor désactivé") and "Dernière erreur\u00a0: HTTP 500" in body
    assert f"/fr/alerts/webhooks/manage/{endpoint.manage_token}/" in body
    secret = secret_on(created)
    assert secret == endpoint.secret and secret.startswith("whsec_")
    assert not WebhookRequest.objects.exists()
    assert client.post(confirm).status_code == 404  # the link works once: the secret is shown once
    assert secret not in client.get(confirm).content.decode()
    [active] = smtp_inbox.to("desk@test.invalid")[1:]
    manage = path(link(active["body"], "manage"))
    assert manage == f"/fr/alerts/webhooks/manage/{endpoint.manage_token}/" and manage in created.content.decode()
    assert secret not in active["body"]  # the secret is never e-mailed

    # A publication reaches the endpoint, signed with the secret shown.
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    [(headers, body)] = receiver.requests
    assert signature_ok(secret, headers, body) and webhooks.verify(secret, headers, body)
    log = client.get(manage)
    assert log.status_code == 200 and headers["webhook-id"] in log.content.decode()
    assert secret not in log.content.decode() and "desk@test.invalid" not in log.content.decode()

    # A new secret: shown once, the old one signs nothing any more.
    with django_capture_on_commit_callbacks(execute=True):
        rotated = client.post(f"{manage}rotate/")
    new_secret = secret_on(rotated)
    endpoint.refresh_from_db()
    assert new_secret == endpoint.secret != secret
    assert client.get(f"{manage}rotate/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        publish(people, pk=9931)
    headers, body = receiver.requests[-1]
    assert signature_ok(new_secret, headers, body) and not signature_ok(secret, headers, body)

    # Other event types: an update no longer goes there.
    response = client.post(manage, {"event_types": ["law.stage_verified"]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["law.stage_verified"]
    with django_capture_on_commit_callbacks(execute=True):
        publish(people, pk=9932)
    assert len(receiver.requests) == 2
    assert client.post(manage, {"event_types": ["no.such.kind"]}).status_code == 400

    # Delete: the endpoint, its log and the e-mails kept about it are gone; the link answers 404.
    assert client.get(f"{manage}delete/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        gone = client.post(f"{manage}delete/")
    assert gone.status_code == 200
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert not OutgoingEmail.objects.filter(key=f"alerts:webhook-created:{endpoint.pk}").exists()
    assert client.get(manage).status_code == 404 and client.post(f"{manage}rotate/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        publish(people, pk=9933)
    assert len(receiver.requests) == 2
    assert actions() == ["alerts.webhook_request_submit", "alerts.webhook_request_confirm",
                         "alerts.webhook_secret_rotate", "alerts.webhook_endpoint_edit",
                         "alerts.webhook_endpoint_delete"]


def test_a_rotation_with_overlap_signs_with_both_secrets_until_it_ends(people, kgz, receiver, smtp_inbox,
                                                                        django_capture_on_commit_callbacks):
    """Rotating without missing a delivery: the old secret keeps signing beside the new one for
    ALERTS_WEBHOOK_SECRET_OVERLAP_HOURS (two "v1," signatures, as Standard Webhooks allows), then only the new one
    signs; a rotation without overlap, or a second rotation, ends it at once."""
    endpoint = WebhookEndpoint.objects.create(name="Desk (test)", owner_email="desk@test.invalid", url=receiver.url,
                                              manage_token="overlap-manage-token-test")
    manage, old = "/en/alerts/webhooks/manage/overlap-manage-token-test/", endpoint.secret
    client = Client()
    rotated = client.post(f"{manage}rotate/", {"overlap": "1"})
    new = secret_on(rotated)
    endpoint.refresh_from_db()
    assert new == endpoint.secret != old and endpoint.previous_secret == old
    until = endpoint.previous_secret_until
    assert dt.timedelta(hours=23.9) < until - timezone.now() <= dt.timedelta(hours=24)
    assert "also signed with the old one" in rotated.content.decode()
    assert "signed with both the new secret and the previous one" in client.get(manage).content.decode()
    assert old not in client.get(manage).content.decode() and new not in client.get(manage).content.decode()
    event = AuditEvent.objects.filter(action="alerts.webhook_secret_rotate").latest("pk")
    assert event.data == {"previous_signs_until": until.isoformat()} and old not in str(event.data)

    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split()) == 2
    assert webhooks.verify(new, headers, body) and webhooks.verify(old, headers, body)
    assert not webhooks.verify(new_webhook_secret(), headers, body)  # any other secret fails

    # After the overlap: only the new secret signs (a retry sent then, for instance).
    delivery = WebhookDelivery.objects.latest("pk")
    delivery.state, delivery.next_attempt_at = WebhookDelivery.State.PENDING, None
    delivery.save()
    services.webhook_delivery_attempt(delivery_id=delivery.pk, now=until + dt.timedelta(seconds=1))
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split()) == 1
    assert webhooks.verify(new, headers, body, now=(until + dt.timedelta(seconds=1)).timestamp())
    assert not webhooks.verify(old, headers, body, now=(until + dt.timedelta(seconds=1)).timestamp())

    # A rotation that stops the old secret at once (it may have been seen) ends any overlap.
    client.post(f"{manage}rotate/", {"overlap": "1"})
    stopped = secret_on(client.post(f"{manage}rotate/", {"overlap": "0"}))
    endpoint.refresh_from_db()
    assert endpoint.secret == stopped and (endpoint.previous_secret, endpoint.previous_secret_until) == ("", None)
    assert "signed with both" not in client.get(manage).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(people, pk=9941)
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split()) == 1 and signature_ok(stopped, headers, body)


def test_the_same_answer_for_a_known_address_and_the_limits(receiver, smtp_inbox, settings,
                                                            django_capture_on_commit_callbacks):
    WebhookEndpoint.objects.create(name="Known (test)", owner_email="known@test.invalid", url=receiver.url,
                                   manage_token="known-manage-token-test")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("known@test.invalid", "new@test.invalid"):
            response = ask(Client(), email, receiver.url, follow=True)
            answers.append((response.status_code, response.redirect_chain, response.content))
    assert answers[0] == answers[1]
    [known], [new] = smtp_inbox.to("known@test.invalid"), smtp_inbox.to("new@test.invalid")
    assert known["subject"] == new["subject"]
    assert re.sub(r"/confirm/[^/]+/", "", known["body"]) == re.sub(r"/confirm/[^/]+/", "", new["body"])
    assert "known-manage-token-test" not in known["body"]
    # Per address: over the limit the answer stays the same and nothing more is sent or kept.
    settings.ALERTS_WEBHOOK_REQUESTS_PER_ADDRESS_PER_DAY = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(Client(), "new@test.invalid", receiver.url)
    assert response.status_code == 302 and len(smtp_inbox.to("new@test.invalid")) == 1
    assert WebhookRequest.objects.filter(email="new@test.invalid").count() == 1
    # Per IP: refused with 429 and the reason; nothing saved or sent.
    settings.ALERTS_WEBHOOK_REQUESTS_PER_IP_PER_HOUR = 3
    sent = len(smtp_inbox.messages)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(Client(), "flood@test.invalid", receiver.url)
    assert response.status_code == 429 and "Too many webhook requests" in response.content.decode()
    assert not WebhookRequest.objects.filter(email="flood@test.invalid").exists()
    assert len(smtp_inbox.messages) == sent


def test_private_addresses_are_refused_on_the_form_and_on_confirmation(settings, receiver, smtp_inbox,
                                                                        django_capture_on_commit_callbacks):
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = False
    for url in ("https://127.0.0.1/hook", "https://169.254.169.254/latest", "https://10.0.0.5/",
                "http://example.org/hook"):
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(Client(), "ssrf@test.invalid", url)
        assert response.status_code == 400, url
        assert ("private, loopback or link-local" in response.content.decode()
                or "must be an https:// address" in response.content.decode())
    assert not WebhookRequest.objects.exists() and smtp_inbox.messages == []
    # Asked while allowed (tests), confirmed once refused: the address is checked again, nothing is created.
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    with django_capture_on_commit_callbacks(execute=True):
        ask(Client(), "later@test.invalid", receiver.url)
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = False
    confirm = path(link(smtp_inbox.to("later@test.invalid")[0]["body"], "confirm"))
    response = Client().post(confirm)
    assert response.status_code == 400 and "must be an https:// address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_expired_link_creates_nothing_and_a_disabled_endpoint_is_reactivated_by_its_owner(
        receiver, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(Client(), "slow@test.invalid", receiver.url)
    WebhookRequest.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    confirm = path(link(smtp_inbox.to("slow@test.invalid")[0]["body"], "confirm"))
    response = Client().post(confirm)
    assert response.status_code == 404 and "no longer valid" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    # The every-minute command deletes the expired request and its confirmation e-mail; a fresh one stays.
    fresh = WebhookRequest.objects.create(email="fresh@test.invalid", url=receiver.url)
    expired = list(WebhookRequest.objects.exclude(pk=fresh.pk).values_list("pk", flat=True))
    out = io.StringIO()
    call_command("alerts_webhooks", "--retry-due", stdout=out)
    assert "1 unconfirmed webhook request(s) expired" in out.getvalue()
    assert list(WebhookRequest.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not OutgoingEmail.objects.filter(to="slow@test.invalid").exists()
    from civicspace.audit.models import AuditEvent

    event = AuditEvent.objects.get(action="alerts.webhook_requests_expire")  # ids only, no address
    assert event.data == {"requests": expired} and "slow@" not in str(event.data)
    endpoint = WebhookEndpoint.objects.create(name="Off (test)", owner_email="off@test.invalid", url=receiver.url,
                                              manage_token="off-manage-token-test", active=False,
                                              consecutive_failures=10, disabled_at=timezone.now(),
                                              disabled_reason="10 failed attempts in a row; last: HTTP 500")
    manage = "/en/alerts/webhooks/manage/off-manage-token-test/"
    page = Client().get(manage).content.decode()
    assert "Disabled after repeated failed deliveries" in page and 'name="reactivate"' in page
    assert Client().post(manage, {"event_types": [], "reactivate": "on"}).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0 and endpoint.event_types == []
    assert 'name="reactivate"' not in Client().get(manage).content.decode()
    # An endpoint an administrator made has no manage link.
    WebhookEndpoint.objects.create(name="Admin's (test)", owner_email="a@test.invalid", url=receiver.url)
    assert Client().get("/en/alerts/webhooks/manage/None/").status_code == 404


def test_every_event_type_has_a_label():
    assert [kind for kind, _label in EVENT_TYPES] == list(KINDS)
