"""Administrators see every outgoing e-mail and its state here; failed and retried jobs are in django-tasks-db's
own admin (Background jobs → Task results, filter by status)."""
from django.contrib import admin

from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("key", "to", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("key", "to")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
