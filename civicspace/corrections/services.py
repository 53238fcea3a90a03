"""Changes to correction requests and replies. Anyone files a request (the view throttles and checks the
honeypot first); the requester confirms their address by a signed link; editors decide: publish the reply,
accept the correction (the item itself is changed through its own service and editing screen; the note says
what changed), or decline with a reason e-mailed to the requester.

Every service takes keyword arguments, runs in one transaction, re-reads and locks the request row
(select_for_update), validates there, and writes an audit event `corrections.<service>`. Audit data never
carries what the requester typed or who they are.
"""
import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicspace.accounts.roles import is_editor
from civicspace.audit.services import audit_event_record
from civicspace.jobs.models import OutgoingEmail
from civicspace.jobs.services import email_queue
from civicspace.pagecache.services import generation_bump
from civicspace.ratings.models import RatingProposal

from . import selectors
from .models import CorrectionRequest, ItemKind, RequestType, State

TEXT_MAX = 5000
LINKS_MAX = 10
LINK_MAX = 500
CONFIRM_SALT = "civicspace.corrections.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600
LANGS = [code for code, _name in settings.LANGUAGES]


def confirm_token(request_id):
    return signing.dumps({"r": request_id}, salt=CONFIRM_SALT, compress=True)


def _validate_links(links):
    cleaned = []
    validator = URLValidator(schemes=["http", "https"])
    for number, link in enumerate(links, 1):
        link = link.strip()
        if not link:
            continue
        if len(link) > LINK_MAX:
            raise ValidationError({"evidence_links": _("Link %(n)s is longer than %(max)s characters.")
                                   % {"n": number, "max": LINK_MAX}})
        try:
            validator(link)
        except ValidationError:
            raise ValidationError({"evidence_links": _("Link %(n)s is not a web address (http:// or https://).")
                                   % {"n": number}}) from None
        cleaned.append(link)
    if len(cleaned) > LINKS_MAX:
        raise ValidationError({"evidence_links": _("Give at most %(max)s links.") % {"max": LINKS_MAX}})
    return cleaned


@transaction.atomic
def correction_request_submit(*, request_type, item_kind, item_ref, name, organisation, role, email, text,
                              language, evidence_links=(), represents_government=False):
    """Record a request, unconfirmed, and e-mail the requester the signed confirmation link. Editors see
    nothing until it is confirmed."""
    if request_type not in RequestType.values:
        raise ValidationError({"request_type": _("Choose whether you report an error or reply.")})
    if item_kind not in ItemKind.values:
        raise ValidationError({"item": _("Nothing can be corrected here.")})
    try:
        item = selectors.item_resolve(item_kind, item_ref)
    except Http404:
        raise ValidationError({"item": _("This item is not published (any more).")}) from None
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your correction or reply.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Write at most %(max)s characters.") % {"max": TEXT_MAX}})
    if not (name or "").strip():
        raise ValidationError({"name": _("Give your name.")})
    if language not in LANGS:
        raise ValidationError({"language": _("Choose the language of your text.")})
    links = _validate_links(evidence_links)
    request = CorrectionRequest(
        request_type=request_type, item_kind=item.kind, item_id=item.id, page_key=item.page_key,
        country=item.country, language=language, requester_name=name.strip(),
        requester_organisation=(organisation or "").strip(), requester_role=(role or "").strip(),
        requester_email=(email or "").strip(), text=text, evidence_links=links,
        represents_government=bool(represents_government) and item.kind == ItemKind.RATING)
    request.full_clean()
    request.save()
    audit_event_record(action="corrections.correction_request_submit", actor=None, actor_label="public form",
                       target=request, data={"type": request_type, "item": item.page_key, "kind": item.kind})
    with translation.override(language):
        link = settings.SITE_URL.rstrip("/") + reverse("corrections:confirm", args=[confirm_token(request.pk)])
        email_queue(key=f"corrections:{request.pk}:confirm", to=request.requester_email,
                    subject=_("Confirm your request to the Civic Space Monitor"),
                    body=_("Someone (we hope you) asked the Civic Space Monitor to look at “%(item)s”.\n\n"
                           "Confirm your e-mail address to send the request to our editors:\n%(link)s\n\n"
                           "The link is valid for 7 days. If you did not write to us, ignore this message: "
                           "nothing will be done.") % {"item": item.title, "link": link})
    return request


def _attach_to_open_proposal(request):
    if not request.is_challenge:
        return None
    proposal = RatingProposal.objects.filter(country=request.country, status=RatingProposal.Status.OPEN).first()
    if proposal is not None:
        request.proposal = proposal
    return proposal


@transaction.atomic
def correction_request_confirm(*, token):
    """The requester followed the signed link: the request goes to the editors' queue. Following it again
    changes nothing. A government's challenge to a rating joins the country's open proposal, if any."""
    try:
        request_id = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)["r"]
    except signing.SignatureExpired:
        raise ValidationError({"token": _("This link has expired. Send your request again.")}) from None
    except (signing.BadSignature, KeyError, TypeError):
        raise ValidationError({"token": _("This link is not valid.")}) from None
    try:
        request = CorrectionRequest.objects.select_for_update().get(pk=request_id)
    except CorrectionRequest.DoesNotExist:
        raise ValidationError({"token": _("This request no longer exists.")}) from None
    if request.state != State.UNCONFIRMED:
        return request
    request.state, request.confirmed_at = State.PENDING, timezone.now()
    proposal = _attach_to_open_proposal(request)
    request.save(update_fields=["state", "confirmed_at", "proposal"])
    audit_event_record(action="corrections.correction_request_confirm", actor=None, actor_label="requester",
                       target=request, data={"challenge_of_proposal": proposal.pk if proposal else None})
    return request


def _decidable(request, actor, expected_version):
    if not is_editor(actor):
        raise PermissionDenied
    try:
        current = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    except CorrectionRequest.DoesNotExist:
        raise ValidationError(_("This request no longer exists.")) from None
    if current.state != State.PENDING:
        raise ValidationError(_("This request was already decided (%(state)s) by another editor or in another "
                                "window. Nothing was changed.") % {"state": current.get_state_display()})
    if expected_version is not None and current.version != int(expected_version):
        raise ValidationError(_("Someone else changed this request while you were reading it. Reload the page "
                                "and decide again."))
    return current


def _decide(request, actor, state, fields):
    now = timezone.now()
    request.state, request.decided_at, request.decided_by = state, now, actor
    if state != State.DECLINED:
        request.published_at = now
        # The item's page, the record and the feed change: a new publication generation (pagecache), in this
        # transaction. Filing and confirming requests change no public page, so a flood of them bumps nothing.
        generation_bump()
    request.version = F("version") + 1
    request.save(update_fields=[*fields, "state", "decided_at", "decided_by", "published_at", "version"])
    request.refresh_from_db(fields=["version"])


@transaction.atomic
def correction_reply_publish(*, request, actor, expected_version, party, text, translations=None):
    """Publish the named party's reply under the item: the party as the editor names it and the text as the
    editor checked it (in the request's language), with the editors' translations."""
    request = _decidable(request, actor, expected_version)
    if not (party or "").strip():
        raise ValidationError({"party": _("Name the party that replies (e.g. the ministry).")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reply_text": _("The reply's text is empty.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"reply_text": _("Write at most %(max)s characters.") % {"max": TEXT_MAX}})
    translations = {lang: t.strip() for lang, t in (translations or {}).items()
                    if lang in LANGS and lang != request.language and (t or "").strip()}
    if selectors.item_of(request) is None:
        raise ValidationError(_("The item is no longer published; the reply cannot be shown under it."))
    request.reply_party, request.reply_text, request.reply_translations = party.strip(), text, translations
    _decide(request, actor, State.REPLY_PUBLISHED, ["reply_party", "reply_text", "reply_translations"])
    audit_event_record(action="corrections.correction_reply_publish", actor=actor, target=request,
                       data={"item": request.page_key, "translations": sorted(translations)})
    return request


@transaction.atomic
def correction_accept(*, request, actor, expected_version, note):
    """The correction is accepted: the editor has changed the item through its own screen (the item's service
    audits that change) and records the public note that says what changed."""
    request = _decidable(request, actor, expected_version)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say publicly what was changed.")})
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": _("Write at most %(max)s characters.") % {"max": TEXT_MAX}})
    if selectors.item_of(request) is None:
        raise ValidationError(_("The item is no longer published; the correction cannot be shown on it."))
    request.correction_note = note
    _decide(request, actor, State.ACCEPTED, ["correction_note"])
    audit_event_record(action="corrections.correction_accept", actor=actor, target=request,
                       data={"item": request.page_key})
    return request


@transaction.atomic
def correction_decline(*, request, actor, expected_version, reason):
    """Decline with a reason, e-mailed to the requester. Nothing becomes public; a declined challenge leaves the
    panel's evidence."""
    request = _decidable(request, actor, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is sent to the requester.")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": _("Write at most %(max)s characters.") % {"max": TEXT_MAX}})
    request.decline_reason, request.proposal = reason, None
    _decide(request, actor, State.DECLINED, ["decline_reason", "proposal"])
    audit_event_record(action="corrections.correction_decline", actor=actor, target=request,
                       data={"item": request.page_key})
    item = selectors.item_of(request)
    with translation.override(request.language):
        email_queue(key=f"corrections:{request.pk}:decline", to=request.requester_email, actor=actor,
                    subject=_("Your request to the Civic Space Monitor"),
                    body=_("Thank you for writing to the Civic Space Monitor about “%(item)s”. Our editors "
                           "decided not to publish a correction or reply, for this reason:\n\n%(reason)s\n\n"
                           "You may write to us again with new evidence.")
                    % {"item": item.title if item else request.page_key, "reason": reason})
    return request


@transaction.atomic
def challenges_attach(*, proposal):
    """A new rating proposal takes the country's confirmed governments' challenges still waiting for one."""
    waiting = CorrectionRequest.objects.select_for_update().filter(
        country_id=proposal.country_id, item_kind=ItemKind.RATING, represents_government=True,
        state=State.PENDING, proposal__isnull=True)
    ids = list(waiting.values_list("pk", flat=True))
    if ids:
        CorrectionRequest.objects.filter(pk__in=ids).update(proposal=proposal)
        audit_event_record(action="corrections.challenges_attach", actor=None, actor_label="rating proposal",
                           target=proposal, data={"requests": ids})
    return ids


@transaction.atomic
def requester_erase(*, email, actor=None, actor_label="erasure request"):
    """Erase a requester's personal data on request: requests never published are deleted; published ones keep
    only what was made public (the party's name and reply as published, the correction note). The e-mails sent
    to the address are blanked in the outbox. Returns the number of requests touched."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Give the e-mail address.")})
    rows = list(CorrectionRequest.objects.select_for_update().filter(requester_email__iexact=email))
    ids = [r.pk for r in rows]
    for request in rows:
        if request.is_public:
            request.requester_name = request.requester_organisation = request.requester_role = ""
            request.requester_email, request.text, request.evidence_links = "", "", []
            request.decline_reason = ""
            request.save(update_fields=["requester_name", "requester_organisation", "requester_role",
                                        "requester_email", "text", "evidence_links", "decline_reason"])
        else:
            request.delete()
    for pk in ids:
        OutgoingEmail.objects.filter(key__startswith=f"corrections:{pk}:").update(to="erased@invalid", body="")
    audit_event_record(action="corrections.requester_erase", actor=actor, actor_label=actor_label,
                       target=None, data={"requests": ids})
    return len(ids)


@transaction.atomic
def requests_expired_delete(*, now=None, actor_label="expiry"):
    """Unconfirmed requests whose link has expired are deleted with their e-mails' contents: an address nobody
    confirmed is kept no longer than its link. Returns the number deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=CONFIRM_MAX_AGE)
    ids = list(CorrectionRequest.objects.select_for_update().filter(state=State.UNCONFIRMED, created_at__lt=cutoff)
               .values_list("pk", flat=True))
    if ids:
        CorrectionRequest.objects.filter(pk__in=ids).delete()
        for pk in ids:
            OutgoingEmail.objects.filter(key__startswith=f"corrections:{pk}:").update(to="erased@invalid", body="")
        audit_event_record(action="corrections.requests_expired_delete", actor=None, actor_label=actor_label,
                           data={"requests": ids})
    return len(ids)

