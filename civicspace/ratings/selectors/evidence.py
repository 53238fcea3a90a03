"""Reads for the rating-decision screens: the proposals with their tallies, the drafts of editions with their
decisions, and a proposal's evidence pack (published history, guiding scores with intervals, contributions,
external index values and their movement, incidents and laws since the last edition, trend calls, coded
assessments). Staff only: assessments' justifications are never public."""
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import get_language

from civicspace.legislation.models import StageEvent
from civicspace.methodology import config as methodology_config
from civicspace.monitoring.models import Incident, TrendCall

from .. import labels
from ..services.assessments import question_text
from ..services.decisions import proposal_tally
from ..models import (
    Assessment,
    AssessmentAnswer,
    EditionDraft,
    GuidingScore,
    IndexValue,
    PanelVote,
    RatingDecision,
    RatingProposal,
)
from .editions import country_history


# Names of the methodology's streams and indicators (codes are data of the methodology version).
STREAM_NAMES = getattr(labels, "STREAM_NAMES", {})
INDICATOR_NAMES = getattr(labels, "INDICATOR_NAMES", {})


@dataclass
class ProposalRow:
    proposal: RatingProposal
    tally: dict
    my_vote: PanelVote | None = None


def _proposals():
    return (RatingProposal.objects.select_related("country", "score", "decision", "decision__draft")
            .prefetch_related(Prefetch("votes", queryset=PanelVote.objects.select_related("member"))))


def _row(proposal, user):
    votes = list(proposal.votes.all())
    mine = next((v for v in votes if v.member_id == getattr(user, "pk", None)), None)
    return ProposalRow(proposal, proposal_tally(proposal, votes), mine)


def proposal_rows(user):
    """(open proposals, closed proposals), each as ProposalRow with the tally."""
    rows = [_row(p, user) for p in _proposals().order_by("-opened_at", "-pk")]
    open_rows = [r for r in rows if r.proposal.status == RatingProposal.Status.OPEN]
    closed = [r for r in rows if r.proposal.status != RatingProposal.Status.OPEN]
    return open_rows, closed[:100]


def proposal_get(pk):
    try:
        return _proposals().select_related("country__region", "opened_by").get(pk=pk)
    except RatingProposal.DoesNotExist:
        raise Http404 from None


def drafts_with_decisions():
    """Unpublished drafts first (oldest publication date first), then the latest published ones."""
    decisions = RatingDecision.objects.select_related("proposal__country").order_by("proposal__country__code")
    rows = EditionDraft.objects.select_related("edition").prefetch_related(Prefetch("decisions", queryset=decisions))
    unpublished = list(rows.unpublished().order_by("publish_on", "pk"))
    published = list(rows.published().order_by("-publish_on", "-pk")[:10])
    return unpublished, published


def draft_get(pk):
    try:
        return (EditionDraft.objects.select_related("edition")
                .prefetch_related(Prefetch("decisions", queryset=RatingDecision.objects.select_related(
                    "proposal__country").order_by("proposal__country__code"))).get(pk=pk))
    except EditionDraft.DoesNotExist:
        raise Http404 from None


# --- the evidence pack -----------------------------------------------------------------------------------

@dataclass
class IndexMovement:
    index: str
    name: str
    publisher: str
    value: float
    rebased: float
    edition_year: int | None
    events_year: int | None
    previous_value: float | None = None
    previous_events_year: int | None = None
    source: str = ""

    @property
    def change(self):
        return None if self.previous_value is None else self.value - self.previous_value


@dataclass
class EvidencePack:
    proposal: RatingProposal
    history: list
    period_start: dt.date | None
    scores: list
    score: GuidingScore | None
    contributions: list = field(default_factory=list)
    contributions_total: float = 0.0
    stream_scores: dict = field(default_factory=dict)
    missing_streams: list = field(default_factory=list)
    probabilities: list = field(default_factory=list)
    indices: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    stage_events: list = field(default_factory=list)
    trend_calls: list = field(default_factory=list)
    assessments: list = field(default_factory=list)


def _index_movements(country, score):
    methodology = methodology_config.load(score.version) if score else None
    items = (score.result or {}).get("index_scores", []) if score else []
    if not items:
        return []
    codes = {item["index"] for item in items}
    values = {}
    for row in IndexValue.objects.filter(country=country, index__in=codes).order_by("index", "year"):
        values.setdefault(row.index, []).append(row)
    movements = []
    lang = (get_language() or "en").split("-")[0]
    for item in items:
        rule = methodology.indices.get(item["index"]) if methodology else None
        rows = values.get(item["index"], [])
        used = next((i for i, r in enumerate(rows)
                     if r.events_year == item.get("events_year") and r.value == item["value"]), None)
        previous = rows[used - 1] if used else None
        movements.append(IndexMovement(
            index=item["index"], name=rule.text("name", lang) if rule else item["index"],
            publisher=rule.text("publisher", lang) if rule else "",
            value=item["value"], rebased=item["rebased"], edition_year=item.get("edition_year"),
            events_year=item.get("events_year"), previous_value=previous.value if previous else None,
            previous_events_year=previous.events_year if previous else None, source=item.get("source", "")))
    return movements


def _assessments(country):
    methodology = methodology_config.load()
    questions = {q.code: q for q in methodology.questions}
    rows = (Assessment.objects.filter(country=country).select_related("organisation", "author")
            .prefetch_related(Prefetch("answers", queryset=AssessmentAnswer.objects.order_by("pk")))
            .order_by("-period_end", "-pk")[:10])
    order = {q.code: i for i, q in enumerate(methodology.questions)}
    result = []
    for assessment in rows:
        answers = sorted(assessment.answers.all(), key=lambda a: order.get(a.question, 999))
        result.append((assessment, [(a, question_text(questions[a.question]) if a.question in questions
                                     else a.question) for a in answers]))
    return result


def evidence_pack(proposal):
    country = proposal.country
    history = country_history(country)
    period_start = history[-1].edition.published if history else None
    scores = list(GuidingScore.objects.filter(country=country).order_by("as_of", "pk"))
    score = proposal.score or (scores[-1] if scores else None)
    pack = EvidencePack(proposal=proposal, history=list(reversed(history)), period_start=period_start,
                        scores=list(reversed(scores)), score=score)
    if score is not None:
        result = score.result or {}
        if result.get("model") == "transition":
            # Transition versions: each term by its name, with the weight applied to it.
            from civicspace.methodology import config as methodology_config

            from .public import _term_label
            methodology = methodology_config.load(score.version)
            pack.contributions = [
                {"stream": t["term"], "indicator": t["index"], "points": t["points"],
                 "stream_name": _term_label(t, methodology), "indicator_name": f"× {t['weight']:.4g}"}
                for t in result.get("terms", [])]
        else:
            pack.contributions = [
                {**c, "stream_name": STREAM_NAMES.get(c["stream"], c["stream"]),
                 "indicator_name": INDICATOR_NAMES.get(c["indicator"], c["indicator"]) if c.get("indicator") else ""}
                for c in result.get("contributions", [])]
        pack.contributions_total = sum(c["points"] for c in pack.contributions)
        pack.stream_scores = result.get("stream_scores", {})
        pack.missing_streams = [STREAM_NAMES.get(s, s) for s in result.get("missing_streams", [])]
        pack.probabilities = sorted((result.get("probabilities") or {}).items(), key=lambda kv: -kv[1])
        pack.indices = _index_movements(country, score)
    incidents = (Incident.objects.published().filter(update__country=country)
                 .select_related("update").prefetch_related("types").order_by("-date", "-pk"))
    events = (StageEvent.objects.published().filter(bill__country=country).select_related("bill")
              .order_by("-date", "-pk"))
    calls = TrendCall.objects.filter(country=country).select_related("organisation").order_by("-period_end", "-pk")
    if period_start:
        incidents = incidents.filter(date__gt=period_start)
        events = events.filter(date__gt=period_start)
        calls = calls.filter(period_end__gt=period_start)
    pack.incidents = list(incidents[:200])
    pack.stage_events = list(events[:100])
    pack.trend_calls = list(calls[:50])
    pack.assessments = _assessments(country)
    return pack
