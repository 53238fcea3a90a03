"""Who may see, edit and move an update. Denials of something whose existence is itself sensitive are 404s."""
from django.utils.translation import gettext_lazy as _

from civicspace.accounts.roles import (
    assigned_country_ids,
    is_editor,
    is_partner,
    organisation_id,
)

from .models import Status

PARTNER_EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED}


def is_own_update(user, update):
    """A partner's own organisation's update, in a country assigned to them."""
    return (is_partner(user) and update.organisation_id == organisation_id(user)
            and update.country_id in assigned_country_ids(user))


def can_view(user, update):
    """The workspace view of an update (confidential sources, sensitive names, comments): editors and the
    authoring partner only, whatever the state. The public sees published updates through publishing/."""
    return bool(is_editor(user) or is_own_update(user, update))


def can_edit(user, update):
    if is_editor(user):
        return update.status != Status.RETRACTED
    return is_own_update(user, update) and update.status in PARTNER_EDITABLE


def can_create_in(user, country):
    if not organisation_id(user):
        return False
    return bool(is_editor(user) or (is_partner(user) and country.pk in assigned_country_ids(user)))


def can_comment(user, update):
    return bool(is_editor(user) or is_own_update(user, update))


# name: (allowed from, to, who may, what the actor must write)
TRANSITIONS = {
    "submit": ({Status.DRAFT, Status.CHANGES_REQUESTED}, Status.SUBMITTED, "author", None),
    "start_review": ({Status.SUBMITTED}, Status.IN_REVIEW, "editor", None),
    "request_changes": ({Status.SUBMITTED, Status.IN_REVIEW, Status.VERIFIED}, Status.CHANGES_REQUESTED, "editor",
                        "comment"),
    "verify": ({Status.IN_REVIEW}, Status.VERIFIED, "editor", None),
    "publish": ({Status.VERIFIED}, Status.PUBLISHED, "editor", None),
    "retract": ({Status.PUBLISHED}, Status.RETRACTED, "editor", "reason"),
}


TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "start_review": _("Start review"),
    "request_changes": _("Return with comments"),
    "verify": _("Mark verified"),
    "publish": _("Publish"),
    "retract": _("Retract"),
}


def may_transition(user, update, name):
    allowed_from, _to, who, _needs = TRANSITIONS[name]
    if update.status not in allowed_from:
        return False
    if who == "editor":
        return bool(is_editor(user))
    return bool(is_editor(user) or is_own_update(user, update))


def available_transitions(user, update):
    return [name for name in TRANSITIONS if may_transition(user, update, name)]
