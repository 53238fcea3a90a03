"""Background jobs' own records (the queue itself is django-tasks-db's DBTaskResult table).

OutgoingEmail is the idempotency record of every e-mail the site sends: a job only carries its key, and the
row says whether that e-mail already left. WorkerHeartbeat lets a worker see that a job marked running belongs
to a worker that died, and queue it again (at-least-once).
"""
from django.db import models


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    key = models.CharField(max_length=200, unique=True, help_text="idempotency key, e.g. invitation:42")
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # Optional: an HTML alternative of the body, and extra headers (alerts' List-Unsubscribe and
    # List-Unsubscribe-Post, Content-Language).
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.key} → {self.to} ({self.status})"


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()
