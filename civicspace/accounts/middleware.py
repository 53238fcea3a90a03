"""Editors, panel members and administrators must have two-factor authentication before doing anything.

Only a page the person navigates to is redirected to the set-up page. The browser's own requests for
assets (the favicon, style sheets, images) are never redirected: following such a redirect would load the
set-up page in the background, and allauth used to make a new secret at every load, so the code from the QR
code already on the screen failed ("Incorrect code"). Any other request that is not a page navigation (an
API call, a fetch) is refused with a plain 403 instead of a redirect."""
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import ROLES_REQUIRING_2FA
from .roles import role_of

# Never behind the 2FA wall: public files and the server's health check.
ASSET_PREFIXES = ("/static/", "/media/", "/healthz", "/favicon.ico", "/robots.txt", "/apple-touch-icon")
ASSET_SUFFIXES = (".ico", ".png", ".svg", ".css", ".js", ".map", ".webmanifest", ".woff", ".woff2", ".txt")


def has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def has_unverified_email(user):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user.pk, verified=False).exists()


def is_asset_request(request):
    path = request.path
    return path.startswith(ASSET_PREFIXES) or path.rsplit("/", 1)[-1].endswith(ASSET_SUFFIXES)


def is_page_navigation(request):
    """A page the person asked for (as opposed to something a page asked for). Browsers say so in
    Sec-Fetch-Dest; clients that send no fetch metadata are judged by what they accept."""
    dest = request.headers.get("Sec-Fetch-Dest")
    if dest:
        return dest in ("document", "iframe")
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept or "*/*" in accept and "image/" not in accept


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        lang = get_language() or "en"
        # Setting up 2FA needs a verified address (allauth's rule): anyone heading for the set-up with an
        # unverified one is sent to the page that explains it and sends the e-mail, not to a dead end.
        if (request.path == reverse("mfa_activate_totp") and request.method == "GET"
                and is_page_navigation(request) and has_unverified_email(user)):
            return redirect("account_email_verification_needed")
        if role_of(user) not in ROLES_REQUIRING_2FA or is_asset_request(request):
            return self.get_response(request)
        if request.path.startswith(f"/{lang}/accounts/") or has_totp(user):
            return self.get_response(request)
        if not is_page_navigation(request):
            return HttpResponseForbidden(_("Two-factor authentication is required: set it up first."),
                                         content_type="text/plain; charset=utf-8")
        if has_unverified_email(user):
            return redirect("account_email_verification_needed")
        return redirect(reverse("mfa_activate_totp"))
