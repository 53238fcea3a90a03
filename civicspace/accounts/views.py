from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .adapter import SESSION_KEY
from .models import Invitation


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    """Follow an invitation link: see what it grants (role, organisation, countries, address), then accept it,
    which opens the sign-up form for that address. An expired or used link says so and what to do; the token
    is 43 random characters, so saying which state it is in tells nobody anything they could guess."""
    invitation = (Invitation.objects.select_related("organisation").prefetch_related("countries")
                  .filter(token=token).first())
    if invitation is None:
        return render(request, "accounts/invitation.html", {"state": "unknown"}, status=404)
    if invitation.used_at is not None:
        return render(request, "accounts/invitation.html", {"state": "used", "invitation": invitation}, status=410)
    if invitation.expires_at <= timezone.now():
        return render(request, "accounts/invitation.html", {"state": "expired", "invitation": invitation},
                      status=410)
    if request.method == "POST":
        if request.user.is_authenticated:
            messages.error(request, _("You are signed in with another account: sign out first, then open the "
                                      "invitation link again."))
            return redirect("invitation_accept", token=token)
        request.session[SESSION_KEY] = token
        return redirect("account_signup")
    return render(request, "accounts/invitation.html", {
        "state": "open", "invitation": invitation, "countries": sorted(invitation.countries.all(), key=str),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_verification_needed(request):
    """Two-factor set-up needs a verified address. This page says so and has the button that sends the
    verification e-mail (allauth's own confirmation link)."""
    unverified = list(EmailAddress.objects.filter(user=request.user, verified=False))
    if not unverified:
        return redirect("mfa_activate_totp")
    if request.method == "POST":
        for address in unverified:
            address.send_confirmation(request)
        messages.success(request, _("We sent a verification link to %(email)s. Open it, then come back to set up "
                                    "two-factor authentication.") % {"email": ", ".join(a.email for a in unverified)})
        return redirect("account_email_verification_needed")
    return render(request, "accounts/email_verification_needed.html", {"addresses": unverified})
