from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One line of the audit log, written by the service that made the change (never by a signal)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Who acted when there is no user: a management command, the importer, a task.
    actor_label = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=100, db_index=True)  # "<app>.<service>", e.g. "ratings.draft_publish"
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
