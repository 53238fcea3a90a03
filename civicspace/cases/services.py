"""Changes to cases. Partners propose cases, sources, charges and events for their assigned countries; editors
verify and publish them, and alone may publish a person's name, with a reason that is audited.

Every service takes keyword arguments, runs in one transaction, locks the case row (select_for_update), checks
the actor's rights, validates, and writes an audit event `cases.<service>`. History is kept by simple-history.
"""
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicspace.accounts.roles import assigned_country_ids, is_editor, is_partner
from civicspace.audit.services import audit_event_record
from civicspace.core.events import public_event
from civicspace.search.services import index_mark_dirty

from . import status as rules
from .models import Case, CaseEvent, CaseSource, CaseState, Charge, NameReason, SubjectType


class ConcurrentEditError(ValidationError):
    """Someone saved the case after this user opened it. Nothing was written."""

    def __init__(self):
        super().__init__({NON_FIELD_ERRORS: _("Someone else saved this case while you were editing it. Reload the "
                                       "page to see their changes.")})


def can_propose_in(user, country_id):
    return bool(is_editor(user) or (is_partner(user) and country_id in assigned_country_ids(user)))


def _search_dirty(case):
    """The case's search documents follow it (rebuilt once the transaction commits)."""
    index_mark_dirty(case)


def _lock(case, expected_version=None):
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != int(expected_version):
        raise ConcurrentEditError()
    return current


def _bump(case, fields):
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])


def _validate_subject(subject_type, organisation, victim_type):
    if subject_type not in SubjectType.values:
        raise ValidationError({"subject_type": _("Choose a person or an organisation.")})
    if subject_type == SubjectType.ORGANISATION and not organisation.strip():
        raise ValidationError({"organisation": _("Give the organisation's name.")})
    if victim_type is not None and victim_type.vocabulary != "victim":
        raise ValidationError({"victim_type": _("Choose a victim type.")})


@transaction.atomic
def case_create(*, actor, country, subject_type, victim_type=None, organisation="", subject_name="", summary="",
                editor_note="", incidents=(), updates=()):
    if not can_propose_in(actor, country.pk):
        raise PermissionDenied
    _validate_subject(subject_type, organisation, victim_type)
    case = Case.objects.create(country=country, subject_type=subject_type, victim_type=victim_type,
                               organisation=organisation.strip(), subject_name=subject_name.strip(),
                               summary=summary.strip(), editor_note=editor_note, created_by=actor)
    case.incidents.set(incidents)
    case.updates.set(updates)
    audit_event_record(action="cases.case_create", actor=actor, target=case,
                       data={"country": country.code, "subject_type": subject_type})
    return case


@transaction.atomic
def case_edit(*, case, actor, expected_version, victim_type=None, organisation="", subject_name="", summary="",
              editor_note="", incidents=(), updates=()):
    case = _lock(case, expected_version)
    if not can_propose_in(actor, case.country_id) or (case.state != CaseState.PROPOSED and not is_editor(actor)):
        raise PermissionDenied
    _validate_subject(case.subject_type, organisation, victim_type)
    name_changed = subject_name.strip() != case.subject_name
    case.victim_type, case.organisation, case.summary = victim_type, organisation.strip(), summary.strip()
    case.subject_name, case.editor_note = subject_name.strip(), editor_note
    fields = ["victim_type", "organisation", "summary", "subject_name", "editor_note"]
    if name_changed and case.name_published:
        # A different name needs its own reason: publishing one name never covers another.
        case.name_published, case.name_reason, case.published_name = False, "", ""
        fields += ["name_published", "name_reason", "published_name"]
    _bump(case, fields)
    case.incidents.set(incidents)
    case.updates.set(updates)
    audit_event_record(action="cases.case_edit", actor=actor, target=case,
                       data={"version": case.version, "name_changed": name_changed})
    _search_dirty(case)
    return case


@transaction.atomic
def case_publish(*, case, actor, expected_version=None):
    """An editor publishes a proposed case. Its name stays confidential unless published with a reason."""
    case = _lock(case, expected_version)
    if not is_editor(actor):
        raise PermissionDenied
    if case.state == CaseState.PUBLISHED:
        raise ValidationError({"state": _("This case is already published.")})
    if not case.events.filter(verified=True).exists():
        raise ValidationError({"state": _("A case needs at least one verified event before it is published.")})
    case.state, case.published_at = CaseState.PUBLISHED, timezone.now()
    case._change_reason = "publish"
    _bump(case, ["state", "published_at"])
    audit_event_record(action="cases.case_publish", actor=actor, target=case, data={"country": case.country.code})
    _search_dirty(case)
    public_event(kind="case.published", instance=case)
    return case


@transaction.atomic
def case_withdraw(*, case, actor, reason, expected_version=None):
    case = _lock(case, expected_version)
    if not is_editor(actor):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the case is withdrawn.")})
    case.state = CaseState.WITHDRAWN
    case._change_reason = f"withdraw: {reason.strip()}"
    _bump(case, ["state"])
    audit_event_record(action="cases.case_withdraw", actor=actor, target=case, data={"reason": reason.strip()})
    _search_dirty(case)
    return case


@transaction.atomic
def case_name_publish(*, case, actor, reason, note, expected_version=None):
    """An editor records why a person may be named (consent, or a public figure whose case is already public).
    The reason and how it was established are audited; without them the name stays confidential."""
    case = _lock(case, expected_version)
    if not is_editor(actor):
        raise PermissionDenied
    if case.subject_type != SubjectType.PERSON:
        raise ValidationError({"reason": _("Only a person's name is confidential.")})
    if not case.subject_name:
        raise ValidationError({"reason": _("The case records no name to publish.")})
    if reason not in NameReason.values:
        raise ValidationError({"reason": _("Choose the reason the person may be named.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say how the reason was established (e.g. who consented, or where the "
                                         "case is already public).")})
    case.name_published, case.name_reason, case.name_reason_note = True, reason, note.strip()
    case.published_name = case.subject_name
    case.name_published_by, case.name_published_at = actor, timezone.now()
    case._change_reason = f"name published: {reason}"
    _bump(case, ["name_published", "name_reason", "name_reason_note", "published_name", "name_published_by",
                 "name_published_at"])
    audit_event_record(action="cases.case_name_publish", actor=actor, target=case,
                       data={"reason": reason, "note": note.strip()})
    _search_dirty(case)
    return case


@transaction.atomic
def case_name_withdraw(*, case, actor, note, expected_version=None):
    """Stop naming a person (e.g. consent withdrawn, new risk)."""
    case = _lock(case, expected_version)
    if not is_editor(actor):
        raise PermissionDenied
    case.name_published, case.name_reason, case.published_name = False, "", ""
    case.name_reason_note = (note or "").strip()
    _bump(case, ["name_published", "name_reason", "name_reason_note", "published_name"])
    audit_event_record(action="cases.case_name_withdraw", actor=actor, target=case, data={"note": note})
    _search_dirty(case)
    return case


@transaction.atomic
def case_source_add(*, case, actor, title, url, publisher="", date=None):
    case = _lock(case)
    if not can_propose_in(actor, case.country_id):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Give the source's title.")})
    if not url.strip():
        raise ValidationError({"url": _("Give the source's URL.")})
    source = CaseSource(case=case, title=title.strip(), url=url.strip(), publisher=publisher.strip(), date=date)
    source.full_clean(exclude=["case"])
    source.save()
    audit_event_record(action="cases.case_source_add", actor=actor, target=case, data={"source": source.pk})
    _search_dirty(case)
    return source


@transaction.atomic
def charge_add(*, case, actor, provision, description="", bill=None, source=None):
    case = _lock(case)
    if not can_propose_in(actor, case.country_id):
        raise PermissionDenied
    if not provision.strip():
        raise ValidationError({"provision": _("Give the legal provision cited.")})
    if bill is not None and bill.country_id != case.country_id:
        raise ValidationError({"bill": _("This law belongs to another country.")})
    if source is not None and source.case_id != case.pk:
        raise ValidationError({"source": _("This source belongs to another case.")})
    charge = Charge.objects.create(case=case, provision=provision.strip(), description=description.strip(),
                                   bill=bill, source=source, verified=bool(is_editor(actor)), proposed_by=actor)
    audit_event_record(action="cases.charge_add", actor=actor, target=case,
                       data={"charge": charge.pk, "verified": charge.verified})
    _search_dirty(case)
    return charge


def _validate_event(case, *, kind, date, date_precision, sentence, sentence_days, outcome, source):
    kinds = rules.PERSON_KINDS if case.subject_type == SubjectType.PERSON else rules.ORGANISATION_KINDS
    if kind not in kinds:
        raise ValidationError({"kind": _("This event does not apply to this kind of subject.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date is in the future.")})
    if date_precision not in rules.PRECISIONS:
        raise ValidationError({"date_precision": _("Choose day, month or year.")})
    if kind == "verdict" and sentence not in rules.SENTENCE_KINDS:
        raise ValidationError({"sentence": _("A verdict needs its sentence: prison term, non-custodial or "
                                             "acquittal.")})
    if kind != "verdict" and (sentence or sentence_days):
        raise ValidationError({"sentence": _("Only a verdict has a sentence.")})
    if sentence_days is not None and sentence != rules.CUSTODIAL:
        raise ValidationError({"sentence_days": _("Only a prison term has a length in days.")})
    if kind in ("appeal", "org_appeal") and outcome not in rules.APPEAL_OUTCOMES:
        raise ValidationError({"outcome": _("An appeal needs its outcome (or “pending”).")})
    if kind not in ("appeal", "org_appeal") and outcome:
        raise ValidationError({"outcome": _("Only an appeal has an outcome.")})
    if source is None:
        raise ValidationError({"source": _("Every event needs a source.")})
    if source.case_id != case.pk:
        raise ValidationError({"source": _("This source belongs to another case.")})


@transaction.atomic
def case_event_add(*, case, actor, kind, date, source, date_precision="day", sentence="", sentence_days=None,
                   sentence_text="", outcome="", note=""):
    """An editor's event counts at once; a partner's is a proposal until an editor verifies it."""
    case = _lock(case)
    if not can_propose_in(actor, case.country_id):
        raise PermissionDenied
    _validate_event(case, kind=kind, date=date, date_precision=date_precision, sentence=sentence,
                    sentence_days=sentence_days, outcome=outcome, source=source)
    verified = bool(is_editor(actor))
    event = CaseEvent.objects.create(
        case=case, kind=kind, date=date, date_precision=date_precision, sentence=sentence,
        sentence_days=sentence_days, sentence_text=sentence_text.strip(), outcome=outcome, note=note.strip(),
        source=source, verified=verified, proposed_by=actor, verified_by=actor if verified else None)
    audit_event_record(action="cases.case_event_add" if verified else "cases.case_event_propose", actor=actor,
                       target=case, data={"kind": kind, "date": date.isoformat(), "event": event.pk})
    _search_dirty(case)
    return event


@transaction.atomic
def case_event_verify(*, event, actor):
    if not is_editor(actor):
        raise PermissionDenied
    case = _lock(event.case)
    event = CaseEvent.objects.select_for_update().get(pk=event.pk)
    if event.verified:
        raise ValidationError({"event": _("This event is already verified.")})
    event.verified, event.verified_by = True, actor
    event.save(update_fields=["verified", "verified_by"])
    audit_event_record(action="cases.case_event_verify", actor=actor, target=case,
                       data={"kind": event.kind, "date": event.date.isoformat(), "event": event.pk})
    _search_dirty(case)
    public_event(kind="case.event_verified", instance=case)
    return event


@transaction.atomic
def charge_verify(*, charge, actor):
    if not is_editor(actor):
        raise PermissionDenied
    case = _lock(charge.case)
    charge = Charge.objects.select_for_update().get(pk=charge.pk)
    charge.verified = True
    charge.save(update_fields=["verified"])
    audit_event_record(action="cases.charge_verify", actor=actor, target=case, data={"charge": charge.pk})
    _search_dirty(case)
    return charge


@transaction.atomic
def case_event_delete(*, event, actor):
    """Editors remove a wrong event or turn down a proposal; the history keeps it."""
    if not is_editor(actor):
        raise PermissionDenied
    case = _lock(event.case)
    audit_event_record(action="cases.case_event_delete", actor=actor, target=case,
                       data={"kind": event.kind, "date": event.date.isoformat(), "verified": event.verified})
    event.delete()
    _search_dirty(case)
