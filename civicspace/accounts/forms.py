"""The sign-up form bound to its invitation, and the TOTP set-up form with a stable secret."""
from allauth.account.forms import SignupForm
from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.utils.translation import gettext as _

from .adapter import invitation_from_session


class InvitationSignupForm(SignupForm):
    """The invited address is fixed: the field shows it read-only, and any other address is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = context.request
        self.invitation = invitation_from_session(request) if request is not None else None
        field = self.fields["email"]
        if self.invitation is not None:
            field.initial = self.invitation.email
            field.widget.attrs.update({"readonly": True, "aria-readonly": "true"})
            field.help_text = _("The invitation was sent to this address; your account uses it.")

    def clean_email(self):
        value = (self.cleaned_data.get("email") or "").strip()
        if self.invitation is not None and value.lower() != self.invitation.email.lower():
            raise forms.ValidationError(
                _("This invitation is for %(email)s: sign up with that address, or ask for an invitation for "
                  "the other one.") % {"email": self.invitation.email}, code="invitation_email")
        return super().clean_email()


class StableActivateTOTPForm(ActivateTOTPForm):
    """allauth makes a new secret every time the set-up page is shown. A second load in the background (a
    favicon redirect, a second tab, a reload) then silently invalidates the QR code on the screen. The secret
    here is made once per session and kept until the authenticator is activated (allauth then clears it)."""

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = totp_auth.get_totp_secret(regenerate=False)
