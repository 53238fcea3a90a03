"""Alerts' background jobs (django-tasks): each may run more than once without sending anything twice."""
from django_tasks import task

from civicspace.jobs.services import job_retry_or_raise


@task()
def alerts_fanout(event_id, attempt=1):
    """Fan an outbox event out to its instant subscribers and webhook endpoints."""
    from .services import event_fan_out

    try:
        return f"{event_fan_out(event_id=event_id)} e-mails queued"
    except Exception as error:
        job_retry_or_raise(alerts_fanout, attempt=attempt, error=error, event_id=event_id)


@task()
def webhook_deliver(delivery_id):
    """One attempt of a webhook delivery (its own back-off schedules the next; see services)."""
    from .services import webhook_delivery_attempt

    return webhook_delivery_attempt(delivery_id=delivery_id)


@task()
def alerts_digest(period):
    from .services import digest_send

    return str(digest_send(period=period))
