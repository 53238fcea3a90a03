from django.contrib import admin

from .models import Invitation, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation")
    list_filter = ("role", "organisation")
    filter_horizontal = ("countries",)

    def save_model(self, request, obj, form, change):
        """A role changed here is changed through the service, which writes the audit event."""
        from .services import profile_set_role

        new_role = obj.role
        if change and "role" in form.changed_data:
            obj.role = form.initial["role"]
            super().save_model(request, obj, form, change)
            profile_set_role(profile=obj, role=new_role, actor=request.user)
        else:
            super().save_model(request, obj, form, change)
            if not change:
                from civicspace.audit.services import audit_event_record

                audit_event_record(action="accounts.role_change", actor=request.user, target=obj.user,
                                   data={"from": None, "to": obj.role})

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.countries.values_list("code", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.countries.values_list("code", flat=True))
        if before != after:
            from civicspace.audit.services import audit_event_record

            audit_event_record(action="accounts.countries_change", actor=request.user, target=form.instance.user,
                               data={"from": sorted(before), "to": sorted(after)})


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "role", "organisation", "expires_at", "used_at")
    readonly_fields = ("token", "used_at")
    filter_horizontal = ("countries",)


def _admin_login(request, extra_context=None):
    """The admin's own login form asks for a password only, which would bypass two-factor authentication: everyone
    signs in through the site's login (django-allauth, with the second factor), then comes back to the admin."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    index = reverse("admin:index", current_app=admin.site.name)
    target = request.GET.get("next", "")
    if not (target.startswith(index) and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = index
    if not request.user.is_authenticated:
        return redirect_to_login(target, reverse("account_login"))
    if not admin.site.has_permission(request):
        raise PermissionDenied
    return redirect(target)


admin.site.login = _admin_login
