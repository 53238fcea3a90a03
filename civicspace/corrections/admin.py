"""Administrators see requests read-only and erase a requester's personal data on request (the same service as
`civicspace corrections_erase`). Decisions are taken in the editors' workspace, where they are audited."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CorrectionRequest


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ("pk", "request_type", "item_kind", "item_id", "country", "state", "created_at")
    list_filter = ("state", "request_type", "item_kind")
    search_fields = ("requester_email",)
    actions = ["erase_requesters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # erasure goes through the audited service (the action below)

    @admin.action(description=_("Erase the requesters' personal data (on their request)"))
    def erase_requesters(self, request, queryset):
        emails = {e for e in queryset.values_list("requester_email", flat=True) if e}
        total = sum(services.requester_erase(email=email, actor=request.user, actor_label="admin")
                    for email in emails)
        self.message_user(request, _("%(n)s request(s) erased.") % {"n": total}, messages.SUCCESS)
