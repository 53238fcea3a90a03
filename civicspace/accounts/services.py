from django.db import transaction
from django.utils import timezone

from civicspace.audit.services import audit_event_record

from .models import Invitation, Profile


class InvitationError(Exception):
    pass


@transaction.atomic
def invitation_create(*, email, role, organisation=None, countries=(), invited_by=None):
    invitation = Invitation.objects.create(email=email.lower(), role=role, organisation=organisation,
                                           invited_by=invited_by)
    invitation.countries.set(countries)
    audit_event_record(action="accounts.invitation_create", actor=invited_by, target=invitation,
                       data={"email": invitation.email, "role": role})
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user, language=""):
    """Turn an invitation into the new account's role and assignments; the token can never be used again."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable():
        raise InvitationError("This invitation has expired or was already used.")
    if (user.email or "").strip().lower() != locked.email.lower():
        # The sign-up form refuses another address; this is the rule itself, for every other caller.
        raise InvitationError("This invitation is for another e-mail address.")
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.role = locked.role
    profile.organisation = locked.organisation
    profile.language = language or profile.language
    profile.save()
    profile.countries.set(locked.countries.all())
    audit_event_record(action="accounts.invitation_accept", actor=user, target=locked,
                       data={"role": locked.role})
    return profile


@transaction.atomic
def profile_set_role(*, profile, role, actor):
    before = profile.role
    profile.role = role
    profile.save(update_fields=["role"])
    audit_event_record(action="accounts.role_change", actor=actor, target=profile.user,
                       data={"from": before, "to": role})
    return profile
