"""Composing and publishing Watchlist editions. Editors only; a published edition is frozen."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civicspace.accounts.roles import is_editor
from civicspace.audit.services import audit_event_record
from civicspace.core.errors import bump_version, check_version
from civicspace.core.events import public_event
from civicspace.ratings.models import PublishedRating

from .models import WatchlistEdition, WatchlistEntry

PRESS_FIELDS = ("pr_title", "pr_dateline", "pr_lead", "pr_about", "pr_contact")


def _editable(edition, actor):
    """The edition re-read and locked inside the caller's transaction, refused once published: every change
    (entries, rationales, press release, publishing) waits for a concurrent publish and then sees it."""
    if not is_editor(actor):
        raise PermissionDenied
    edition = WatchlistEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise ValidationError({"edition": _("This edition is published and can no longer be changed.")})
    return edition


def _entry_locked(entry, actor):
    edition = _editable(entry.edition, actor)
    try:
        entry = WatchlistEntry.objects.select_related("country").get(pk=entry.pk)
    except WatchlistEntry.DoesNotExist:
        raise ValidationError({"country": _("This country was removed from the edition in the meantime.")}) from None
    entry.edition = edition
    return entry


@transaction.atomic
def edition_create(*, actor, target_date, hrc_session=None):
    if not is_editor(actor):
        raise PermissionDenied
    slug = target_date.isoformat()
    taken = ValidationError({"target_date": _("There is already an edition for this date.")})
    if WatchlistEdition.objects.filter(slug=slug).exists():
        raise taken
    try:
        with transaction.atomic():  # the same date submitted twice at once: the unique slug decides
            edition = WatchlistEdition.objects.create(slug=slug, target_date=target_date, hrc_session=hrc_session,
                                                      created_by=actor)
    except IntegrityError:
        raise taken from None
    audit_event_record(action="watchlist.edition_create", actor=actor, target=edition, data={"slug": slug})
    return edition


@transaction.atomic
def entry_add(*, edition, actor, country):
    edition = _editable(edition, actor)
    if edition.entries.filter(country=country).exists():
        raise ValidationError({"country": _("This country is already on the edition.")})
    position = (edition.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    entry = WatchlistEntry.objects.create(edition=edition, country=country, position=position)
    audit_event_record(action="watchlist.entry_add", actor=actor, target=edition, data={"country": country.code})
    return entry


@transaction.atomic
def entry_remove(*, entry, actor):
    entry = _entry_locked(entry, actor)
    audit_event_record(action="watchlist.entry_remove", actor=actor, target=entry.edition,
                       data={"country": entry.country.code})
    entry.delete()


@transaction.atomic
def entry_rationale_save(*, entry, actor, lang, text, status, expected_version=None):
    """A stale copy (`expected_version` older than the stored entry) raises ConcurrentEditError."""
    entry = check_version(_entry_locked(entry, actor), expected_version)
    bump_version(entry)
    setattr(entry, f"rationale_{lang}", text)
    entry.translation_status = {**entry.translation_status, lang: status}
    entry.save()
    audit_event_record(action="watchlist.rationale_save", actor=actor, target=entry.edition,
                       data={"country": entry.country.code, "lang": lang})
    return entry


@transaction.atomic
def press_release_save(*, edition, actor, lang, expected_version=None, **fields):
    """A stale copy (`expected_version` older than the stored edition) raises ConcurrentEditError."""
    edition = check_version(_editable(edition, actor), expected_version)
    bump_version(edition)
    for field in PRESS_FIELDS:
        setattr(edition, f"{field}_{lang}", fields.get(field, ""))
    edition.save()
    audit_event_record(action="watchlist.press_release_save", actor=actor, target=edition, data={"lang": lang})
    return edition


@transaction.atomic
def edition_publish(*, edition, actor):
    """Freeze the edition: record each country's current rating and score, and publish."""
    edition = _editable(edition, actor)
    entries = list(edition.entries.select_related("country"))
    problems = []
    if not entries:
        problems.append(_("Choose at least one country."))
    for entry in entries:
        if not entry.rationale_en and not any(getattr(entry, f"rationale_{l}") for l in ("ru", "fr", "es", "ar")):
            problems.append(_("%(country)s has no rationale.") % {"country": entry.country.name})
    if not any(getattr(edition, f"pr_title_{l}") for l in ("en", "ru", "fr", "es", "ar")):
        problems.append(_("The press release needs a title."))
    if problems:
        raise ValidationError({"edition": problems})
    for entry in entries:
        current = (PublishedRating.objects.filter(country=entry.country).select_related("edition")
                   .order_by("-edition__published").first())
        if current:
            entry.rating_at_publication, entry.score_at_publication = current.rating, current.score
            entry.rating_edition = current.edition
            entry.save(update_fields=["rating_at_publication", "score_at_publication", "rating_edition"])
    edition.status, edition.published_at = WatchlistEdition.Status.PUBLISHED, timezone.now()
    edition.save(update_fields=["status", "published_at"])
    audit_event_record(action="watchlist.edition_publish", actor=actor, target=edition,
                       data={"countries": [e.country.code for e in entries]})
    public_event(kind="watchlist.edition_published", instance=edition)
    return edition
