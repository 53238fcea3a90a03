from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bill


@admin.register(Bill)
class BillAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("short_title", "country", "category", "direction")
    list_filter = ("category", "direction")
