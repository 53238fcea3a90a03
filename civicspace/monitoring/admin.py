from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Term, Update


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ("name", "slug", "is_active")
    filter_horizontal = ("countries", "regions")


class TermAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("vocabulary", "code", "label", "position", "is_active")
    list_filter = ("vocabulary", "is_active")

    # The taxonomy is the administrators' to change (with history), nobody else's.
    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_delete_permission = lambda self, request, obj=None: request.user.is_superuser


admin.site.register(Term, TermAdmin)


@admin.register(Update)
class UpdateAdmin(SimpleHistoryAdmin):
    list_display = ("pk", "country", "date", "title", "status", "organisation")
    list_filter = ("status", "organisation")
    search_fields = ("title_en", "title_ru")
