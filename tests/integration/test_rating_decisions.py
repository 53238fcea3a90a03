"""Rating decisions end to end on the real reference data: proposals, panel votes (quorum, majority), the
editor's decision (which may differ), editions that freeze on publication (regular and interim), errata, the
audit trail; the staff screens and who may see them; the assessment coding form and its service."""
import datetime as dt
import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civicspace.accounts.models import Role
from civicspace.audit.models import AuditEvent
from civicspace.countries.models import Country
from civicspace.methodology import config as methodology_config
from civicspace.ratings.services import decisions
from civicspace.ratings.services.assessments import assessment_save
from civicspace.ratings.models import (
    Assessment,
    EditionDraft,
    Erratum,
    GuidingScore,
    PanelVote,
    PublishedRating,
    RatingEdition,
    RatingProposal,
)
from civicspace.ratings.services.scoring import scores_compute_all
from civicspace.ratings.selectors.editions import current_ratings
from tests.monitoring_fixtures import make_user

pytestmark = pytest.mark.django_db

QUESTIONS = [q.code for q in methodology_config.load().questions]


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kgz():
    return Country.objects.get(code="KGZ")


@pytest.fixture
def current(kgz):
    return next(r for r in current_ratings() if r.country_id == kgz.pk)


@pytest.fixture
def panel(people):
    """Three panel members with TOTP (the quorum of the active methodology is 3)."""
    return [people["panel"]] + [make_user(f"panel{n}@test.invalid", Role.PANEL, totp=True) for n in (2, 3)]


def _other(rating):
    return "obstructed" if rating != "obstructed" else "narrowed"


@pytest.fixture
def proposal(people, kgz, current):
    return decisions.proposal_open(actor=people["editor"], country=kgz, to_rating=_other(current.rating),
                                   reason="Test: mass detentions of journalists (synthetic).")


@pytest.fixture
def draft(people):
    newest = RatingEdition.objects.order_by("-published").first().published
    return decisions.draft_create(actor=people["editor"], publish_on=newest + dt.timedelta(days=30))


def vote_all(proposal, members, votes):
    for member, vote in zip(members, votes):
        decisions.proposal_vote(actor=member, proposal=proposal, vote=vote, comment=f"{vote} (test)")


def answers(value=3, *, skip=(), no_justification=()):
    return {code: (value, "" if code in no_justification else f"Facts for {code} (synthetic).")
            for code in QUESTIONS if code not in skip}


# --- permissions ---------------------------------------------------------------------------------------------

STAFF_URLS = ["/en/workspace/ratings/", "/en/workspace/ratings/proposals/{pk}/",
              "/en/workspace/ratings/editions/{draft}/publish/"]


def test_partners_get_404_anonymous_the_login_page_staff_get_in(people, proposal, draft):
    urls = [u.format(pk=proposal.pk, draft=draft.pk) for u in STAFF_URLS]
    for url in urls:
        assert Client().get(url).status_code == 302 and "/accounts/login/" in Client().get(url)["Location"]
        for role in ("partner", "partner_other_org"):
            assert signed_in(people[role]).get(url).status_code == 404, (role, url)
        for role in ("editor", "admin", "panel"):
            assert signed_in(people[role]).get(url).status_code == 200, (role, url)
    # A deactivated editor is signed out (login page), and the services refuse them.
    assert "/accounts/login/" in signed_in(people["deactivated"]).get(urls[0])["Location"]
    with pytest.raises(PermissionDenied):
        decisions.proposals_open_due(actor=people["deactivated"])
    with pytest.raises(PermissionDenied):
        decisions.proposal_vote(actor=people["deactivated"], proposal=proposal, vote="agree", comment="x")


def test_panel_votes_but_cannot_decide_editor_decides_but_cannot_vote(people, panel, proposal, draft):
    with pytest.raises(PermissionDenied):
        decisions.proposal_vote(actor=people["editor"], proposal=proposal, vote="agree", comment="no")
    with pytest.raises(PermissionDenied):
        decisions.proposal_decide(actor=panel[0], proposal=proposal, draft=draft, rating="open",
                                  rationale={"en": "no"})
    with pytest.raises(PermissionDenied):
        decisions.proposal_vote(actor=people["partner"], proposal=proposal, vote="agree", comment="no")
    # Through the screens: the panel's decide and the editor's vote are refused (403: they may see the page).
    editor, member = signed_in(people["editor"]), signed_in(panel[0])
    url = f"/en/workspace/ratings/proposals/{proposal.pk}/"
    assert editor.post(url + "vote/", {"vote": "agree", "comment": "x"}).status_code == 403
    assert member.post(url + "decide/", {"rating": "open", "draft": draft.pk, "rationale_en": "x"}).status_code == 403
    assert member.post(url + "withdraw/", {"reason": "x"}).status_code == 403
    assert member.post("/en/workspace/ratings/open-due/").status_code == 403
    assert member.post(f"/en/workspace/ratings/editions/{draft.pk}/publish/").status_code == 403
    assert signed_in(people["partner"]).post(url + "vote/", {"vote": "agree", "comment": "x"}).status_code == 404
    # The page shows the vote form to the panel and the decide form to editors, not the other way round.
    assert 'action="/en/workspace/ratings/proposals/%d/vote/"' % proposal.pk in member.get(url).content.decode()
    assert "/decide/" not in member.get(url).content.decode()
    page = editor.get(url).content.decode()
    assert "/decide/" in page and "/vote/" not in page


def test_quorum_and_majority(people, panel, proposal, draft):
    vote_all(proposal, panel[:2], ["agree", "agree"])
    tally = decisions.proposal_tally(proposal)
    assert tally["cast"] == 2 and not tally["quorum_met"] and not tally["carried"]
    with pytest.raises(ValidationError) as refused:
        decisions.proposal_decide(actor=people["editor"], proposal=proposal, draft=draft,
                                  rating=proposal.to_rating, rationale={"en": "Too early."})
    assert "proposal" in refused.value.message_dict
    # The screen says so too, and keeps the editor's text.
    response = signed_in(people["editor"]).post(f"/en/workspace/ratings/proposals/{proposal.pk}/decide/", {
        "rating": proposal.to_rating, "draft": draft.pk, "rationale_en": "Too early (kept text)."})
    assert response.status_code == 400
    assert "quorum" in text(response) and "Too early (kept text)." in text(response)

    vote_all(proposal, panel[2:], ["disagree"])
    tally = decisions.proposal_tally(proposal)
    assert tally["quorum_met"] and tally["counts"] == {"agree": 2, "disagree": 1, "abstain": 0} and tally["carried"]
    # A member changes their vote: it replaces the earlier one; 1 agree vs 1 disagree is not a majority.
    decisions.proposal_vote(actor=panel[0], proposal=proposal, vote="abstain", comment="On reflection, abstain.")
    tally = decisions.proposal_tally(proposal)
    assert PanelVote.objects.filter(proposal=proposal).count() == 3
    assert tally["counts"] == {"agree": 1, "disagree": 1, "abstain": 1} and tally["quorum_met"]
    assert not tally["carried"]
    with pytest.raises(ValidationError) as no_comment:
        decisions.proposal_vote(actor=panel[0], proposal=proposal, vote="agree", comment="  ")
    assert "comment" in no_comment.value.message_dict


def test_vote_and_decide_through_the_screens(people, panel, proposal, draft):
    url = f"/en/workspace/ratings/proposals/{proposal.pk}/"
    empty = signed_in(panel[0]).post(url + "vote/", {"vote": "agree", "comment": ""})
    assert empty.status_code == 400 and "Comment: This field is required." in text(empty)
    for member, vote in zip(panel, ["agree", "agree", "disagree"]):
        response = signed_in(member).post(url + "vote/", {"vote": vote, "comment": f"{vote} because (test)"})
        assert response.status_code == 302
    signed_in(panel[2]).post(url + "vote/", {"vote": "agree", "comment": "Changed my mind (test)."})
    page = text(signed_in(panel[1]).get(url))
    assert "Changed my mind (test)." in page and "3 agree · 0 disagree · 0 abstain" in page and "carried" in page

    editor = signed_in(people["editor"])
    no_rationale = editor.post(url + "decide/", {"rating": "closed", "draft": draft.pk, "rationale_en": ""})
    assert no_rationale.status_code == 400 and "Public rationale (English): This field is required." in text(
        no_rationale)
    response = editor.post(url + "decide/", {"rating": "closed", "draft": draft.pk,
                                             "rationale_en": "Decided (test).", "rationale_ru": "Решено (тест)."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "decided" and proposal.decision.rating == "closed"
    assert proposal.decision.rationale_ru == "Решено (тест)."
    listing = text(editor.get("/en/workspace/ratings/"))
    assert "Kyrgyzstan" in listing and "Decided and withdrawn" in listing


def test_an_editor_working_in_russian_keeps_each_language_of_the_rationale(people, panel, proposal, draft):
    vote_all(proposal, panel, ["agree", "agree", "agree"])
    response = signed_in(people["editor"]).post(f"/ru/workspace/ratings/proposals/{proposal.pk}/decide/", {
        "rating": proposal.to_rating, "draft": draft.pk, "rationale_en": "In English (test).",
        "rationale_ru": "По-русски (тест)."})
    assert response.status_code == 302
    decision = RatingProposal.objects.get(pk=proposal.pk).decision
    assert (decision.rationale_en, decision.rationale_ru, decision.rationale_fr) == (
        "In English (test).", "По-русски (тест).", "")


def test_decision_may_differ_and_a_regular_edition_freezes_with_every_country(people, panel, kgz, proposal, draft):
    countries_before = len(current_ratings())
    vote_all(proposal, panel, ["agree", "agree", "agree"])
    assert proposal.to_rating != "closed"
    decision = decisions.proposal_decide(actor=people["editor"], proposal=proposal, draft=draft, rating="closed",
                                         rationale={"en": "Worse than the score shows (test).", "fr": "Test."})
    assert decision.rating == "closed" and decision.rationale_fr == "Test."
    with pytest.raises(ValidationError):  # decided: no more votes
        decisions.proposal_vote(actor=panel[0], proposal=proposal, vote="agree", comment="late")

    confirm = signed_in(people["editor"]).get(f"/en/workspace/ratings/editions/{draft.pk}/publish/")
    assert "Kyrgyzstan" in text(confirm) and "every other country keeps its current rating" in text(confirm)
    assert signed_in(people["editor"]).post(f"/en/workspace/ratings/editions/{draft.pk}/publish/").status_code == 302
    draft.refresh_from_db()
    edition = draft.edition
    assert edition.is_complete and edition.ratings.count() == countries_before
    assert PublishedRating.objects.get(edition=edition, country=kgz).rating == "closed"
    assert next(r for r in current_ratings() if r.country_id == kgz.pk).rating == "closed"
    assert "Closed" in text(Client().get("/en/countries/kgz/"))
    # Frozen: no second publication, no decisions into it.
    with pytest.raises(ValidationError):
        decisions.draft_publish(actor=people["editor"], draft=draft)
    other = decisions.proposal_open(actor=people["editor"], country=Country.objects.get(code="KAZ"),
                                    to_rating="closed", reason="test")
    vote_all(other, panel, ["agree"] * 3)
    with pytest.raises(ValidationError) as frozen:
        decisions.proposal_decide(actor=people["editor"], proposal=other, draft=draft, rating="closed",
                                  rationale={"en": "x"})
    assert "draft" in frozen.value.message_dict


def test_interim_edition_only_rates_the_decided_countries(people, panel, kgz, proposal):
    newest = RatingEdition.objects.order_by("-published").first().published
    interim = decisions.draft_create(actor=people["editor"], publish_on=newest + dt.timedelta(days=10),
                                     kind=EditionDraft.Kind.INTERIM)
    with pytest.raises(ValidationError):  # nothing decided yet
        decisions.draft_publish(actor=people["editor"], draft=interim)
    vote_all(proposal, panel, ["agree", "agree", "abstain"])
    decisions.proposal_decide(actor=people["editor"], proposal=proposal, draft=interim, rating=proposal.to_rating,
                              rationale={"en": "Interim change (test)."})
    edition = decisions.draft_publish(actor=people["editor"], draft=interim)
    assert not edition.is_complete
    assert list(edition.ratings.values_list("country__code", "rating")) == [("KGZ", proposal.to_rating)]
    assert next(r for r in current_ratings() if r.country_id == kgz.pk).rating == proposal.to_rating


def test_withdraw_and_erratum_are_recorded(people, kgz, proposal, current):
    response = signed_in(people["editor"]).post(f"/en/workspace/ratings/proposals/{proposal.pk}/withdraw/",
                                                {"reason": "Opened by mistake (test)."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    edition = current.edition
    with pytest.raises(ValidationError) as no_reason:
        decisions.erratum_record(actor=people["editor"], edition=edition, country=kgz, rating="closed", score=None,
                                 reason="")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(PermissionDenied):
        decisions.erratum_record(actor=people["panel"], edition=edition, country=kgz, rating="closed", score=None,
                                 reason="x")
    erratum = decisions.erratum_record(actor=people["editor"], edition=edition, country=kgz, rating="closed",
                                       score=None, reason="Typo in the source (test).")
    assert erratum.rating_before == current.rating and erratum.rating_after == "closed"
    assert PublishedRating.objects.get(edition=edition, country=kgz).rating == "closed"
    assert Erratum.objects.filter(edition=edition, country=kgz).count() == 1
    assert AuditEvent.objects.filter(action="ratings.erratum_record", target_id=str(erratum.pk)).exists()


def test_every_step_writes_an_audit_event(people, panel, proposal, draft):
    vote_all(proposal, panel, ["agree", "agree", "agree"])
    decisions.proposal_decide(actor=people["editor"], proposal=proposal, draft=draft, rating=proposal.to_rating,
                              rationale={"en": "Audited (test)."})
    edition = decisions.draft_publish(actor=people["editor"], draft=draft)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id"))
    assert ("ratings.proposal_open", people["editor"].pk) in actions
    assert ("ratings.draft_create", people["editor"].pk) in actions
    assert sum(1 for a, _ in actions if a == "ratings.proposal_vote") == 3
    assert ("ratings.proposal_decide", people["editor"].pk) in actions
    assert ("ratings.draft_publish", people["editor"].pk) in actions
    assert AuditEvent.objects.get(action="ratings.draft_publish").target_id == str(edition.pk)


def test_the_score_rule_opens_proposals_from_the_screen(people, kgz):
    scores_compute_all(as_of=dt.date.today())
    response = signed_in(people["editor"]).post("/en/workspace/ratings/open-due/", follow=True)
    assert response.status_code == 200
    opened = list(RatingProposal.objects.filter(status="open"))
    hysteresis = methodology_config.load().decisions.hysteresis
    for p in opened:
        assert p.score_id and p.opened_by == people["editor"] and p.from_rating != p.to_rating
        assert str(hysteresis).rstrip("0").rstrip(".") in p.reason
    if opened:
        detail = text(signed_in(people["panel"]).get(f"/en/workspace/ratings/proposals/{opened[0].pk}/"))
        assert "Contributions" in detail and "External indices used" in detail


def test_evidence_pack_shows_the_score_contributions_and_indices(people, kgz, current):
    scores_compute_all(as_of=dt.date.today(), country_ids=[kgz.pk])
    proposal = decisions.proposal_open(actor=people["editor"], country=kgz, to_rating=_other(current.rating),
                                       reason="Evidence pack (test).")
    score = GuidingScore.objects.get(pk=proposal.score_id)
    page = text(signed_in(people["panel"]).get(f"/en/workspace/ratings/proposals/{proposal.pk}/"))
    total = sum(c["points"] for c in score.result["contributions"])
    assert abs(total - float(score.score)) < 0.01
    assert f"Total {total:.2f}" in page
    assert "External indices" in page and "Published ratings" in page and current.edition.title in page
    assert "Guiding score history" in page and "Evidence pack (test)." in page


# --- assessments -----------------------------------------------------------------------------------------------

def test_assessment_save_validates_and_names_the_question(people, kgz):
    partner = people["partner"]
    with pytest.raises(ValidationError) as missing:
        assessment_save(actor=partner, country=kgz, stream="partner", period_end=dt.date.today(),
                        answers=answers(skip=QUESTIONS[:2], no_justification=QUESTIONS[2:3]), submit=True)
    errors = missing.value.message_dict
    assert set(errors) == set(QUESTIONS[:3])
    question = methodology_config.load().questions[2].text["en"]
    assert question in errors[QUESTIONS[2]][0] and "justification" in errors[QUESTIONS[2]][0]
    with pytest.raises(ValidationError) as out_of_scale:
        assessment_save(actor=partner, country=kgz, stream="partner", period_end=dt.date.today(),
                        answers={QUESTIONS[0]: (7, "x")}, submit=False)
    assert QUESTIONS[0] in out_of_scale.value.message_dict
    with pytest.raises(ValidationError) as future:
        assessment_save(actor=partner, country=kgz, stream="partner", period_end=dt.date.today() + dt.timedelta(1),
                        answers=answers(), submit=True)
    assert "period_end" in future.value.message_dict
    # Who may code what: partners their assigned countries in the partner stream, editors in-house, not the panel.
    kaz = Country.objects.get(code="KAZ")
    for actor, country, stream in [(partner, kaz, "partner"), (partner, kgz, "inhouse"),
                                   (people["editor"], kgz, "partner"), (people["panel"], kgz, "inhouse"),
                                   (people["deactivated"], kgz, "inhouse")]:
        with pytest.raises(PermissionDenied):
            assessment_save(actor=actor, country=country, stream=stream, period_end=dt.date.today(),
                            answers=answers(), submit=True)
    assert not Assessment.objects.exists()
    # A draft may be half-way; saving again continues it; submitting completes it. Each step is audited.
    draft = assessment_save(actor=partner, country=kgz, stream="partner", period_end=dt.date.today(),
                            answers=answers(skip=QUESTIONS[3:]), submit=False)
    assert draft.status == "draft" and draft.answers.count() == 3 and draft.organisation == people["kgz_org"]
    done = assessment_save(actor=partner, country=kgz, stream="partner", period_end=dt.date.today(),
                           answers=answers(), submit=True)
    assert done.pk == draft.pk and done.status == "submitted" and done.answers.count() == len(QUESTIONS)
    assert [(e.action, e.data["submitted"]) for e in AuditEvent.objects.filter(
        target_id=str(done.pk), action__startswith="ratings.assessment").order_by("pk")] == [
        ("ratings.assessment_save", False), ("ratings.assessment_save", True)]


def test_submitted_assessments_change_the_guiding_score(people, kgz):
    today = dt.date.today()
    scores_compute_all(as_of=today, country_ids=[kgz.pk])
    before = GuidingScore.objects.get(country=kgz, as_of=today)
    assert "partner" not in before.result["stream_scores"]
    assessment_save(actor=people["partner"], country=kgz, stream="partner", period_end=today,
                    answers=answers(4), submit=True)
    assessment_save(actor=people["editor"], country=kgz, stream="inhouse", period_end=today,
                    answers=answers(4), submit=True)
    scores_compute_all(as_of=today, country_ids=[kgz.pk])
    after = GuidingScore.objects.get(country=kgz, as_of=today)
    assert {"partner", "inhouse"} <= set(after.result["stream_scores"])
    assert "partner" not in after.result["missing_streams"]
    assert after.score > before.score  # every answer "fully": a freer country by the assessments


def test_assessment_screens(people, kgz):
    partner = signed_in(people["partner"])
    assert partner.get("/en/workspace/assessments/").status_code == 200
    form = partner.get("/en/workspace/assessments/new/?country=kgz")
    assert form.status_code == 200
    question = methodology_config.load().questions[0]
    assert question.text["en"] in text(form) and "Not at all" in text(form)
    russian = text(partner.get("/ru/workspace/assessments/new/?country=kgz"))
    assert question.text["ru"] in russian and "Совсем нет" in russian
    assert partner.get("/en/workspace/assessments/new/?country=kaz").status_code == 404  # not assigned
    for role in ("panel",):
        assert signed_in(people[role]).get("/en/workspace/assessments/").status_code == 404
    assert "/accounts/login/" in Client().get("/en/workspace/assessments/")["Location"]

    data = {"country": "kgz", "period_end": dt.date.today().isoformat(), "action": "submit",
            f"q_{QUESTIONS[0]}": "3", f"j_{QUESTIONS[0]}": ""}
    refused = partner.post("/en/workspace/assessments/new/", data)
    assert refused.status_code == 400
    page = text(refused)
    assert question.text["en"] in page and "a justification is required" in page
    data["action"] = "draft"
    data[f"j_{QUESTIONS[0]}"] = "Registration refused to two NGOs (synthetic)."
    assert partner.post("/en/workspace/assessments/new/", data).status_code == 302
    again = text(partner.get("/en/workspace/assessments/new/?country=kgz"))
    assert "Registration refused to two NGOs (synthetic)." in again and "continuing your draft" in again
    data.update({"action": "submit", **{f"q_{c}": "2" for c in QUESTIONS[1:]},
                 **{f"j_{c}": "Facts (synthetic)." for c in QUESTIONS[1:]}})
    response = partner.post("/en/workspace/assessments/new/", data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.status == "submitted" and assessment.stream == "partner"
    assert "Registration refused" in text(partner.get(response["Location"]))
    # The other organisation's partner for Kyrgyzstan does not see it; editors do, in-house for any country.
    assert signed_in(people["partner_other_org"]).get(f"/en/workspace/assessments/{assessment.pk}/").status_code == 404
    editor = signed_in(people["editor"])
    assert editor.get(f"/en/workspace/assessments/{assessment.pk}/").status_code == 200
    assert editor.get("/en/workspace/assessments/new/?country=fra").status_code == 200
    workspace = editor.get("/en/workspace/").content.decode()
    assert 'href="/en/workspace/ratings/"' in workspace and 'href="/en/workspace/assessments/"' in workspace
    panel_workspace = signed_in(people["panel"]).get("/en/workspace/").content.decode()
    assert 'href="/en/workspace/ratings/"' in panel_workspace and "/workspace/assessments/" not in panel_workspace


def test_the_errata_screen_records_a_correction_and_refuses_a_score_outside_the_band(people, kgz, current):
    editor = signed_in(people["editor"])
    edition = current.edition
    bad = editor.post("/en/workspace/ratings/errata/new/", {
        "edition": edition.slug, "country": "KGZ", "rating": "closed", "score": "55", "reason": "Typo."})
    assert bad.status_code == 400 and "The score is not in the band of the rating." in html.unescape(text(bad))
    assert not edition.errata.exists()
    response = editor.post("/en/workspace/ratings/errata/new/", {
        "edition": edition.slug, "country": "KGZ", "rating": current.rating, "score": "33.19",
        "reason": "The score was mistyped in the release."})
    assert response.status_code == 302 and response["Location"].endswith(f"/ratings/changes/{edition.slug}/")
    page = text(Client().get(f"/en/ratings/changes/{edition.slug}/"))
    assert "Errata" in page and "The score was mistyped in the release." in page
    # The panel may read the screens but not correct an edition; partners do not see them at all.
    assert signed_in(people["panel"]).post("/en/workspace/ratings/errata/new/", {}).status_code == 403
    assert signed_in(people["partner"]).post("/en/workspace/ratings/errata/new/", {}).status_code == 404


def test_the_assessment_form_shows_a_service_error_given_as_a_list(people, monkeypatch):
    """A ValidationError without fields (as model validation raises) is shown on the form; the view once read
    its message_dict and answered 500. Nothing is saved."""
    from civicspace.ratings.services import assessments

    def refuse(**kwargs):
        raise ValidationError(["The assessment period overlaps a submitted one (test)."])
    monkeypatch.setattr(assessments, "assessment_save", refuse)
    data = {"country": "kgz", "period_end": dt.date.today().isoformat(), "action": "draft",
            f"q_{QUESTIONS[0]}": "3", f"j_{QUESTIONS[0]}": "Facts (synthetic)."}
    response = signed_in(people["partner"]).post("/en/workspace/assessments/new/", data)
    assert response.status_code == 400
    assert "The assessment period overlaps a submitted one (test)." in text(response)
    assert not Assessment.objects.exists()
