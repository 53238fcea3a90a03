"""Workflow e-mails: the partner hears when an editor returns, verifies, publishes or retracts their update; the
country's editors hear when an update is submitted. Each message is written in its recipient's language
(Profile.language, else the site's default) and sent by the task worker (django-tasks, civicspace/jobs) once the
transaction that made the change has committed: nothing is announced that was rolled back."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civicspace.accounts.models import Role

TO_PARTNER = {"request_changes", "verify", "publish", "retract"}
TO_EDITORS = {"submit"}


def _recipients(update, name, actor):
    users = get_user_model().objects.filter(is_active=True).exclude(pk=actor.pk).select_related("profile")
    if name in TO_EDITORS:
        editors = users.filter(profile__role=Role.EDITOR)
        assigned = editors.filter(profile__countries=update.country_id)
        # Nobody assigned to the country yet: every editor hears of it rather than no one.
        return list(assigned if assigned.exists() else editors)
    if name in TO_PARTNER:
        authors = users.filter(pk=update.created_by_id, profile__role=Role.PARTNER)
        if not authors.exists():  # the author left: the organisation's partners for that country
            authors = users.filter(profile__role=Role.PARTNER, profile__organisation=update.organisation_id,
                                   profile__countries=update.country_id)
        return list(authors.distinct())
    return []


def _language(user):
    language = getattr(getattr(user, "profile", None), "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _message(update, name, text, lang):
    with translation.override(lang):
        title = update.title or _("Update %(n)s") % {"n": update.pk}
        link = settings.SITE_URL + reverse("monitoring:update_workspace", args=[update.pk])
        subjects = {
            "submit": _("Submitted for review: %(title)s"),
            "request_changes": _("Changes requested: %(title)s"),
            "verify": _("Verified: %(title)s"),
            "publish": _("Published: %(title)s"),
            "retract": _("Retracted: %(title)s"),
        }
        intros = {
            "submit": _("A research partner submitted an update on %(country)s for review."),
            "request_changes": _("An editor returned your update on %(country)s with a request for changes."),
            "verify": _("An editor verified your update on %(country)s; it can now be published."),
            "publish": _("Your update on %(country)s is published."),
            "retract": _("Your update on %(country)s was retracted."),
        }
        subject = subjects[name] % {"title": title}
        body = [intros[name] % {"country": update.country.name}, "", title]
        if text:
            label = _("Reason given") if name == "retract" else _("What needs to change")
            body += ["", f"{label}:", text]
        body += ["", _("Open it in the workspace:"), link]
        return subject, "\n".join(body)


def send_transition_emails(*, update, name, actor, text=""):
    """Called by the workflow service inside its transaction. Each message is recorded in the task worker's
    outbox (civicspace/jobs: an idempotency key per update, version and recipient, retries with back-off) and
    queued once the transaction commits; a rolled-back change sends nothing, a mail server that is down never
    breaks the change."""
    from civicspace.jobs.services import email_queue

    for user in _recipients(update, name, actor):
        if not user.email:
            continue
        subject, body = _message(update, name, text, _language(user))
        email_queue(key=f"monitoring.update_transition:{update.pk}:v{update.version}:{user.pk}", to=user.email,
                    subject=subject, body=body, actor=actor)
