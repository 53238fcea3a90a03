"""Who may do what: role and country-assignment predicates (the `rules` package), used by services and views."""
import rules

from .models import Role


def role_of(user):
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile else None


@rules.predicate
def is_partner(user):
    return role_of(user) == Role.PARTNER


@rules.predicate
def is_editor(user):
    return role_of(user) in (Role.EDITOR, Role.ADMIN)


@rules.predicate
def is_panel_member(user):
    """Advisory panel members vote on rating proposals; administrators are not panel members by role."""
    return role_of(user) == Role.PANEL


@rules.predicate
def is_staff_reviewer(user):
    """Who may read rating proposals and their evidence: editors, administrators and the panel."""
    return role_of(user) in (Role.EDITOR, Role.ADMIN, Role.PANEL)


def assigned_country_ids(user):
    """Countries a partner works on; cached on the user object for the request."""
    if not hasattr(user, "_assigned_country_ids"):
        profile = getattr(user, "profile", None)
        user._assigned_country_ids = set(profile.countries.values_list("pk", flat=True)) if profile else set()
    return user._assigned_country_ids


def organisation_id(user):
    profile = getattr(user, "profile", None)
    return profile.organisation_id if profile else None
