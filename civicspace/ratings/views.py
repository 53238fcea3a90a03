"""Staff screens of the rating decisions (proposals, panel votes, decisions, editions) and the coding form
for assessments. Thin: authorise, validate a form, call a service or selector, render. People who may not
see a screen get 404; signed-in staff who may see it but not do something get 403 from the service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicspace.accounts.roles import (
    assigned_country_ids,
    is_editor,
    is_panel_member,
    is_partner,
    is_staff_reviewer,
)
from civicspace.core.errors import (ConcurrentEditError, conflict_form, form_errors_to_messages, submit_action,
                                    submit_form)
from civicspace.core.l10n import join_list
from civicspace.countries.models import Country
from civicspace.methodology import config as methodology_config

from .forms import AssessmentForm, DecideForm, DraftForm, ErratumForm, ProposalOpenForm, VoteForm, WithdrawForm
from .models import Assessment, RatingProposal
from .selectors import evidence
from .services import assessments, decisions


def _reviewer_only(request):
    if not is_staff_reviewer(request.user):
        raise Http404


def _editor_only(request):
    """Editors' actions: 404 for people who may not see the screens, 403 for the panel (who may)."""
    _reviewer_only(request)
    if not is_editor(request.user):
        raise PermissionDenied


# --- proposals and editions ------------------------------------------------------------------------------

def _list_page(request, *, open_form=None, draft_form=None, erratum_form=None, status=200):
    open_rows, closed_rows = evidence.proposal_rows(request.user)
    unpublished, published = evidence.drafts_with_decisions()
    editor = is_editor(request.user)
    return render(request, "ratings/proposal_list.html", {
        "open_rows": open_rows, "closed_rows": closed_rows, "unpublished": unpublished, "published": published,
        "is_editor": editor, "is_panel": is_panel_member(request.user),
        "open_form": (open_form or ProposalOpenForm()) if editor else None,
        "draft_form": (draft_form or DraftForm()) if editor else None,
        "erratum_form": (erratum_form or ErratumForm()) if editor else None,
    }, status=status)


@login_required
def proposal_list(request):
    _reviewer_only(request)
    return _list_page(request)


@login_required
@require_POST
def proposals_open_due(request):
    _editor_only(request)
    created = decisions.proposals_open_due(actor=request.user, actor_label="editor")
    if created:
        messages.success(request, _("Opened %(count)s proposal(s): %(countries)s.") % {
            "count": len(created), "countries": join_list(p.country.name for p in created)})
    else:
        messages.success(request, _("No country's guiding score calls for a new proposal."))
    return redirect("ratings:proposal_list")


@login_required
@require_POST
def proposal_new(request):
    _editor_only(request)
    form = ProposalOpenForm(request.POST)
    done, proposal = submit_form(form, lambda data: decisions.proposal_open(
        actor=request.user, country=data["country"], to_rating=data["to_rating"], reason=data["reason"]))
    if done:
        messages.success(request, _("Proposal opened."))
        return redirect("ratings:proposal_detail", proposal.pk)
    return _list_page(request, open_form=form, status=400)


@login_required
@require_POST
def draft_new(request):
    _editor_only(request)
    form = DraftForm(request.POST)
    done, _draft = submit_form(form, lambda data: decisions.draft_create(
        actor=request.user, publish_on=data["publish_on"], kind=data["kind"]))
    if done:
        messages.success(request, _("Edition draft created."))
        return redirect("ratings:proposal_list")
    return _list_page(request, draft_form=form, status=400)


@login_required
@require_POST
def erratum_new(request):
    _editor_only(request)
    form = ErratumForm(request.POST)
    done, erratum = submit_form(form, lambda data: decisions.erratum_record(
        actor=request.user, edition=data["edition"], country=data["country"], rating=data["rating"],
        score=data["score"], reason=data["reason"]))
    if done:
        messages.success(request, _("The correction is recorded and shown as an erratum of the edition."))
        return redirect("publishing:edition_changes", erratum.edition.slug)
    return _list_page(request, erratum_form=form, status=400)


@login_required
def draft_publish(request, pk):
    """GET: what publishing will do (the confirm step); POST: publish."""
    _reviewer_only(request)
    draft = evidence.draft_get(pk)
    if request.method == "POST":
        if not is_editor(request.user):
            raise PermissionDenied
        done, edition = submit_action(request, lambda: decisions.draft_publish(actor=request.user, draft=draft))
        if not done:
            return redirect("ratings:draft_publish", draft.pk)
        messages.success(request, _("The edition is published."))
        messages.info(request, _("%(edition)s: %(count)s published ratings.") % {
            "edition": edition.title, "count": edition.ratings.count()})
        return redirect("ratings:proposal_list")
    return render(request, "ratings/draft_publish.html", {
        "draft": draft, "is_editor": is_editor(request.user),
        "open_count": RatingProposal.objects.filter(status=RatingProposal.Status.OPEN).count()})


def _detail_page(request, proposal, *, vote_form=None, decide_form=None, withdraw_form=None, status=200):
    editor, panel = is_editor(request.user), is_panel_member(request.user)
    pack = evidence.evidence_pack(proposal)
    row = evidence.ProposalRow(proposal, decisions.proposal_tally(proposal, list(proposal.votes.all())))
    mine = next((v for v in proposal.votes.all() if v.member_id == request.user.pk), None)
    proposal.refresh_from_db(fields=["status"])  # a refused submit may have met a concurrent decision
    is_open = proposal.status == RatingProposal.Status.OPEN
    if not is_open:  # the forms are not shown any more: their errors (e.g. "no longer open") become messages
        for form in (vote_form, decide_form, withdraw_form):
            if form is not None and form.is_bound:
                form_errors_to_messages(request, form)
    if panel and is_open and vote_form is None:
        vote_form = VoteForm(initial={"vote": mine.vote, "comment": mine.comment} if mine else None)
    if editor and is_open:
        decide_form = decide_form or DecideForm(initial={"rating": proposal.to_rating,
                                                         "version": decisions.votes_version(proposal)})
        withdraw_form = withdraw_form or WithdrawForm()
    return render(request, "ratings/proposal_detail.html", {
        "proposal": proposal, "pack": pack, "row": row, "my_vote": mine, "is_open": is_open,
        "is_editor": editor, "is_panel": panel,
        "vote_form": vote_form if panel and is_open else None,
        "decide_form": decide_form if editor and is_open else None,
        "withdraw_form": withdraw_form if editor and is_open else None,
        "questions_total": len(methodology_config.load().questions),
    }, status=status)


@login_required
def proposal_detail(request, pk):
    _reviewer_only(request)
    return _detail_page(request, evidence.proposal_get(pk))


@login_required
@require_POST
def proposal_vote(request, pk):
    _reviewer_only(request)
    if not is_panel_member(request.user):
        raise PermissionDenied
    proposal = evidence.proposal_get(pk)
    form = VoteForm(request.POST)
    done, _vote = submit_form(form, lambda data: decisions.proposal_vote(
        actor=request.user, proposal=proposal, vote=data["vote"], comment=data["comment"]))
    if done:
        messages.success(request, _("Your vote is recorded."))
        return redirect("ratings:proposal_detail", proposal.pk)
    return _detail_page(request, proposal, vote_form=form, status=400)


@login_required
@require_POST
def proposal_decide(request, pk):
    _editor_only(request)
    proposal = evidence.proposal_get(pk)
    form = DecideForm(request.POST)
    try:
        done, _decision = submit_form(form, lambda data: decisions.proposal_decide(
            actor=request.user, proposal=proposal, draft=data["draft"], rating=data["rating"],
            rationale=form.rationale(), challenge_answer=data.get("challenge_answer", ""),
            votes_seen=data["version"] or None))
    except ConcurrentEditError:
        messages.error(request, _("The panel's votes or comments changed since you opened this page. Nothing was "
                                  "decided: read them again below; your decision and rationale are kept in the "
                                  "form."))
        return _detail_page(request, proposal, decide_form=conflict_form(DecideForm, request,
                                                                         decisions.votes_version(proposal)),
                            status=409)
    if done:
        messages.success(request, _("Decision recorded."))
        return redirect("ratings:proposal_detail", proposal.pk)
    return _detail_page(request, proposal, decide_form=form, status=400)


@login_required
@require_POST
def proposal_withdraw(request, pk):
    _editor_only(request)
    proposal = evidence.proposal_get(pk)
    form = WithdrawForm(request.POST)
    done, _none = submit_form(form, lambda data: decisions.proposal_withdraw(
        actor=request.user, proposal=proposal, reason=data["reason"]))
    if done:
        messages.success(request, _("Proposal withdrawn."))
        return redirect("ratings:proposal_list")
    return _detail_page(request, proposal, withdraw_form=form, status=400)


# --- assessments -----------------------------------------------------------------------------------------

def _assessor_only(request):
    streams = assessments.assessment_streams(request.user)
    if not streams:
        raise Http404
    return streams[0]


def _assessable_countries(user):
    if is_editor(user):
        return Country.objects.all()
    return Country.objects.filter(pk__in=assigned_country_ids(user)) if is_partner(user) else Country.objects.none()


@login_required
def assessment_list(request):
    stream = _assessor_only(request)
    return render(request, "ratings/assessment_list.html", {
        "assessments": list(assessments.assessments_visible(request.user)[:200]),
        "countries": _assessable_countries(request.user), "stream": stream,
    })


@login_required
def assessment_new(request):
    stream = _assessor_only(request)
    code = (request.GET.get("country") or request.POST.get("country") or "").upper()
    if not code:
        return redirect("ratings:assessment_list")
    country = get_object_or_404(_assessable_countries(request.user), code=code)
    methodology = methodology_config.load()
    draft = assessments.assessment_draft_for(actor=request.user, country=country, stream=stream)
    initial = {}
    if draft:
        initial["period_end"] = draft.period_end
        for answer in draft.answers.all():
            initial[f"q_{answer.question}"] = str(answer.value)
            initial[f"j_{answer.question}"] = answer.justification
    form = AssessmentForm(request.POST or None, methodology=methodology, initial=initial)
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        done, assessment = submit_form(form, lambda data: assessments.assessment_save(
            actor=request.user, country=country, stream=stream, period_end=data["period_end"],
            answers=form.answers(), submit=submit))
        if done:
            if submit:
                messages.success(request, _("Assessment submitted. It counts in the next guiding score."))
                return redirect("ratings:assessment_detail", assessment.pk)
            messages.success(request, _("Draft saved."))
            return redirect(f"{request.path}?country={country.code.lower()}")
    return render(request, "ratings/assessment_form.html", {
        "form": form, "country": country, "stream": stream, "draft": draft,
        "stream_label": Assessment.Stream(stream).label,
    }, status=400 if request.method == "POST" else 200)


@login_required
def assessment_detail(request, pk):
    _assessor_only(request)
    assessment = get_object_or_404(assessments.assessments_visible(request.user), pk=pk)
    try:
        methodology = methodology_config.load(assessment.form_version)
    except methodology_config.ConfigError:
        methodology = methodology_config.load()
    labels = dict(assessments.answer_labels(methodology=methodology))
    by_code = {a.question: a for a in assessment.answers.all()}
    rows = [(assessments.question_text(q), by_code.get(q.code)) for q in methodology.questions]
    return render(request, "ratings/assessment_detail.html", {"assessment": assessment, "rows": rows,
                                                              "labels": labels})
