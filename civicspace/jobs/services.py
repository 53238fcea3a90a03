"""Queueing background work. Jobs are queued when the caller's transaction commits (a rolled-back request
queues nothing), carry only keys, and can run more than once without doing their work twice."""
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from civicspace.audit.services import audit_event_record

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


def max_attempts():
    return int(getattr(settings, "JOBS_MAX_ATTEMPTS", 5))


def retry_delay(attempt):
    """Exponential back-off: JOBS_RETRY_BASE_SECONDS × 2^(attempt-1), at most an hour."""
    return min(3600.0, float(getattr(settings, "JOBS_RETRY_BASE_SECONDS", 30)) * 2 ** (attempt - 1))


def job_enqueue(task, **kwargs):
    """Queue `task` with keyword arguments once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def job_retry_or_raise(task, *, attempt, error, **kwargs):
    """After a failed attempt: queue the next attempt after the back-off delay, then re-raise so that this
    attempt is recorded as failed (administrators see it). Backends that cannot defer (the embedded mode's
    in-process backend) do not retry."""
    if attempt < max_attempts() and task.get_backend().supports_defer:
        run_after = timezone.now() + datetime.timedelta(seconds=retry_delay(attempt))
        task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
        logger.warning("%s attempt %s failed (%s); retry at %s", task.name, attempt, error, run_after)
    raise error


@transaction.atomic
def email_queue(*, key, to, subject, body, html="", headers=None, actor=None, audit=True):
    """Record an e-mail under an idempotency key and queue its sending. Queueing the same key again changes
    nothing and sends nothing more. `html` is an optional HTML alternative, `headers` extra headers (e.g.
    List-Unsubscribe). `audit=False` for mass mailings that keep their own record (alerts' fan-out)."""
    from .tasks import send_email

    email, created = OutgoingEmail.objects.get_or_create(key=key, defaults={
        "to": to, "subject": subject, "body": body, "html": html or "", "headers": headers or {}})
    if created:
        if audit:
            audit_event_record(action="jobs.email_queue", actor=actor, target=email, data={"key": key})
        job_enqueue(send_email, key=key)
    return email


def email_queue_many(emails):
    """email_queue for a mass mailing (alerts' fan-out, digests), inside the caller's transaction: `emails` is a
    list of dicts with key, to, subject, body and optionally html and headers. Keys already recorded are left
    alone; the new ones are written in one statement and their sending queued in one transaction after the
    commit (one job per e-mail, as email_queue). Returns the keys newly queued."""
    from .tasks import send_email

    keys = [e["key"] for e in emails]
    known = set(OutgoingEmail.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [e for e in emails if e["key"] not in known]
    OutgoingEmail.objects.bulk_create([
        OutgoingEmail(key=e["key"], to=e["to"], subject=e["subject"], body=e["body"], html=e.get("html") or "",
                      headers=e.get("headers") or {}) for e in new])
    new_keys = [e["key"] for e in new]

    def enqueue_all():
        with transaction.atomic():  # the database queue writes its rows in one transaction
            for key in new_keys:
                send_email.enqueue(key=key)

    if new_keys:
        transaction.on_commit(enqueue_all)
    return new_keys
