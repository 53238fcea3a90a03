from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Country, Region


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ("code", "name", "position")


@admin.register(Country)
class CountryAdmin(TranslationAdmin):
    list_display = ("code", "name", "iso2", "iso_numeric", "region")
    list_filter = ("region",)
    search_fields = ("code", "name", "monitor_name")
