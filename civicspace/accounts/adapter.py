from allauth.account.adapter import DefaultAccountAdapter

from .models import Invitation

SESSION_KEY = "invitation_token"


def invitation_from_session(request):
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    invitation = Invitation.objects.filter(token=token).first()
    return invitation if invitation and invitation.is_usable() else None


class InvitationOnlyAdapter(DefaultAccountAdapter):
    """Nobody signs up without a valid, unused, unexpired invitation; the account gets the invited role and the
    invited address, which counts as verified (the invitation link reached it)."""

    def is_open_for_signup(self, request):
        return invitation_from_session(request) is not None

    def save_user(self, request, user, form, commit=True):
        from .services import invitation_accept

        invitation = invitation_from_session(request)
        user = super().save_user(request, user, form, commit=True)
        invitation_accept(invitation=invitation, user=user, language=getattr(request, "LANGUAGE_CODE", ""))
        request.session.pop(SESSION_KEY, None)
        # allauth records the address right after this; it is verified when it is the invited one.
        self.stash_verified_email(request, invitation.email)
        return user

    def populate_username(self, request, user):
        user.username = user.email[:150]
        return user
