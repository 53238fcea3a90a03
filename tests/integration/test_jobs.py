"""Background jobs (civicspace/jobs): idempotent e-mails, retries with back-off, jobs of dead workers queued
again; the front cache's header. The stack's fault tests (test_stack_faults.py) run the same code with the
real worker, nginx and SMTP server."""
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from civicspace.jobs.models import OutgoingEmail, WorkerHeartbeat
from civicspace.jobs.services import email_queue, retry_delay
from civicspace.jobs.tasks import send_email
from civicspace.monitoring.models import Organisation
from civicspace.pagecache.frontcache import FrontCacheHeaderMiddleware

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def test_invitation_email_is_sent_by_a_job_once(django_capture_on_commit_callbacks):
    Organisation.objects.create(slug="jobs-test-org", name="Jobs test (synthetic)")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", "invitee@test.invalid", "--role", "partner", "--organisation", "jobs-test-org",
                     "--countries", "KGZ", stdout=io.StringIO())
    email = OutgoingEmail.objects.get(to="invitee@test.invalid")
    assert email.key.startswith("invitation:") and email.status == "sent" and email.attempts == 1
    assert len(mail.outbox) == 1 and "/invitation/" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@civicspace.jobs>")
    # The same job again (a worker died after sending, a duplicate in the queue): nothing more is sent.
    assert send_email.call(key=email.key) == "already sent"
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(key=email.key, to=email.to, subject="other", body="other")
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(key=email.key).attempts == 1


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                   EMAIL_PORT=9, EMAIL_TIMEOUT=2, TASKS=DATABASE_QUEUE, JOBS_MAX_ATTEMPTS=3,
                   JOBS_RETRY_BASE_SECONDS=30)
def test_failed_send_is_recorded_and_retried_later_with_back_off():
    from django_tasks_db.models import DBTaskResult

    email = OutgoingEmail.objects.create(key="test:retry", to="x@test.invalid", subject="s", body="b")
    before = timezone.now()
    with pytest.raises(OSError):  # nothing listens on port 9: the attempt fails
        send_email.call(key=email.key)
    email.refresh_from_db()
    assert email.status == "queued" and email.attempts == 1 and email.last_error
    retry = DBTaskResult.objects.get(task_path__endswith="send_email")
    assert retry.status == "READY" and retry.args_kwargs["kwargs"] == {"attempt": 2, "key": "test:retry"}
    assert retry.run_after >= before + datetime.timedelta(seconds=29)
    assert [retry_delay(n) for n in (1, 2, 3)] == [30, 60, 120]
    # The last attempt gives up: the e-mail is marked failed for administrators, no further retry is queued.
    with pytest.raises(OSError):
        send_email.call(key=email.key, attempt=3)
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 2
    assert DBTaskResult.objects.count() == 1
    assert len(mail.outbox) == 0


@override_settings(TASKS=DATABASE_QUEUE, JOBS_WORKER_DEAD_SECONDS=10)
def test_running_job_of_a_dead_worker_is_queued_again():
    from django_tasks_db.models import DBTaskResult

    from civicspace.jobs.management.commands.task_worker import orphans_requeue

    send_email.enqueue(key="test:orphan-dead")
    send_email.enqueue(key="test:orphan-alive")
    dead, alive = DBTaskResult.objects.order_by("enqueued_at")
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    for job, worker in ((dead, "dead-worker"), (alive, "live-worker")):
        job.claim(worker)
        DBTaskResult.objects.filter(pk=job.pk).update(started_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="dead-worker", seen_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="live-worker", seen_at=timezone.now())
    assert orphans_requeue() == 1
    assert DBTaskResult.objects.get(pk=dead.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=alive.pk).status == "RUNNING"


@pytest.mark.parametrize("path, cookies, cacheable", [
    ("/en/countries/kgz/", {}, True),
    ("/api/v1/countries", {}, True),
    ("/en/countries/kgz/", {"sessionid": "x"}, False),
    ("/en/countries/kgz/", {"messages": "x"}, False),
    ("/en/accounts/login/", {}, False),
    ("/en/workspace/", {}, False),
    ("/en/admin/", {}, False),
    ("/en/data/", {}, False),
    ("/static/css/site.css", {}, False),
])
def test_front_cache_header_only_on_anonymous_public_answers(path, cookies, cacheable):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    with override_settings(FRONT_CACHE_SECONDS=1):
        response = FrontCacheHeaderMiddleware(lambda r: HttpResponse("page"))(request)
        assert ("X-Accel-Expires" in response) is cacheable
        # A response that sets a cookie or is private is never marked.
        for make in (lambda: _with_cookie(HttpResponse("p")), lambda: _private(HttpResponse("p"))):
            assert "X-Accel-Expires" not in FrontCacheHeaderMiddleware(lambda r: make())(RequestFactory().get(path))
    assert "X-Accel-Expires" not in FrontCacheHeaderMiddleware(lambda r: HttpResponse("p"))(RequestFactory().get(path))


def _with_cookie(response):
    response.set_cookie("csrftoken", "x")
    return response


def _private(response):
    response["Cache-Control"] = "private"
    return response


@override_settings(TASKS=DATABASE_QUEUE)
def test_job_command_queues_report_release_and_recompute(django_capture_on_commit_callbacks):
    from django.core.management.base import CommandError
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        for args in (["report-pdf", "--edition", "2025-12", "--lang", "fr"], ["data-release"], ["scores-recompute"]):
            call_command("job", *args, stdout=io.StringIO())
    queued = {job.task_path.rsplit(".", 1)[-1]: job.args_kwargs["kwargs"] for job in DBTaskResult.objects.all()}
    assert queued == {"report_pdf": {"edition": "2025-12", "lang": "fr"}, "data_release": {},
                      "scores_recompute": {}}
    with pytest.raises(CommandError, match="--edition"):
        call_command("job", "report-pdf", stdout=io.StringIO())
    assert DBTaskResult.objects.count() == 3
