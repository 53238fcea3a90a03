from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "actor_label", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "target_id", "actor_label")

    # The log is append-only: nobody edits or deletes history through the admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
