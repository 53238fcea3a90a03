"""Fault tests of the production stack (issue 16): deploy/stack.py starts the real thing once for this module
(nginx with TLS and the front cache, two gunicorn app servers, PostgreSQL primary and streaming replica, Redis,
the task worker, and an aiosmtpd SMTP server on loopback), then the tests break its parts.

They run in the PostgreSQL pass only (marker `postgres`; the SQLite pass deselects them) and never skip: a
missing nginx, redis-server or PostgreSQL binary fails them.
"""
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from deploy.stack import PROJECT, Stack, free_port

# django_db: so that the suite's test database (copied into the stack) is set up for this module too.
pytestmark = [pytest.mark.postgres, pytest.mark.stack, pytest.mark.django_db]
PASSWORD = "stack fault test password 42"


class Mailbox:
    """aiosmtpd handler: messages it accepted (250), by Message-ID. `hold_first` makes the first DATA wait
    until released, so a test can kill the sender while it is in the middle of sending."""

    def __init__(self):
        self.accepted = []
        self.hold_first = False
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        self._held = False

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.hold_first and not self._held:
            self._held = True
            self.first_arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"  # the sender is gone by now: nothing was delivered
        content = envelope.content.decode("utf8", errors="replace")
        message_id = re.search(r"^Message-ID:\s*(\S+)", content, re.M | re.I)
        self.accepted.append({"to": envelope.rcpt_tos, "message_id": message_id and message_id.group(1),
                              "content": content})
        return "250 OK"


@pytest.fixture(scope="module")
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    box.release.set()
    controller.stop()


@pytest.fixture(scope="module")
def stack(mailbox, django_db_setup, django_db_blocker):
    for binary in ("nginx", "redis-server", "openssl"):
        assert shutil.which(binary), f"{binary} is required for the stack tests (make stack-deps installs it)"
    _box, smtp_port = mailbox
    directory = PROJECT / "var" / f"stack-test-{uuid.uuid4().hex[:8]}"
    ports = {"https": free_port(), "http": free_port(), "primary": free_port(), "replica": free_port(),
             "redis": free_port(), "app_ports": [free_port(), free_port()]}
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_TIMEOUT": "30",
           "JOBS_WORKER_DEAD_SECONDS": "2", "JOBS_RETRY_BASE_SECONDS": "1", "SECURE_SSL_REDIRECT": "0",
           "APP_WORKERS": "2", "ALERTS_WEBHOOK_ALLOW_PRIVATE_FOR_TESTS": "1"}
    s = Stack(directory, ports=ports, workers=2, threads=4, env=env, quiet=False)
    try:
        # The suite's PostgreSQL test database already holds the reference data: copy it rather than load it again.
        from django.conf import settings

        db = settings.DATABASES["default"]
        source = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        with django_db_blocker.unblock():
            s.start(data=source)
        global CERT
        CERT = str(directory / "tls" / "cert.pem")
        yield s
    finally:
        s.stop()
        shutil.rmtree(directory, ignore_errors=True)


CERT = None


def client():
    """HTTPS through nginx, checking its certificate (the stack's self-signed one, made for localhost)."""
    session = requests.Session()
    session.trust_env = False
    session.verify = CERT
    return session


def url(stack, path):
    return f"{stack.base_url}{path}"


def shell(stack, code):
    """Run Python in the stack's environment (like a command on an app server); its last printed line."""
    result = stack.manage("shell", "-c", code, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def published_update_id(stack):
    return int(shell(stack, "from civicspace.monitoring.models import Update\n"
                            "print(Update.objects.filter(status='published').order_by('id').first().id)"))


@pytest.fixture(scope="module")
def partner(stack):
    """A research partner with a password (no second factor needed for partners) and a signed-in session."""
    email = "stack-partner@test.invalid"
    shell(stack, f"""
from django.contrib.auth import get_user_model
from civicspace.accounts.models import Profile, Role
from civicspace.countries.models import Country
from civicspace.monitoring.models import Organisation
org, _ = Organisation.objects.get_or_create(slug='stack-test-org', defaults={{'name': 'Stack test (synthetic)'}})
user = get_user_model().objects.create_user(username='{email}', email='{email}', password='{PASSWORD}')
profile = Profile.objects.create(user=user, role=Role.PARTNER, organisation=org)
profile.countries.set(Country.objects.filter(code='KGZ'))
print(user.pk)
""")
    session = client()
    login = url(stack, "/en/accounts/login/")
    page = session.get(login)
    assert page.status_code == 200
    token = session.cookies["csrftoken"]
    response = session.post(login, data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
                            headers={"Referer": login}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    assert "sessionid" in session.cookies
    return session


def test_public_page_is_cached_in_nginx_and_answered_from_the_replica(stack):
    c = client()
    first = c.get(url(stack, "/en/countries/kgz/"))
    assert first.status_code == 200 and first.headers["X-Read-Database"] == "replica"
    hits = [c.get(url(stack, "/en/countries/kgz/")).headers.get("X-Cache") for _ in range(5)]
    assert "HIT" in hits
    api = [c.get(url(stack, "/api/v1/countries")).headers.get("X-Cache") for _ in range(3)]
    assert api[0] in ("MISS", "EXPIRED") and "HIT" in api
    # Never cached: the sign-in page (it sets a CSRF cookie) and the data-download pages.
    for path in ("/en/accounts/login/", "/en/data/"):
        answers = [c.get(url(stack, path)).headers.get("X-Cache") for _ in range(3)]
        assert "HIT" not in answers, (path, answers)


def test_kill_one_app_server_under_load_no_request_fails(stack):
    paths = ["/healthz", "/en/countries/?n={i}", "/api/v1/countries?n={i}", "/en/updates/?n={i}"]
    stop = threading.Event()
    failures, done = [], []

    def load(worker):
        session = client()
        i = 0
        while not stop.is_set():
            path = paths[i % len(paths)].format(i=f"{worker}-{i}")
            try:
                response = session.get(url(stack, path), timeout=30)
                (done if response.status_code == 200 else failures).append((path, response.status_code))
            except requests.RequestException as exc:
                failures.append((path, repr(exc)))
            i += 1

    victim = stack.app_ports[0]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(load, n) for n in range(4)]
        while len(done) < 40:
            time.sleep(0.05)
        stack.kill_app(victim, sig=signal.SIGKILL)  # the whole process group: master and workers
        served = len(done)
        while len(done) < served + 60:
            time.sleep(0.05)
        stop.set()
        for future in futures:
            future.result()
    assert failures == []
    assert len(done) >= 100
    stack.start_app(victim)
    stack.wait_app(victim)


def test_replica_down_then_back(stack):
    c = client()

    def read(n):
        response = c.get(url(stack, f"/en/countries/?replica-test={n}"))
        assert response.status_code == 200
        return response.headers["X-Read-Database"]

    assert read("before") == "replica"
    stack.pg_ctl("replica", "stop")
    try:
        answered = [read(f"down-{n}") for n in range(12)]
        assert set(answered) == {"primary"}
        assert c.get(url(stack, "/api/v1/countries?replica-test=down")).status_code == 200
    finally:
        stack.pg_ctl("replica", "start")
    deadline = time.monotonic() + 30
    while read(f"back-{time.monotonic()}") != "replica":
        assert time.monotonic() < deadline, "reads never went back to the replica"
        time.sleep(0.3)


def test_redis_restart_keeps_serving_and_nobody_is_signed_out(stack, partner):
    assert partner.get(url(stack, "/en/workspace/"), allow_redirects=False).status_code == 200
    c = client()
    stack.stop_redis()
    try:
        assert c.get(url(stack, "/en/countries/?redis=down")).status_code == 200
        assert c.get(url(stack, "/api/v1/countries?redis=down")).status_code == 200
        assert partner.get(url(stack, "/en/workspace/"), allow_redirects=False).status_code == 200
    finally:
        stack.start_redis()
    assert c.get(url(stack, "/en/countries/?redis=back")).status_code == 200
    workspace = partner.get(url(stack, "/en/workspace/"), allow_redirects=False)
    assert workspace.status_code == 200 and "Sign out" in workspace.text


def test_signed_in_partner_never_gets_a_cached_or_someone_elses_page(stack, partner):
    anonymous = client()
    for _ in range(3):
        assert "Sign out" not in anonymous.get(url(stack, "/en/countries/kgz/")).text
    for _ in range(3):
        page = partner.get(url(stack, "/en/countries/kgz/"))
        assert page.headers.get("X-Cache") in (None, "BYPASS") and page.headers["X-Read-Database"] == "primary"
        assert "Sign out" in page.text
    # ... and what the partner saw was not stored for anyone else.
    for _ in range(3):
        assert "Sign out" not in anonymous.get(url(stack, "/en/countries/kgz/")).text


def test_publication_shows_through_nginx_within_one_second(stack):
    update_id = published_update_id(stack)
    path = f"/en/updates/{update_id}/"
    c = client()
    c.get(url(stack, path))
    assert c.get(url(stack, path)).headers.get("X-Cache") == "HIT"
    title = f"Stack test title {uuid.uuid4().hex[:8]}"
    committed_at = float(shell(stack, f"""
import time
from civicspace.monitoring.models import Update
update = Update.objects.get(pk={update_id})
update.title_en = {title!r}
update.save()
print(time.time())
"""))
    time.sleep(max(0.0, committed_at + 1.0 - time.time()))
    assert title in c.get(url(stack, path)).text
    for port in stack.app_ports:  # and every app server directly
        direct = client().get(f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost",
                              "X-Forwarded-Proto": "https"})
        assert title in direct.text


def test_worker_killed_mid_job_runs_it_again_and_sends_once(stack, mailbox):
    box, _port = mailbox
    box.hold_first = True
    email = f"invitee-{uuid.uuid4().hex[:6]}@test.invalid"
    shell(stack, "from civicspace.monitoring.models import Organisation\n"
                 "Organisation.objects.get_or_create(slug='stack-test-org', defaults={'name': 'Stack test'})")
    stack.manage("invite", email, "--role", "partner", "--organisation", "stack-test-org", "--countries", "KGZ")
    assert box.first_arrived.wait(30), "the worker never started sending the invitation"
    stack.stop_worker(sig=signal.SIGKILL)  # mid-job: the SMTP server holds the message's DATA
    box.release.set()
    key = shell(stack, f"from civicspace.jobs.models import OutgoingEmail\n"
                       f"e = OutgoingEmail.objects.get(to={email!r}); print(e.status + ' ' + e.key)").split()
    assert key[0] == "queued"
    # The same e-mail queued a second time (a duplicate job): it must not be sent twice.
    shell(stack, f"from civicspace.jobs.tasks import send_email\nsend_email.enqueue(key={key[1]!r})")
    stack.start_worker()
    deadline = time.monotonic() + 30
    while not [m for m in box.accepted if email in m["to"]]:
        assert time.monotonic() < deadline, "the invitation was never sent after the worker restarted"
        time.sleep(0.2)
    time.sleep(3)  # the duplicate job and any requeue have run by now
    sent = [m for m in box.accepted if email in m["to"]]
    assert len(sent) == 1 and sent[0]["message_id"]
    state = json.loads(shell(stack, f"""
import json
from civicspace.jobs.models import OutgoingEmail
from django_tasks_db.models import DBTaskResult
e = OutgoingEmail.objects.get(to={email!r})
print(json.dumps({{"status": e.status, "attempts": e.attempts,
                  "running": DBTaskResult.objects.filter(status='RUNNING').count(),
                  "ready": DBTaskResult.objects.filter(status='READY').count()}}))
"""))
    assert state["status"] == "sent" and state["attempts"] == 1  # the killed attempt's transaction rolled back
    assert state["running"] == 0 and state["ready"] == 0


def test_an_alert_goes_out_from_the_worker_by_smtp_and_a_signed_webhook(stack, mailbox):
    """Issue 19 under the production stack: a Russian subscriber to Kyrgyzstan and a webhook endpoint; an editor
    publishes a Kyrgyz update; the task worker (not the request) sends the Russian alert through SMTP with its
    one-click unsubscribe, and posts the event to a real HTTP receiver whose signature verifies."""
    import base64
    import hashlib
    import hmac
    from http.server import BaseHTTPRequestHandler, HTTPServer

    box, _port = mailbox
    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(({k.lower(): v for k, v in self.headers.items()},
                             self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tag = uuid.uuid4().hex[:8]
    reader = f"reader-{tag}@test.invalid"
    try:
        state = json.loads(shell(stack, f"""
import datetime as dt, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from civicspace.accounts.models import Profile, Role
from civicspace.alerts import services as alerts
from civicspace.alerts.models import Subscriber, WebhookEndpoint
from civicspace.countries.models import Country
from civicspace.monitoring import services as monitoring
from civicspace.monitoring.models import Organisation, Source, Update
kgz = Country.objects.get(code='KGZ')
subscriber = Subscriber.objects.create(email={reader!r}, language='ru', frequency='instant',
                                       confirmed_at=timezone.now())
subscriber.countries.set([kgz])
editor = get_user_model().objects.create_user(username='editor-{tag}', email='editor-{tag}@test.invalid')
Profile.objects.create(user=editor, role=Role.EDITOR).countries.set([kgz])
endpoint = alerts.webhook_endpoint_save(endpoint=WebhookEndpoint(
    name='Stack receiver (test)', owner_email='desk-{tag}@test.invalid',
    url='http://127.0.0.1:{server.server_port}/hook', event_types=['update.published']), actor=editor)
org, _ = Organisation.objects.get_or_create(slug='stack-test-org', defaults={{'name': 'Stack test (synthetic)'}})
update = Update.objects.create(country=kgz, date=dt.date(2024, 3, 1), original_language='en', organisation=org,
                               title_en='Stack alert test {tag} (synthetic)', summary_en='Synthetic summary.',
                               body_en='Synthetic body.', status='verified', created_by=editor)
Source.objects.create(update=update, title='Public source (synthetic)', publisher='Test', url='https://example.org/s')
monitoring.update_transition(update=update, actor=editor, name='publish')
print(json.dumps({{"update": update.pk, "secret": endpoint.secret, "country_ru": kgz.name_ru}}))
"""))
        deadline = time.monotonic() + 60
        while not ([m for m in box.accepted if reader in m["to"]] and received):
            assert time.monotonic() < deadline, "the worker sent no alert (e-mail or webhook) within 60 s"
            time.sleep(0.2)
        [mail] = [m for m in box.accepted if reader in m["to"]]
        assert re.search(r"^List-Unsubscribe-Post:\s*List-Unsubscribe=One-Click", mail["content"], re.M | re.I)
        unsubscribe = re.search(r"^List-Unsubscribe:\s*<([^>]+)>", mail["content"], re.M | re.I).group(1)
        text = _decoded_text(mail["content"])
        assert "/ru/alerts/manage/" in text and state["country_ru"] and state["country_ru"] in text
        [(headers, body)] = received
        key = base64.b64decode(state["secret"].removeprefix("whsec_"))
        signed = f'{headers["webhook-id"]}.{headers["webhook-timestamp"]}.'.encode() + body
        assert headers["webhook-signature"] == "v1," + base64.b64encode(
            hmac.new(key, signed, hashlib.sha256).digest()).decode()
        assert json.loads(body)["data"]["update"]["id"] == state["update"]
        # The one-click unsubscribe works through nginx (a POST without a CSRF token, RFC 8058).
        response = client().post(url(stack, "/" + unsubscribe.split("/", 3)[3]),
                                 data={"List-Unsubscribe": "One-Click"}, allow_redirects=False)
        assert response.status_code == 200, response.status_code
        assert shell(stack, f"from civicspace.alerts.models import Subscriber\n"
                            f"print(Subscriber.objects.filter(email={reader!r}).count())") == "0"
    finally:
        server.shutdown()


def _decoded_text(message):
    """The text parts of an e-mail as read (quoted-printable or base64 bodies decoded)."""
    import email
    from email import policy

    parsed = email.message_from_bytes(message.encode("utf-8"), policy=policy.default)
    return "\n".join(part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text")
