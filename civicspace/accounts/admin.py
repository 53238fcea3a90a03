from django.contrib import admin

from .models import Invitation, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation")
    list_filter = ("role", "organisation")
    filter_horizontal = ("countries",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "organisation", "expires_at", "used_at")
    readonly_fields = ("token", "used_at")
    filter_horizontal = ("countries",)
