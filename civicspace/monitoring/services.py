"""Changes to partners' updates, incidents and sources, and the editorial workflow.

Every service takes keyword arguments, runs in one transaction, checks the actor's rights, and writes an
audit event. Revision history is kept by django-simple-history on every save.
"""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civicspace.accounts.roles import organisation_id
from civicspace.audit.services import audit_event_record
from civicspace.core.errors import ConcurrentEditError, check_version  # noqa: F401 (views catch services.ConcurrentEditError)
from civicspace.core.events import public_event
from civicspace.search.services import index_mark_dirty

from . import permissions
from .notifications import send_transition_emails
from .models import Comment, Incident, Organisation, Source, Status, TrendCall, Update, Victim

TEXT_FIELDS = ("title", "summary", "body")


def _locked(model, pk, message):
    """Re-read and lock a row inside the caller's transaction; a row deleted meanwhile is a clear message."""
    try:
        return model.objects.select_for_update().get(pk=pk)
    except model.DoesNotExist:
        raise ValidationError(message) from None


def _lock(update, expected_version):
    """Lock the update's row; refuse when the caller's copy is older than the stored one."""
    current = _locked(Update, update.pk, _("This update no longer exists."))
    return check_version(current, expected_version)


def _bump(update, fields):
    update.version = F("version") + 1
    update.save(update_fields=[*fields, "version", "updated_at"])
    update.refresh_from_db(fields=["version"])


@transaction.atomic
def update_create(*, actor, country, date, original_language, title, summary, body, freedoms, submission_key=""):
    """A new draft. A second submit of the same form (same `submission_key`) returns the draft the first one
    made and writes nothing more, also when both arrive at once (the unique constraint decides)."""
    if not permissions.can_create_in(actor, country):
        raise PermissionDenied
    if submission_key:
        earlier = Update.objects.filter(created_by=actor, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    update = Update(country=country, date=date, original_language=original_language,
                    organisation_id=organisation_id(actor), created_by=actor, submission_key=submission_key)
    for field, value in zip(TEXT_FIELDS, (title, summary, body)):
        setattr(update, f"{field}_{original_language}", value)
    try:
        with transaction.atomic():  # a savepoint: the twin request that lost the race leaves no trace
            update.save()
    except IntegrityError:
        if not submission_key:
            raise
        return Update.objects.get(created_by=actor, submission_key=submission_key)
    update.freedoms.set(freedoms)
    audit_event_record(action="monitoring.update_create", actor=actor, target=update,
                       data={"country": country.code, "status": update.status})
    return update


@transaction.atomic
def update_edit(*, update, actor, expected_version, date, title, summary, body, freedoms, country=None):
    """Edit the original-language text and tags. Raises ConcurrentEditError for a stale copy."""
    update = _lock(update, expected_version)
    if not permissions.can_edit(actor, update):
        raise PermissionDenied
    if country is not None and country != update.country:
        if not permissions.can_create_in(actor, country):
            raise PermissionDenied
        update.country = country
    update.date = date
    lang = update.original_language
    for field, value in zip(TEXT_FIELDS, (title, summary, body)):
        setattr(update, f"{field}_{lang}", value)
    _bump(update, ["country", "date", *[f"{f}_{lang}" for f in TEXT_FIELDS]])
    update.freedoms.set(freedoms)
    audit_event_record(action="monitoring.update_edit", actor=actor, target=update,
                       data={"status": update.status, "version": update.version})
    index_mark_dirty(update)
    return update


@transaction.atomic
def update_translate(*, update, actor, expected_version, lang, title, summary, body, status, incidents=None):
    """Save one language's text of the update and (optionally) of its incidents: {incident pk: (description,
    outcome)} or {incident pk: (description, outcome, place)}. A place translation of an incident coarsened to
    the country is not kept (Incident.save())."""
    update = _lock(update, expected_version)
    if not permissions.can_edit(actor, update):
        raise PermissionDenied
    if lang == update.original_language:
        raise ValidationError({"lang": _("This is the original language; edit the update itself.")})
    for field, value in zip(TEXT_FIELDS, (title, summary, body)):
        setattr(update, f"{field}_{lang}", value)
    update.translation_status = {**update.translation_status, lang: status}
    _bump(update, [*[f"{f}_{lang}" for f in TEXT_FIELDS], "translation_status"])
    for incident in update.incidents.filter(pk__in=list(incidents or {})):
        description, outcome, *place = incidents[incident.pk]
        setattr(incident, f"description_{lang}", description)
        setattr(incident, f"outcome_{lang}", outcome)
        fields = [f"description_{lang}", f"outcome_{lang}"]
        if place:
            setattr(incident, f"place_{lang}", place[0].strip())
            fields.append(f"place_{lang}")
        incident.save(update_fields=fields)
    audit_event_record(action="monitoring.update_translate", actor=actor, target=update,
                       data={"lang": lang, "status": status})
    index_mark_dirty(update)
    return update


def _publication_problems(update):
    problems = []
    if not update.sources.exists():
        problems.append(_("The update cites no source."))
    lang = update.original_language
    if not all(getattr(update, f"{f}_{lang}") for f in ("title", "summary")):
        problems.append(_("The title and summary in the original language are required."))
    for incident in update.incidents.prefetch_related("sources", "types"):
        if not incident.sources.exists():
            problems.append(_("Incident of %(date)s cites no source.") % {"date": incident.date})
        if not incident.types.exists():
            problems.append(_("Incident of %(date)s has no violation or positive type.") % {"date": incident.date})
    return problems


@transaction.atomic
def update_transition(*, update, actor, name, text="", expected_version=None, reason_language=None,
                      reason_translations=None):
    """Move an update through the workflow. `text` is the comment (request_changes) or the public reason
    (retract), required by those two. A retraction's reason is written in `reason_language` (default: the
    actor's interface language); `reason_translations` ({lang: text}, optional) gives it in other languages."""
    if name not in permissions.TRANSITIONS:
        raise ValidationError({"transition": _("Unknown action.")})
    update = _lock(update, expected_version)
    allowed_from, target, _who, needs = permissions.TRANSITIONS[name]
    if not permissions.can_view(actor, update):
        raise PermissionDenied
    if update.status not in allowed_from:
        raise ValidationError({"transition": _("This action is not possible while the update is %(status)s.")
                               % {"status": update.get_status_display()}})
    if not permissions.may_transition(actor, update, name):
        raise PermissionDenied
    text = (text or "").strip()
    if needs == "comment" and not text:
        raise ValidationError({"text": _("Say what needs to change: the comment is required.")})
    if needs == "reason" and not text:
        raise ValidationError({"text": _("A public reason for the retraction is required.")})
    if target in (Status.VERIFIED, Status.PUBLISHED):
        problems = _publication_problems(update)
        if problems:
            raise ValidationError({"transition": problems})
    before = update.status
    update.status = target
    fields = ["status"]
    if target == Status.PUBLISHED:
        update.published_at = timezone.now()
        fields.append("published_at")
    if target == Status.RETRACTED:
        reason_language = reason_language or (get_language() or settings.LANGUAGES[0][0])[:2]
        if reason_language not in dict(settings.LANGUAGES):
            raise ValidationError({"reason_language": _("Choose one of the site's languages.")})
        translations = {lang: (value or "").strip() for lang, value in (reason_translations or {}).items()}
        if translations.get(reason_language):
            raise ValidationError({f"reason_{reason_language}": _(
                "This is the language of the reason itself: give translations in the other languages only.")})
        for lang, _name in settings.LANGUAGES:
            value = text if lang == reason_language else translations.get(lang, "")
            setattr(update, f"retraction_reason_{lang}", value)
            fields.append(f"retraction_reason_{lang}")
        update.retraction_language = reason_language
        fields += ["retraction_language", "retraction_reason"]
    update._change_reason = name  # recorded in the revision history
    _bump(update, fields)
    if text:
        Comment.objects.create(update=update, author=actor, body=text, transition=name)
    audit_event_record(action="monitoring.update_transition", actor=actor, target=update,
                       data={"transition": name, "from": before, "to": target})
    index_mark_dirty(update)
    send_transition_emails(update=update, name=name, actor=actor, text=text)
    if target in (Status.PUBLISHED, Status.RETRACTED):  # the alerts outbox, in this transaction
        public_event(kind="update.published" if target == Status.PUBLISHED else "update.retracted", instance=update)
    return update


@transaction.atomic
def comment_add(*, update, actor, body):
    update = _lock(update, None)
    if not permissions.can_comment(actor, update):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError({"body": _("The comment is empty.")})
    comment = Comment.objects.create(update=update, author=actor, body=body.strip())
    audit_event_record(action="monitoring.comment_add", actor=actor, target=update)
    return comment


def _editable(update, actor):
    """The update re-read and locked, and still editable by the actor (its state may have changed since the
    page was opened: then the message says so)."""
    update = _lock(update, None)
    if not permissions.can_edit(actor, update):
        if permissions.can_view(actor, update):
            raise ValidationError(_("The update is now %(status)s: it can no longer be changed here.")
                                  % {"status": update.get_status_display()})
        raise PermissionDenied
    return update


SOURCE_FIELDS = ("title", "publisher", "date", "url", "language", "confidential", "note")


@transaction.atomic
def source_create(*, update, actor, **fields):
    update = _editable(update, actor)
    source = Source.objects.create(update=update, **{k: fields[k] for k in SOURCE_FIELDS if k in fields})
    audit_event_record(action="monitoring.source_create", actor=actor, target=update,
                       data={"source": source.pk, "confidential": source.confidential})
    return source


@transaction.atomic
def source_edit(*, source, actor, expected_version, **fields):
    """Change a source. Raises ConcurrentEditError when someone saved it since `expected_version`."""
    update = _editable(source.update, actor)
    source = check_version(_locked(Source, source.pk, _("This source no longer exists.")), expected_version)
    changed = [k for k in SOURCE_FIELDS if k in fields and getattr(source, k) != fields[k]]
    for k in changed:
        setattr(source, k, fields[k])
    source.version += 1  # the row is locked: no one else can count at the same time
    source.save()
    audit_event_record(action="monitoring.source_edit", actor=actor, target=update,
                       data={"source": source.pk, "fields": changed, "version": source.version})
    index_mark_dirty(update)
    return source


@transaction.atomic
def source_delete(*, source, actor, expected_version):
    """Remove a source from an update that was never public (its incidents stop citing it)."""
    update = _editable(source.update, actor)
    source = check_version(_locked(Source, source.pk, _("This source no longer exists.")), expected_version)
    if update.published_at is not None or update.status in (Status.PUBLISHED, Status.RETRACTED):
        raise ValidationError(_("A source of a published update cannot be deleted; edit it or retract the update."))
    audit_event_record(action="monitoring.source_delete", actor=actor, target=update,
                       data={"source": source.pk, "title": source.title})
    source.delete()
    index_mark_dirty(update)


@transaction.atomic
def update_delete(*, update, actor, expected_version):
    """Delete a draft that was never submitted or published (its revision history keeps a record)."""
    update = _lock(update, expected_version)
    if not permissions.can_edit(actor, update):
        raise PermissionDenied
    if update.status not in (Status.DRAFT, Status.CHANGES_REQUESTED) or update.published_at is not None:
        raise ValidationError(_("Only a draft that was never published can be deleted; this update is %(status)s.")
                              % {"status": update.get_status_display()})
    audit_event_record(action="monitoring.update_delete", actor=actor, target=update,
                       data={"country": update.country.code, "title": str(update)})
    update.delete()


def _save_incident_relations(incident, *, freedoms, types, perpetrators, sources, victims):
    incident.freedoms.set(freedoms)
    incident.types.set(types)
    incident.perpetrators.set(perpetrators)
    incident.sources.set([s for s in sources if s.update_id == incident.update_id])
    incident.victims.all().delete()
    for victim in victims:
        Victim.objects.create(incident=incident, **victim)


@transaction.atomic
def incident_save(*, update, actor, incident=None, expected_version=None, date, date_precision, place,
                  place_precision, description, outcome, freedoms, types, perpetrators, sources, victims):
    """Create (incident=None) or change an incident with its tags, sources and victims, all at once. Raises
    ConcurrentEditError when someone saved the incident since `expected_version`."""
    update = _editable(update, actor)
    lang = update.original_language
    creating = incident is None
    if creating:
        incident = Incident(update=update)
    else:
        incident = check_version(_locked(Incident, incident.pk, _("This incident no longer exists.")),
                                  expected_version)
        if incident.update_id != update.pk:
            raise PermissionDenied
        incident.version += 1  # the row is locked
    incident.date, incident.date_precision = date, date_precision
    # The place in the update's original language (its translations are given with the update's).
    setattr(incident, f"place_{lang}", place)
    incident.place_precision = place_precision
    setattr(incident, f"description_{lang}", description)
    setattr(incident, f"outcome_{lang}", outcome)
    incident.save()
    _save_incident_relations(incident, freedoms=freedoms, types=types, perpetrators=perpetrators,
                             sources=sources, victims=victims)
    audit_event_record(action="monitoring.incident_save", actor=actor, target=incident,
                       data={"update": update.pk, "created": creating, "version": incident.version})
    index_mark_dirty(incident)
    return incident


@transaction.atomic
def incident_delete(*, incident, actor, expected_version=None):
    update = _editable(incident.update, actor)
    incident = check_version(_locked(Incident, incident.pk, _("This incident no longer exists.")),
                              expected_version)
    audit_event_record(action="monitoring.incident_delete", actor=actor, target=incident,
                       data={"update": update.pk})
    index_mark_dirty(update)
    incident.delete()


@transaction.atomic
def trend_call_record(*, actor, country, period_end, call, note=""):
    """A partner's (or editor's) call for a country they may write about; one per organisation and period. The
    organisation's row is locked so that two submits of the same call make one record, not two."""
    if not permissions.can_create_in(actor, country):
        raise PermissionDenied
    Organisation.objects.select_for_update().get(pk=organisation_id(actor))
    trend, created = TrendCall.objects.update_or_create(
        country=country, organisation_id=organisation_id(actor), period_end=period_end,
        defaults={"call": call, "note": note, "created_by": actor})
    audit_event_record(action="monitoring.trend_call_record", actor=actor, target=trend,
                       data={"country": country.code, "call": call, "period_end": period_end.isoformat(),
                             "created": created})
    return trend


@transaction.atomic
def incident_type_ids_repair(*, actor=None, actor_label="incident_type_ids"):
    """Rewrite every copy of an incident's types that differs from the relation (Incident.type_ids; after a
    write that bypassed the ORM), each incident locked and its types read again, audited with how many and which
    (the first 100). Returns their ids."""
    from .selectors import incident_type_ids_mismatched
    from .signals import incident_type_ids_refresh

    found = incident_type_ids_mismatched()
    for start in range(0, len(found), 500):
        batch = found[start:start + 500]
        # Locked first, then re-read from the relation: a types change committed meanwhile is seen, never
        # overwritten with the copy this check computed before it.
        list(Incident.objects.select_for_update().filter(pk__in=batch).values_list("pk", flat=True))
        incident_type_ids_refresh(batch)
    audit_event_record(action="monitoring.incident_type_ids_repair", actor=actor, actor_label=actor_label,
                       data={"repaired": len(found), "incidents": found[:100]})
    return found

