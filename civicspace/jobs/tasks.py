"""The background jobs (django-tasks). Each one may run more than once (a worker killed mid-job is run again):
e-mails check their idempotency record under a row lock, the other jobs rebuild the same output."""
import hashlib
import io

from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail
from .services import job_retry_or_raise, max_attempts


def _message_id(key):
    # The same Message-ID on every attempt: a mail server that saw it already can drop a duplicate.
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@civicspace.jobs>"


@task()
def send_email(key, attempt=1):
    """Send the OutgoingEmail `key` unless it was sent already. The row stays locked while the message is
    handed to the mail server, so two runs of the same job can never both send it."""
    error = None
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(key=key).first()
        if email is None:  # erased meanwhile (an alert subscriber who unsubscribed): nothing to send
            return "gone"
        if email.status == OutgoingEmail.Status.SENT:
            return "already sent"
        email.attempts += 1
        try:
            message = EmailMultiAlternatives(email.subject, email.body, None, [email.to],
                                             headers={**(email.headers or {}), "Message-ID": _message_id(key)})
            if email.html:
                message.attach_alternative(email.html, "text/html")
            message.send()
        except Exception as exc:  # the mail server refused or is down: record it, retry later
            error = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if attempt >= max_attempts():
                email.status = OutgoingEmail.Status.FAILED
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save()
    if error is not None:
        job_retry_or_raise(send_email, attempt=attempt, error=error, key=key)
    return "sent"


def _command(name, attempt, task_obj, retry_kwargs, **options):
    out = io.StringIO()
    try:
        call_command(name, stdout=out, **options)
    except Exception as exc:
        job_retry_or_raise(task_obj, attempt=attempt, error=exc, **retry_kwargs)
    return out.getvalue()[-2000:]


@task()
def report_pdf(edition, lang="en", attempt=1):
    """The findings report of an edition as a PDF into var/reports/ (findings' `report` command)."""
    return _command("report", attempt, report_pdf, {"edition": edition, "lang": lang}, edition=edition, lang=[lang])


@task()
def data_release(attempt=1):
    """A new versioned data release (exports' `export` command: all or nothing)."""
    return _command("export", attempt, data_release, {})


@task()
def scores_recompute(attempt=1):
    """Every country's guiding score again, e.g. after an index import (ratings' `compute_scores`)."""
    return _command("compute_scores", attempt, scores_recompute, {})
