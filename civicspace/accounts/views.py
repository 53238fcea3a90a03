from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from .adapter import SESSION_KEY
from .models import Invitation


@require_safe
def invitation_accept(request, token):
    """Follow an invitation link: remember the token for the sign-up form, which is closed without it."""
    invitation = Invitation.objects.filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        raise Http404("Invitation not found")  # expired, used and unknown look the same
    request.session[SESSION_KEY] = token
    return redirect("account_signup")
