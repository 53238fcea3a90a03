"""Editors, panel members and administrators must have two-factor authentication before doing anything."""
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language

from .models import ROLES_REQUIRING_2FA
from .roles import role_of


def has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and role_of(user) in ROLES_REQUIRING_2FA:
            lang = get_language() or "en"
            allowed = (f"/{lang}/accounts/", "/static/", "/healthz")
            if not request.path.startswith(allowed) and not has_totp(user):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
