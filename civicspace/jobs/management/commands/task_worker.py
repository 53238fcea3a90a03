"""`civicspace task_worker`: django-tasks-db's worker plus what it lacks for at-least-once delivery.

django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again, so a worker killed
mid-job would leave it RUNNING for ever. This worker writes a heartbeat every HEARTBEAT seconds (a thread with
its own database connection) and, on the same beat, puts back in the queue every running job whose worker's
heartbeat is older than JOBS_WORKER_DEAD_SECONDS: the job runs again, and its own idempotency check (e-mails:
OutgoingEmail under a row lock) keeps it from doing its work twice.
"""
import datetime
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from civicspace.jobs.models import WorkerHeartbeat

logger = logging.getLogger("civicspace.jobs")
HEARTBEAT = 1.0


def dead_after():
    return float(getattr(settings, "JOBS_WORKER_DEAD_SECONDS", 10))


def orphans_requeue(now=None):
    """Queue again the running jobs whose worker stopped beating. Returns how many."""
    now = now or timezone.now()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - datetime.timedelta(seconds=dead_after()))
                .values_list("worker_id", flat=True))
    requeued = 0
    with transaction.atomic():
        for job in DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                status=TaskResultStatus.RUNNING):
            owner = job.worker_ids[-1] if job.worker_ids else None
            started = job.started_at or job.enqueued_at
            if owner in alive or (started and started >= now - datetime.timedelta(seconds=dead_after())):
                continue
            job.status = TaskResultStatus.READY
            job.started_at = None
            job.save(update_fields=["status", "started_at"])
            logger.warning("job %s (%s) of dead worker %s queued again", job.id, job.task_path, owner)
            requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(hours=1)).delete()
    return requeued


class _Heartbeat(threading.Thread):
    def __init__(self, worker_id):
        super().__init__(daemon=True, name="task-worker-heartbeat")
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            try:
                close_old_connections()
                WorkerHeartbeat.objects.update_or_create(worker_id=self.worker_id,
                                                         defaults={"seen_at": timezone.now()})
                orphans_requeue()
            except Exception:  # the database is restarting: beat again next time
                logger.exception("task worker heartbeat failed")
                connection.close()
            self.stopped.wait(HEARTBEAT)


class Command(db_worker.Command):
    help = "Run background jobs (django-tasks-db's worker with heartbeats; jobs of dead workers run again)."

    def handle(self, *args, worker_id=None, **options):
        worker_id = worker_id or get_random_string(32)
        beat = _Heartbeat(worker_id)
        beat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            beat.stopped.set()
