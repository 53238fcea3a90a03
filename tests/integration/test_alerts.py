"""Issue 19: alerts. A real SMTP server on loopback receives the e-mails and a real http.server on loopback
receives the webhooks and checks their signature. Subscribe → confirm → publish a Kyrgyz update → a Russian alert
with RFC 8058 headers and a working one-click unsubscribe; the same answer for a known address; limits; a fan-out
stopped half-way and run again sends nothing twice; retraction notices; digests grouped and sent once; webhooks
signed, retried with back-off, disabled after failures and replayed; the SSRF guard."""
import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from civicspace.alerts import services, webhooks
from civicspace.alerts.models import Delivery, Event, Subscriber, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from civicspace.countries.models import Country
from civicspace.jobs.models import OutgoingEmail
from civicspace.legislation.models import Bill, StageEvent
from civicspace.legislation.services import stage_event_verify
from civicspace.monitoring import services as monitoring
from civicspace.monitoring.models import Status
from tests.monitoring_fixtures import CONFIDENTIAL_TITLE, SENSITIVE_NAME, make_update
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kgz(people):
    people["editor"].profile.countries.set(Country.objects.filter(code="KGZ"))
    return Country.objects.get(code="KGZ")


def publish(people, **kwargs):
    update = make_update(people, Status.VERIFIED, **kwargs)
    return monitoring.update_transition(update=update, actor=people["editor"], name="publish")


def subscriber(email, countries=(), frequency="instant", language="en", confirmed=True, **fields):
    s = Subscriber.objects.create(email=email, language=language, frequency=frequency,
                                  confirmed_at=timezone.now() if confirmed else None, **fields)
    s.countries.set(Country.objects.filter(code__in=countries))
    return s


def link(body, name):
    return re.search(rf"https?://[^\s]+/alerts/{name}/[^\s/]+/", body).group(0)


def path(url):
    return "/" + url.split("/", 3)[3]


def test_subscribe_confirm_alert_in_russian_and_one_click_unsubscribe(people, kgz, smtp_inbox,
                                                                       django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ru/alerts/", {"email": "Reader@Test.invalid", "countries": [kgz.pk],
                                               "language": "ru", "frequency": "instant"})
    assert response.status_code == 302 and response["Location"] == "/ru/alerts/sent/"
    [confirmation] = smtp_inbox.to("reader@test.invalid")
    confirm_url = link(confirmation["body"], "confirm")
    assert "/ru/alerts/confirm/" in confirm_url
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)  # before confirming: nothing is sent
    assert len(smtp_inbox.to("reader@test.invalid")) == 1
    assert confirmation["language"] == "ru"
    assert client.get(path(confirm_url)).status_code == 200
    assert client.post(path(confirm_url)).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        update = publish(people, pk=9901)
    [alert] = smtp_inbox.to("reader@test.invalid")[1:]
    assert alert["language"] == "ru" and alert["subject"].startswith("Новое сообщение")
    assert f"/ru/updates/{update.pk}/" in alert["body"] and f"/ru/updates/{update.pk}/" in alert["html"]
    assert CONFIDENTIAL_TITLE not in alert["body"] + alert["html"]
    assert SENSITIVE_NAME not in alert["body"] + alert["html"]
    unsubscribe = re.fullmatch(r"\s*<(\S+)>\s*", alert["headers"]["list-unsubscribe"]).group(1)
    assert alert["headers"]["list-unsubscribe-post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe == link(alert["body"], "unsubscribe")
    # The mail client's one-click POST: no session, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(path(unsubscribe), "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert not OutgoingEmail.objects.filter(to="reader@test.invalid").exists()  # the address is erased
    with django_capture_on_commit_callbacks(execute=True):
        publish(people, pk=9902)
    assert len(smtp_inbox.to("reader@test.invalid")) == 2


def test_the_same_answer_for_a_known_address_and_the_limits(people, kgz, smtp_inbox, settings,
                                                           django_capture_on_commit_callbacks):
    known = subscriber("known@test.invalid", ["KAZ"])
    form = {"email": "known@test.invalid", "countries": [kgz.pk], "language": "en", "frequency": "daily"}
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("known@test.invalid", "new@test.invalid"):
            response = Client().post("/en/alerts/", {**form, "email": email}, follow=True)
            answers.append((response.status_code, response.redirect_chain, response.content))
    assert answers[0] == answers[1]
    # The known, confirmed address got its manage link; its choices did not change.
    [mail] = smtp_inbox.to("known@test.invalid")
    assert f"/en/alerts/manage/{known.token}/" in mail["body"]
    known.refresh_from_db()
    assert known.frequency == "instant" and [c.code for c in known.countries.all()] == ["KAZ"]
    assert "/en/alerts/confirm/" in smtp_inbox.to("new@test.invalid")[0]["body"]
    # Nothing chosen: refused, naming the field, nothing saved.
    response = Client().post("/en/alerts/", {**form, "email": "empty@test.invalid", "countries": []})
    assert response.status_code == 400 and b"Choose at least one thing" in response.content
    assert not Subscriber.objects.filter(email="empty@test.invalid").exists()
    # Per address: over the limit the answer stays the same and nothing more is sent.
    settings.ALERTS_SUBSCRIBE_PER_ADDRESS_PER_DAY = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/en/alerts/", {**form, "email": "new@test.invalid"})
    assert response.status_code == 302 and len(smtp_inbox.to("new@test.invalid")) == 1
    # Per IP: refused with 429, nothing saved or sent.
    settings.ALERTS_SUBSCRIBE_PER_IP_PER_HOUR = 1
    sent = len(smtp_inbox.messages)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/en/alerts/", {**form, "email": "flood@test.invalid"})
    assert response.status_code == 429
    assert not Subscriber.objects.filter(email="flood@test.invalid").exists()
    assert len(smtp_inbox.messages) == sent


def test_a_fan_out_stopped_half_way_sends_nothing_twice_and_retraction_notices(people, kgz, smtp_inbox,
                                                                                django_capture_on_commit_callbacks):
    instant = [subscriber(f"s{n}@test.invalid", ["KGZ"]) for n in range(5)]
    subscriber("daily@test.invalid", ["KGZ"], frequency="daily")
    subscriber("unconfirmed@test.invalid", ["KGZ"], confirmed=False)
    subscriber("kazakh@test.invalid", ["KAZ"])
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run the fan-out yet
        update = publish(people)
    event = Event.objects.get(kind="update.published", object_id=update.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_fan_out(event_id=event.pk, batch_size=2, max_batches=1) == 2  # killed here
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_fan_out(event_id=event.pk, batch_size=2) == 3  # run again: the rest
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_fan_out(event_id=event.pk) == 0  # and once more: nothing
    alerted = [to for m in smtp_inbox.messages for to in m["to"] if to.endswith("@test.invalid") and to[0] != "p"]
    assert sorted(alerted) == sorted(s.email for s in instant)
    # Retraction: a notice to those alerted at once, once.
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.update_transition(update=update, actor=people["editor"], name="retract",
                                     text="The source withdrew its account.")
    retraction = Event.objects.get(kind="update.retracted")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_fan_out(event_id=retraction.pk)
    notices = [m for m in smtp_inbox.messages if m["subject"].startswith("Retracted: an update")]
    assert sorted(m["to"][0] for m in notices) == sorted(s.email for s in instant)
    assert all("The source withdrew its account." in m["body"] for m in notices)
    assert Delivery.objects.filter(event=retraction).count() == 5


def test_digests_group_the_period_and_are_sent_once(people, kgz, smtp_inbox, django_capture_on_commit_callbacks):
    daily = subscriber("digest@test.invalid", ["KGZ"], frequency="daily", language="fr")
    daily.law_countries.set([kgz])
    subscriber("weekly@test.invalid", ["KAZ"], frequency="weekly")
    bill = Bill.objects.create(country=kgz, short_title_en="Alerts test bill (synthetic)", category="ngo",
                               direction="restrictive", original_language="en")
    stage = StageEvent.objects.create(bill=bill, stage="introduced", date=dt.date(2024, 1, 5),
                                      proposed_by=people["partner"])
    with django_capture_on_commit_callbacks(execute=True):
        kept = publish(people, pk=9911)
        gone = publish(people, pk=9912)
        monitoring.update_transition(update=gone, actor=people["editor"], name="retract", text="Withdrawn.")
        stage_event_verify(event=stage, actor=people["editor"])
    assert smtp_inbox.to("digest@test.invalid") == []  # digest subscribers get no instant alert
    tomorrow = timezone.now().date() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send(period="daily", day=tomorrow)
        services.digest_send(period="daily", day=tomorrow)  # cron ran twice
    [digest] = [m for m in smtp_inbox.messages if m["to"] != ["partner@test.invalid"]]
    assert digest["to"] == ["digest@test.invalid"] and digest["language"] == "fr"
    assert f"/fr/updates/{kept.pk}/" in digest["body"] and f"/fr/updates/{gone.pk}/" not in digest["body"]
    assert f"/fr/laws/{bill.pk}/" in digest["body"]
    assert digest["body"].index("/fr/laws/") < digest["body"].index("/fr/updates/")  # grouped by kind
    assert digest["headers"]["list-unsubscribe-post"] == "List-Unsubscribe=One-Click"


class Receiver:
    """A real HTTP endpoint on loopback; answers `codes` in turn (then 200) and records each request."""

    def __init__(self):
        self.requests, self.codes = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.codes.pop(0) if receiver.codes else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver(settings):
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    r = Receiver()
    yield r
    r.server.shutdown()


def signature_ok(secret, headers, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f'{headers["webhook-id"]}.{headers["webhook-timestamp"]}.'.encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return headers["webhook-signature"] == expected


def test_a_webhook_receives_a_signed_event(people, kgz, receiver, django_capture_on_commit_callbacks):
    endpoint = services.webhook_endpoint_save(endpoint=WebhookEndpoint(
        name="Data desk (test)", owner_email="desk@test.invalid", url=receiver.url,
        event_types=["update.published"]), actor=people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        update = publish(people)
    [(headers, body)] = receiver.requests
    assert signature_ok(endpoint.secret, headers, body)
    assert webhooks.verify(endpoint.secret, headers, body)
    assert not signature_ok(endpoint.secret, headers, body + b" ")
    payload = json.loads(body)
    assert payload["type"] == "update.published" and payload["id"] == headers["webhook-id"]
    assert payload["data"]["update"]["id"] == update.pk and payload["data"]["update"]["country"]["code"] == "kgz"
    assert CONFIDENTIAL_TITLE.encode() not in body and SENSITIVE_NAME.encode() not in body
    assert WebhookDelivery.objects.get().state == "succeeded"
    # The events and their headers are documented in the OpenAPI 3.1 webhooks section.
    webhooks_doc = Client().get("/api/v1/openapi.json").json()["webhooks"]
    assert "update.published" in webhooks_doc and "law.stage_verified" in webhooks_doc
    headers_doc = {p["name"] for p in webhooks_doc["update.published"]["post"]["parameters"]}
    assert headers_doc == {"webhook-id", "webhook-timestamp", "webhook-signature"}


def test_webhook_retries_with_back_off_then_disable_and_replay(people, kgz, receiver, settings, smtp_inbox,
                                                               django_capture_on_commit_callbacks):
    settings.ALERTS_WEBHOOK_RETRY_BASE_SECONDS = 60
    settings.ALERTS_WEBHOOK_DISABLE_AFTER = 3
    endpoint = services.webhook_endpoint_save(endpoint=WebhookEndpoint(
        name="Flaky (test)", owner_email="owner@test.invalid", url=receiver.url), actor=people["admin"])
    receiver.codes = [500, 503, 500]
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    first = delivery.first_attempt_at
    assert delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(seconds=60)
    assert services.webhook_retry_due(now=first + dt.timedelta(seconds=30)) == 0  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert services.webhook_retry_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(seconds=120)
    # Still failing 25 hours after the first attempt: given up, and the third failure in a row disables.
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_attempt(delivery_id=delivery.pk, now=first + dt.timedelta(hours=25))
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.state == "failed" and not endpoint.active and endpoint.disabled_at
    [notice] = smtp_inbox.to("owner@test.invalid")
    assert "disabled" in notice["subject"] and receiver.url in notice["body"]
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 3
    ids = {headers["webhook-id"] for headers, _ in receiver.requests}
    # Nothing goes to a disabled endpoint; replay is refused until it is reactivated.
    with pytest.raises(ValidationError):
        services.webhook_delivery_replay(delivery=delivery, actor=people["admin"])
    endpoint.active = True
    services.webhook_endpoint_save(endpoint=endpoint, actor=people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        services.webhook_delivery_replay(delivery=delivery, actor=people["admin"])
    delivery.refresh_from_db()
    assert delivery.state == "succeeded" and len(receiver.requests) == 4
    assert {receiver.requests[-1][0]["webhook-id"]} == ids  # the same event id: the receiver de-duplicates
    assert signature_ok(endpoint.secret, *receiver.requests[-1])


def test_the_ssrf_guard_refuses_private_addresses(settings, people):
    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = False
    for url in ("https://127.0.0.1/hook", "https://169.254.169.254/latest", "https://10.0.0.5/",
                "https://[::1]/", "http://example.org/hook", "https://localhost/hook"):
        with pytest.raises(ValidationError):
            webhooks.endpoint_address(url)
    with pytest.raises(ValidationError):
        services.webhook_endpoint_save(endpoint=WebhookEndpoint(name="x", owner_email="x@test.invalid",
                                                                url="https://127.0.0.1/"), actor=people["admin"])
    assert not WebhookEndpoint.objects.exists()
    assert webhooks.post("https://127.0.0.1:9/hook", b"{}", {})[0] is None  # checked again when sending


def test_a_subscribers_data_is_exported_and_erased_on_request(people, kgz, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    reader = subscriber("erase-me@test.invalid", ["KGZ"], rating_changes=True)
    with django_capture_on_commit_callbacks(execute=True):
        publish(people)
    out = io.StringIO()
    call_command("alerts_subscriber", "--export", "Erase-Me@test.invalid", stdout=out)
    data = json.loads(out.getvalue())
    assert data["email"] == "erase-me@test.invalid" and data["countries"] == ["KGZ"] and data["rating_changes"]
    assert len(data["emails"]) == 1
    call_command("alerts_subscriber", "--delete", "erase-me@test.invalid", stdout=io.StringIO())
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert not OutgoingEmail.objects.filter(to="erase-me@test.invalid").exists()
    assert not Delivery.objects.filter(subscriber_id=reader.pk).exists()


def test_an_addresss_webhooks_are_in_its_export_and_erased_with_it(people, settings):
    """The owner's address of a webhook endpoint, and of a request not yet confirmed, is personal data too: the
    command exports and erases it, with the endpoint's delivery log; another owner's endpoint stays."""
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from civicspace.alerts.models import WebhookRequest

    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    owned = services.webhook_endpoint_save(endpoint=WebhookEndpoint(
        name="Desk (test)", owner_email="Owner@test.invalid", url="https://127.0.0.1/hook"), actor=people["admin"])
    other = services.webhook_endpoint_save(endpoint=WebhookEndpoint(
        name="Other (test)", owner_email="other@test.invalid", url="https://127.0.0.1/other"), actor=people["admin"])
    WebhookRequest.objects.create(email="owner@test.invalid", url="https://127.0.0.1/asked", name="Asked (test)")
    out = io.StringIO()
    call_command("alerts_subscriber", "--export", "owner@test.invalid", stdout=out)
    data = json.loads(out.getvalue())
    assert data["subscribed"] is False
    assert [(e["url"], e["language"]) for e in data["webhook_endpoints"]] == [("https://127.0.0.1/hook", "en")]
    assert [r["url"] for r in data["webhook_requests"]] == ["https://127.0.0.1/asked"]
    call_command("alerts_subscriber", "--delete", "owner@test.invalid", stdout=io.StringIO())
    assert not WebhookEndpoint.objects.filter(pk=owned.pk).exists()
    assert not WebhookRequest.objects.filter(email__iexact="owner@test.invalid").exists()
    assert WebhookEndpoint.objects.filter(pk=other.pk).exists()
    with pytest.raises(CommandError, match="Nothing is held about the address"):
        call_command("alerts_subscriber", "--export", "owner@test.invalid", stdout=io.StringIO())


def test_saving_an_endpoint_deleted_meanwhile_is_refused_and_creates_nothing(people, settings):
    from django.core.exceptions import ValidationError

    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    endpoint = services.webhook_endpoint_save(endpoint=WebhookEndpoint(
        name="Gone (test)", owner_email="gone@test.invalid", url="https://127.0.0.1/gone"), actor=people["admin"])
    stale = WebhookEndpoint.objects.get(pk=endpoint.pk)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).delete()
    stale.name = "Edited in a stale form (test)"
    with pytest.raises(ValidationError, match="deleted while you were editing"):
        services.webhook_endpoint_save(endpoint=stale, actor=people["admin"])
    assert not WebhookEndpoint.objects.exists()
    # A subscriber deleted twice (two administrators): the second finds nothing and writes nothing.
    reader = subscriber("twice@test.invalid", ["KGZ"])
    assert services.subscriber_delete(subscriber=reader, actor=people["admin"])
    assert not services.subscriber_delete(subscriber=reader, actor=people["admin"])
    from civicspace.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="alerts.subscriber_delete").count() == 1
