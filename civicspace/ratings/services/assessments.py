"""Coded assessments on the methodology's form: research partners (partner analysis, their organisation, their
assigned countries) and editors (in-house analysis, any country) answer every question on the 0-4 scale, each
answer with a justification. A draft may be saved half-way; a submitted assessment feeds the guiding score."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civicspace.accounts.roles import assigned_country_ids, is_editor, is_partner, organisation_id
from civicspace.audit.services import audit_event_record
from civicspace.core.l10n import join_list
from civicspace.methodology import config as methodology_config

from ..models import Assessment, AssessmentAnswer


def question_text(question, lang=None):
    """The question in the reader's language, else in English."""
    lang = (lang or get_language() or "en")[:2]
    return question.text.get(lang) or question.text.get("en") or question.code


def answer_labels(lang=None, methodology=None):
    """[(value, label)] for the answer scale, labels in the reader's language, else in English."""
    methodology = methodology or methodology_config.load()
    lang = (lang or get_language() or "en")[:2]
    return [(int(value), labels.get(lang) or labels.get("en") or value)
            for value, labels in sorted(methodology.answers.items(), key=lambda item: int(item[0]))]


def assessment_streams(user):
    """The streams a user may code: partners the partner analysis (with an organisation), editors in-house."""
    if is_editor(user):
        return [Assessment.Stream.INHOUSE]
    if is_partner(user) and organisation_id(user):
        return [Assessment.Stream.PARTNER]
    return []


def can_assess(user, country, stream):
    if stream not in assessment_streams(user):
        return False
    if stream == Assessment.Stream.PARTNER:
        return country.pk in assigned_country_ids(user)
    return True


def assessments_visible(user):
    """Assessments a user may read in the workspace: editors all, partners their organisation's for their
    assigned countries, nobody else any."""
    rows = Assessment.objects.select_related("country", "organisation", "author").order_by("-period_end", "-pk")
    if is_editor(user):
        return rows
    if is_partner(user) and organisation_id(user):
        return rows.filter(organisation_id=organisation_id(user), country_id__in=assigned_country_ids(user))
    return rows.none()


def _drafts(actor, country, stream):
    rows = Assessment.objects.filter(country=country, stream=stream, status=Assessment.Status.DRAFT)
    if stream == Assessment.Stream.PARTNER:
        rows = rows.filter(organisation_id=organisation_id(actor))
    return rows.order_by("-pk")


def assessment_draft_for(*, actor, country, stream):
    """The newest open draft of the actor's side (their organisation, or in-house) for a country and stream."""
    return _drafts(actor, country, stream).prefetch_related("answers").first()


def _clean_answers(answers, methodology, *, submit):
    """{code: (value, justification)} checked against the form; errors keyed by question code."""
    errors, clean = {}, {}
    known = {q.code for q in methodology.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationError({"answers": _("Unknown question: %(codes)s.") % {"codes": join_list(unknown)}})
    for question in methodology.questions:
        value, justification = answers.get(question.code, (None, ""))
        justification = (justification or "").strip()
        label = question_text(question)
        if value in (None, ""):
            if submit:
                errors[question.code] = _("“%(question)s”: choose an answer.") % {"question": label}
            elif justification:
                errors[question.code] = _("“%(question)s”: choose an answer for this justification.") % {
                    "question": label}
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not methodology.form_min <= value <= methodology.form_max:
            errors[question.code] = _("“%(question)s”: the answer must be between %(min)s and %(max)s.") % {
                "question": label, "min": methodology.form_min, "max": methodology.form_max}
            continue
        if not justification:
            errors[question.code] = _("“%(question)s”: a justification is required with every answer.") % {
                "question": label}
            continue
        clean[question.code] = (value, justification)
    if errors:
        raise ValidationError(errors)
    return clean


def assessment_save(*, actor, country, stream, period_end, answers, submit, today=None):
    """Save the actor's assessment of a country as a draft (continuing their open draft for that country and
    stream, if any) or submit it. `answers` is {question code: (value 0-4 or None, justification)}. Every
    question needs an answer and a justification to submit; a draft may leave questions open, but an answer
    always needs its justification. Returns the assessment."""
    if not can_assess(actor, country, stream):
        raise PermissionDenied
    methodology = methodology_config.load()
    today = today or timezone.localdate()
    if not isinstance(period_end, dt.date):
        raise ValidationError({"period_end": _("End of the period: enter a date.")})
    if period_end > today:
        raise ValidationError({"period_end": _("End of the period: the date cannot be in the future.")})
    clean = _clean_answers(answers, methodology, submit=submit)
    if not clean:
        raise ValidationError({"answers": _("Answer at least one question before saving.")})
    with transaction.atomic():
        assessment = _drafts(actor, country, stream).select_for_update().first()
        created = assessment is None
        if created:
            assessment = Assessment(country=country, stream=stream,
                                    organisation_id=organisation_id(actor) if stream == "partner" else None)
        assessment.author = actor
        assessment.period_end = period_end
        assessment.form_version = methodology.version
        if submit:
            assessment.status = Assessment.Status.SUBMITTED
            assessment.submitted_at = timezone.now()
        assessment.save()
        assessment.answers.exclude(question__in=list(clean)).delete()
        for code, (value, justification) in clean.items():
            AssessmentAnswer.objects.update_or_create(assessment=assessment, question=code,
                                                      defaults={"value": value, "justification": justification})
        audit_event_record(action="ratings.assessment_save", actor=actor, target=assessment,
                           data={"submitted": bool(submit), "country": country.code, "stream": stream, "period_end": period_end.isoformat(),
                                 "answers": len(clean), "created": created, "form_version": methodology.version})
    return assessment
