"""Rating decisions: proposals opened by the score rule (or by an editor), panel votes, the editor's recorded
decision with a public rationale in five languages, editions that collect decisions and freeze on publication,
and errata. Every step is one transaction that re-reads and locks the rows it changes, validates them there
(so a second, concurrent submit gets a clear message, never a database error), and writes an audit event
named ratings.<service>."""
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicspace.accounts.roles import is_editor, is_panel_member
from civicspace.audit.services import audit_event_record
from civicspace.core.errors import ConcurrentEditError
from civicspace.core.events import public_event
from civicspace.methodology import config as methodology_config
from civicspace.methodology.bands import RATING_CODES, band_for_score
from civicspace.methodology.engine import proposal_due
from civicspace.methodology.transition import margin

from civicspace.countries.models import Country

from ..models import (
    EditionDraft,
    Erratum,
    GuidingScore,
    PanelVote,
    PublishedRating,
    RatingDecision,
    RatingEdition,
    RatingProposal,
)
from ..selectors.editions import current_ratings
from .scoring import latest_scores

LANGS = [code for code, _name in settings.LANGUAGES]


def _editor(actor):
    if not is_editor(actor):
        raise PermissionDenied


def _rating(value, field):
    if value not in RATING_CODES:
        raise ValidationError({field: _("Choose one of the five ratings.")})


# --- proposals -------------------------------------------------------------------------------------------

def proposals_open_due(*, actor=None, actor_label="score rule"):
    """Open a proposal for every country whose newest guiding score lies in another band than its published
    rating by more than the hysteresis margin, unless one is already open. Returns the new proposals."""
    if actor is not None:
        _editor(actor)
    decisions = methodology_config.load().decisions
    hysteresis, hysteresis_up = decisions.hysteresis, decisions.hysteresis_up
    created = []
    with transaction.atomic():
        published_rows = current_ratings()
        # Lock the countries first: an editor's proposal_open or a second run waits, then sees these proposals.
        list(Country.objects.select_for_update().filter(pk__in=[r.country_id for r in published_rows]).order_by("pk")
             .values_list("pk", flat=True))
        scores = latest_scores()
        already = set(RatingProposal.objects.filter(status=RatingProposal.Status.OPEN)
                      .values_list("country_id", flat=True))
        for published in published_rows:
            score = scores.get(published.country_id)
            if score is None or published.country_id in already:
                continue
            target = proposal_due(float(score.score), published.rating, hysteresis, hysteresis_up)
            if target is None:
                continue
            past = margin(float(score.score), published.rating, hysteresis, hysteresis_up)
            proposal = RatingProposal.objects.create(
                country_id=published.country_id, score_id=score.pk, from_rating=published.rating,
                to_rating=target, opened_by=actor,
                reason=f"Guiding score {score.score} ({score.as_of.isoformat()}, methodology {score.version}) is "
                       f"in the {target} band, more than {past:g} points outside the published "
                       f"{published.rating} band.")
            audit_event_record(action="ratings.proposals_open_due", actor=actor, actor_label=actor_label,
                               target=proposal, data={"from": published.rating, "to": target,
                                                      "score": str(score.score)})
            created.append(proposal)
    return created


def proposal_open(*, actor, country, to_rating, reason):
    """An editor opens a proposal by hand (e.g. an interim change after a sudden crackdown)."""
    _editor(actor)
    _rating(to_rating, "to_rating")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the rating should change.")})
    with transaction.atomic():
        Country.objects.select_for_update().get(pk=country.pk)  # one proposal_open per country at a time
        published = next((r for r in current_ratings() if r.country_id == country.pk), None)
        if published is None:
            raise ValidationError({"country": _("This country has no published rating yet.")})
        if published.rating == to_rating:
            raise ValidationError({"to_rating": _("This is already the country's rating.")})
        if RatingProposal.objects.filter(country=country, status=RatingProposal.Status.OPEN).exists():
            raise ValidationError({"country": _("A proposal for this country is already open.")})
        score = GuidingScore.objects.filter(country=country).order_by("-as_of", "-pk").first()
        proposal = RatingProposal.objects.create(country=country, score=score, from_rating=published.rating,
                                                 to_rating=to_rating, reason=reason.strip(), opened_by=actor)
        audit_event_record(action="ratings.proposal_open", actor=actor, target=proposal,
                           data={"from": published.rating, "to": to_rating, "manual": True})
    return proposal


def _open_locked(proposal):
    """The proposal re-read and locked inside the caller's transaction; refused unless still open (another
    editor may have decided or withdrawn it since the page was loaded)."""
    try:
        proposal = RatingProposal.objects.select_for_update().get(pk=proposal.pk)
    except RatingProposal.DoesNotExist:
        raise ValidationError({"proposal": _("This proposal no longer exists.")}) from None
    if proposal.status != RatingProposal.Status.OPEN:
        raise ValidationError({"proposal": _("This proposal is no longer open.")})
    return proposal


def _draft_locked(draft, field="draft"):
    try:
        draft = EditionDraft.objects.select_for_update().get(pk=draft.pk)
    except EditionDraft.DoesNotExist:
        raise ValidationError({field: _("This edition draft no longer exists.")}) from None
    if draft.is_published:
        raise ValidationError({field: _("That edition is already published.")})
    return draft


def proposal_vote(*, actor, proposal, vote, comment):
    """A panel member's vote with a comment; voting again replaces the member's earlier vote."""
    if not is_panel_member(actor):
        raise PermissionDenied
    if vote not in PanelVote.Vote.values:
        raise ValidationError({"vote": _("Choose agree, disagree or abstain.")})
    if not (comment or "").strip():
        raise ValidationError({"comment": _("A comment is required with every vote.")})
    with transaction.atomic():
        proposal = _open_locked(proposal)
        row, created = PanelVote.objects.update_or_create(proposal=proposal, member=actor,
                                                          defaults={"vote": vote, "comment": comment.strip()})
        audit_event_record(action="ratings.proposal_vote", actor=actor, target=proposal,
                           data={"vote": vote, "changed": not created})
    return row


def proposal_tally(proposal, votes=None):
    """Counts, whether the quorum is met and whether the proposal is carried under the configured rules."""
    rules = methodology_config.load().decisions
    votes = list(proposal.votes.all()) if votes is None else votes
    counts = {v: sum(1 for x in votes if x.vote == v) for v in PanelVote.Vote.values}
    decisive = counts["agree"] + counts["disagree"]
    quorum_met = len(votes) >= rules.quorum
    carried = quorum_met and decisive > 0 and counts["agree"] / decisive > rules.majority
    return {"counts": counts, "cast": len(votes), "quorum": rules.quorum, "quorum_met": quorum_met,
            "majority": rules.majority, "carried": carried}


def votes_version(proposal):
    """A fingerprint of the panel's votes and comments as they stand. The decide form carries the one its page
    showed, so a decision is never taken on a tally or a comment that changed since (optimistic locking)."""
    rows = sorted(PanelVote.objects.filter(proposal=proposal).values_list("member_id", "vote", "comment"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _open_challenges(proposal):
    """Governments' challenges to the rating attached to this proposal as evidence (issue 21: the corrections
    app attaches them; a declined one is detached). Read through the reverse relation, so that ratings imports
    nothing of corrections."""
    related = getattr(proposal, "challenges", None)
    return related.count() if related is not None else 0


def proposal_decide(*, actor, proposal, draft, rating, rationale, challenge_answer="", votes_seen=None):
    """The editor records the decision (which may differ from the proposal and the score) with a public
    rationale: `rationale` is {lang: text}; English is required, other languages when available. When
    governments' challenges are attached to the proposal, `challenge_answer` (public) must answer them. When the
    votes changed since the editor's page showed them (`votes_seen`), nothing is decided: ConcurrentEditError."""
    _editor(actor)
    _rating(rating, "rating")
    if not (rationale.get("en") or "").strip():
        raise ValidationError({"rationale_en": _("The public rationale in English is required.")})
    with transaction.atomic():
        # The draft first, as draft_publish does: a decision and a publication of the same draft serialise.
        draft = _draft_locked(draft)
        proposal = _open_locked(proposal)  # votes lock it too: no vote can land between this check and the save
        if votes_seen and votes_seen != votes_version(proposal):
            raise ConcurrentEditError(proposal)
        if not proposal_tally(proposal)["quorum_met"]:
            raise ValidationError({"proposal": _("The panel has not reached its quorum yet.")})
        challenges = _open_challenges(proposal)
        if challenges and not (challenge_answer or "").strip():
            raise ValidationError({"challenge_answer": _(
                "A government's challenge to this rating is attached: the decision must answer it publicly.")})
        score = proposal.score.score if proposal.score_id else None
        decision = RatingDecision(proposal=proposal, draft=draft, rating=rating, score=score, decided_by=actor,
                                  challenge_answer=(challenge_answer or "").strip())
        # The base field first: modeltranslation also writes it into the *active* language's field, which the
        # loop then sets to what was given (else an editor working in Russian got English in rationale_ru).
        decision.rationale = (rationale.get("en") or "").strip()
        for lang in LANGS:
            setattr(decision, f"rationale_{lang}", (rationale.get(lang) or "").strip())
        decision.save()
        proposal.status = RatingProposal.Status.DECIDED
        proposal.save(update_fields=["status"])
        audit_event_record(action="ratings.proposal_decide", actor=actor, target=proposal,
                           data={"rating": rating, "proposed": proposal.to_rating, "draft": draft.pk,
                                 "challenges_answered": challenges})
    return decision


def proposal_withdraw(*, actor, proposal, reason):
    _editor(actor)
    with transaction.atomic():
        proposal = _open_locked(proposal)
        proposal.status = RatingProposal.Status.WITHDRAWN
        proposal.save(update_fields=["status"])
        audit_event_record(action="ratings.proposal_withdraw", actor=actor, target=proposal,
                           data={"reason": reason})


# --- editions --------------------------------------------------------------------------------------------

def draft_create(*, actor, publish_on, kind=EditionDraft.Kind.REGULAR):
    _editor(actor)
    if kind not in EditionDraft.Kind.values:
        raise ValidationError({"kind": _("Choose a regular edition or an interim change.")})
    newest = RatingEdition.objects.order_by("-published").first()
    if newest and publish_on <= newest.published:
        raise ValidationError({"publish_on": _("The date must be after the newest published edition.")})
    with transaction.atomic():
        draft = EditionDraft.objects.create(kind=kind, publish_on=publish_on, created_by=actor)
        audit_event_record(action="ratings.draft_create", actor=actor, target=draft,
                           data={"kind": kind, "publish_on": publish_on.isoformat()})
    return draft


def _slug_for(day):
    slug, n = f"{day:%Y-%m}", 2
    while RatingEdition.objects.filter(slug=slug).exists():
        slug, n = f"{day:%Y-%m}-{n}", n + 1
    return slug


def draft_publish(*, actor, draft):
    """Publish a draft: the decisions become published ratings of a new, frozen edition. A regular edition
    also carries forward every other country's current rating (with its guiding score when that score lies
    in the same band, else without a score)."""
    _editor(actor)
    with transaction.atomic():
        draft = _draft_locked(draft)
        decisions = list(draft.decisions.select_related("proposal__country"))
        if not decisions and draft.kind == EditionDraft.Kind.INTERIM:
            raise ValidationError({"draft": _("An interim change needs at least one decision.")})
        open_count = RatingProposal.objects.filter(status=RatingProposal.Status.OPEN).count()
        regular = draft.kind == EditionDraft.Kind.REGULAR
        code = f"{'CSM' if regular else 'CSM interim'} {draft.publish_on.isoformat()}"
        if RatingEdition.objects.filter(code=code).exists():
            raise ValidationError({"draft": _("An edition of that kind is already published on that date.")})
        try:
            with transaction.atomic():  # another draft of the same date published at the same moment
                edition = RatingEdition.objects.create(
                    code=code, slug=_slug_for(draft.publish_on), published=draft.publish_on,
                    published_precision=RatingEdition.Precision.DAY,
                    coverage=RatingEdition.Coverage.COMPLETE if regular else RatingEdition.Coverage.PARTIAL)
        except IntegrityError:
            raise ValidationError(
                {"draft": _("An edition of that kind is already published on that date.")}) from None
        source = f"{settings.SITE_URL}/en/ratings/changes/{edition.slug}/"
        rows = {d.proposal.country_id: PublishedRating(edition=edition, country_id=d.proposal.country_id,
                                                       rating=d.rating, score=_score_in_band(d.score, d.rating),
                                                       source_url=source)
                for d in decisions}
        if regular:
            scores = latest_scores()
            for current in current_ratings():
                if current.country_id in rows:
                    continue
                score = scores.get(current.country_id)
                rows[current.country_id] = PublishedRating(
                    edition=edition, country_id=current.country_id, rating=current.rating,
                    score=_score_in_band(score.score if score else None, current.rating), source_url=source)
        PublishedRating.objects.bulk_create(rows.values())
        draft.edition = edition
        draft.save(update_fields=["edition"])
        audit_event_record(action="ratings.draft_publish", actor=actor, target=edition,
                           data={"decisions": len(decisions), "ratings": len(rows), "open_proposals": open_count})
        public_event(kind="rating.edition_published", instance=edition)
        if regular:  # a complete edition has its global findings page
            public_event(kind="findings.published", instance=edition)
    return edition


def _score_in_band(score, rating):
    """Publish a score only when it agrees with the rating (a decision may differ from the score)."""
    if score is None:
        return None
    return score if band_for_score(score).code == rating else None


def erratum_record(*, actor, edition, country, rating, score, reason):
    """Correct a published rating: the change is recorded as an erratum shown with the edition."""
    _editor(actor)
    _rating(rating, "rating")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A public reason for the correction is required.")})
    if score is not None and band_for_score(score).code != rating:
        raise ValidationError({"score": _("The score is not in the band of the rating.")})
    with transaction.atomic():
        row = PublishedRating.objects.select_for_update().filter(edition=edition, country=country).first()
        if row is None:
            raise ValidationError({"country": _("This edition does not rate this country.")})
        erratum = Erratum.objects.create(edition=edition, country=country, rating_before=row.rating,
                                         rating_after=rating, score_before=row.score, score_after=score,
                                         reason=reason.strip(), recorded_by=actor)
        row.rating, row.score = rating, score
        row.save(update_fields=["rating", "score"])
        audit_event_record(action="ratings.erratum_record", actor=actor, target=erratum,
                           data={"edition": edition.slug, "country": country.code})
    return erratum
