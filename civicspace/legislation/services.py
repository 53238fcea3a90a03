"""Changes to bills and their timelines. Editors write; partners propose stage events for their countries,
which count only once an editor verifies them. Every change is audited and kept in the history."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicspace.accounts.roles import assigned_country_ids, is_editor, is_partner
from civicspace.audit.services import audit_event_record
from civicspace.core.errors import bump_version, check_version
from civicspace.core.l10n import join_list
from civicspace.core.events import public_event
from civicspace.search.services import index_mark_dirty

from . import timeline
from .models import Bill, BillSource, StageEvent

BILL_TEXT_FIELDS = ("official_title", "short_title", "summary")


def bill_stage_refresh(*, bill_ids):
    """Store each bill's current stage, last move and its precision, derived by the one rule
    (timeline.current_event) from its verified stage events. Called on every save and delete of a stage event
    (signals.py) and by bulk loaders; a plain UPDATE, so it writes no revision and no audit event of its own
    (the stage event's change has them)."""
    events = {}
    for bill_id, stage, date, precision in (StageEvent.objects.published().filter(bill_id__in=list(bill_ids))
                                            .order_by("pk").values_list("bill_id", "stage", "date", "date_precision")):
        events.setdefault(bill_id, []).append((stage, date, precision))
    for bill_id in bill_ids:
        rows = events.get(bill_id, [])
        index = timeline.current_event([(stage, date) for stage, date, _precision in rows])
        stage, date, precision = rows[index] if index is not None else (None, None, "")
        Bill.objects.filter(pk=bill_id).update(current_stage=stage, last_moved=date, last_moved_precision=precision)


def can_propose(user, bill):
    return bool(is_editor(user) or (is_partner(user) and bill.country_id in assigned_country_ids(user)))


def timeline_message(error):
    """The translated text of a timeline.TimelineError, with stage names and dates in the reader's language."""
    from django.utils.formats import date_format

    from .models import STAGE_LABELS

    def stage(code):
        return STAGE_LABELS.get(code, code)

    p = error.params
    if error.code == "unknown_stage":
        return _("Unknown stage “%(stage)s”.") % {"stage": p[0]}
    if error.code == "future":
        return _("The date is in the future.")
    if error.code == "after_end":
        return _("“%(stage)s” on %(date)s cannot follow “%(end)s” on %(end_date)s: the bill had ended.") % {
            "stage": stage(p[0]), "date": date_format(p[1]), "end": stage(p[2]), "end_date": date_format(p[3])}
    if error.code == "requires":
        return _("“%(stage)s” needs an earlier stage: %(required)s.") % {
            "stage": stage(p[0]), "required": join_list(stage(r) for r in p[1])}
    if error.code == "backwards":
        return _("“%(stage)s” on %(date)s cannot come after “%(previous)s” on %(previous_date)s.") % {
            "stage": stage(p[0]), "date": date_format(p[1]), "previous": stage(p[2]),
            "previous_date": date_format(p[3])}
    if error.code == "enacted_cannot_end":
        return _("A law already enacted cannot be “%(stage)s”.") % {"stage": stage(p[0])}
    return error.message


def _check_timeline(bill, *, adding=None, verifying=None):
    """Raise ValidationError naming the field when the verified timeline plus this event is impossible."""
    events = list(bill.events.filter(verified=True).exclude(pk=getattr(verifying, "pk", None))
                  .values_list("stage", "date"))
    candidate = adding or verifying
    events.append((candidate.stage, candidate.date))
    errors = [e for e in timeline.validate(events, today=timezone.localdate()) if e.index == len(events) - 1]
    if errors:
        raise ValidationError({error.field: timeline_message(error) for error in errors})


@transaction.atomic
def bill_save(*, actor, bill=None, country, category, direction, number, passed_with_improvements, freedoms,
              updates=(), incidents=(), lang, texts, translation_status=None, expected_version=None):
    """Create (bill=None) or change a bill. `texts` holds official_title, short_title, summary in `lang`.
    A change made from a copy older than the stored bill (`expected_version`) raises ConcurrentEditError."""
    if not is_editor(actor):
        raise PermissionDenied
    creating = bill is None
    if creating:
        bill = Bill(original_language=lang)
    else:
        try:
            bill = Bill.objects.select_for_update().get(pk=bill.pk)
        except Bill.DoesNotExist:
            raise ValidationError(_("This bill no longer exists.")) from None
        check_version(bill, expected_version)
        bump_version(bill)
    bill.country, bill.category, bill.direction, bill.number = country, category, direction, number
    bill.passed_with_improvements = passed_with_improvements
    for field in BILL_TEXT_FIELDS:
        setattr(bill, f"{field}_{lang}", texts.get(field, ""))
    if translation_status and lang != bill.original_language:
        bill.translation_status = {**bill.translation_status, lang: translation_status}
    bill.save()
    bill.freedoms.set(freedoms)
    bill.updates.set(updates)
    bill.incidents.set(incidents)
    audit_event_record(action="legislation.bill_create" if creating else "legislation.bill_edit", actor=actor,
                       target=bill, data={"country": country.code, "lang": lang})
    index_mark_dirty(bill)
    return bill


@transaction.atomic
def bill_source_add(*, bill, actor, **fields):
    if not can_propose(actor, bill):
        raise PermissionDenied
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    source = BillSource.objects.create(bill=bill, **fields)
    audit_event_record(action="legislation.source_add", actor=actor, target=bill, data={"source": source.pk})
    return source


@transaction.atomic
def stage_event_add(*, bill, actor, stage, date, date_precision="day", note="", source=None, lang="en"):
    """An editor's event is verified at once; a partner's is a proposal for an editor to verify."""
    if not can_propose(actor, bill):
        raise PermissionDenied
    bill = Bill.objects.select_for_update().get(pk=bill.pk)  # one timeline change at a time per bill
    if bill.events.filter(stage=stage, date=date, verified=True).exists():
        raise ValidationError({"stage": _("This stage with this date is already on the timeline.")})
    event = StageEvent(bill=bill, stage=stage, date=date, date_precision=date_precision, source=source,
                       proposed_by=actor, verified=bool(is_editor(actor)))
    setattr(event, f"note_{lang}", note)
    if source is not None and source.bill_id != bill.pk:
        raise ValidationError({"source": _("This source belongs to another bill.")})
    _check_timeline(bill, adding=event)
    if event.verified:
        event.verified_by = actor
    event.save()
    audit_event_record(action="legislation.stage_add" if event.verified else "legislation.stage_propose",
                       actor=actor, target=bill, data={"stage": stage, "date": date.isoformat()})
    index_mark_dirty(bill)
    return event


def _event_locked(event):
    """The stage event re-read inside the transaction, after its bill is locked: another editor may have
    verified or removed it since the page was loaded."""
    Bill.objects.select_for_update().get(pk=event.bill_id)
    try:
        return StageEvent.objects.select_related("bill").get(pk=event.pk)
    except StageEvent.DoesNotExist:
        raise ValidationError({"stage": _("This stage was removed in the meantime.")}) from None


@transaction.atomic
def stage_event_verify(*, event, actor):
    if not is_editor(actor):
        raise PermissionDenied
    event = _event_locked(event)
    if event.verified:
        raise ValidationError({"stage": _("This stage is already verified.")})
    _check_timeline(event.bill, verifying=event)
    event.verified, event.verified_by = True, actor
    event.save(update_fields=["verified", "verified_by"])
    audit_event_record(action="legislation.stage_verify", actor=actor, target=event.bill,
                       data={"stage": event.stage, "date": event.date.isoformat()})
    index_mark_dirty(event.bill)
    public_event(kind="law.stage_verified", instance=event)
    return event


@transaction.atomic
def stage_event_delete(*, event, actor):
    """Editors remove a wrong event or turn down a proposal; the history keeps it."""
    if not is_editor(actor):
        raise PermissionDenied
    event = _event_locked(event)
    audit_event_record(action="legislation.stage_delete", actor=actor, target=event.bill,
                       data={"stage": event.stage, "date": event.date.isoformat(), "verified": event.verified})
    index_mark_dirty(event.bill)
    event.delete()
