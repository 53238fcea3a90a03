"""`make run` sets up with migrate, load_reference_data, load_demo_content, search_reindex and compute_scores,
and promises that running it again changes nothing. It must also keep working whatever editors did in
between: once a proposal referred to today's guiding score, the next run stopped in compute_scores with
ProtectedError. The scores a proposal refers to are its evidence and are never deleted or changed."""
import datetime as dt
import io

import pytest
from django.core.management import call_command

from civicspace.countries.models import Country
from civicspace.ratings.models import GuidingScore, RatingDecision, RatingProposal
from civicspace.ratings.selectors.editions import current_ratings
from civicspace.ratings.services import decisions
from civicspace.ratings.services.scoring import latest_scores

pytestmark = pytest.mark.django_db

SETUP = [("migrate", {"interactive": False, "verbosity": 0}), ("load_reference_data", {}),
         ("load_demo_content", {}), ("search_reindex", {}), ("compute_scores", {})]


def make_run_setup():
    for name, options in SETUP:
        call_command(name, stdout=io.StringIO(), **options)


def _snapshot(score):
    return (score.country_id, score.as_of, score.version, score.score, score.interval_low, score.interval_high,
            score.band, score.inputs, score.result)


def test_setup_runs_twice_around_an_opened_and_a_decided_proposal(people):
    # The test database was set up by the same commands (tests/conftest.py); editors act, then it runs twice.
    kgz, kaz = Country.objects.get(code="KGZ"), Country.objects.get(code="KAZ")
    if not GuidingScore.objects.filter(as_of=dt.date.today()).exists():
        # The database was set up before midnight: today's scores are the ones the proposals must refer to.
        call_command("compute_scores", stdout=io.StringIO())
    ratings = {r.country_id: r.rating for r in current_ratings()}
    other = {c: "obstructed" if ratings[c.pk] != "obstructed" else "narrowed" for c in (kgz, kaz)}
    opened = decisions.proposal_open(actor=people["editor"], country=kgz, to_rating=other[kgz],
                                     reason="Test: restart safety (synthetic).")
    decided = decisions.proposal_open(actor=people["editor"], country=kaz, to_rating=other[kaz],
                                      reason="Test: restart safety (synthetic).")
    draft = decisions.draft_create(actor=people["editor"], publish_on=dt.date.today() + dt.timedelta(days=40))
    RatingProposal.objects.filter(pk=decided.pk).update(status=RatingProposal.Status.DECIDED)
    RatingDecision.objects.create(proposal=decided, draft=draft, rating=other[kaz], rationale="Test.",
                                  score=decided.score.score)
    assert opened.score.as_of == dt.date.today()  # the score this run's compute_scores replaces
    evidence = {p.pk: _snapshot(GuidingScore.objects.get(pk=p.score_id)) for p in (opened, decided)}

    make_run_setup()
    today_rows = GuidingScore.objects.filter(as_of=dt.date.today()).count()
    make_run_setup()

    for proposal in (opened, decided):
        proposal.refresh_from_db()
        assert _snapshot(GuidingScore.objects.get(pk=proposal.score_id)) == evidence[proposal.pk]
    assert RatingProposal.objects.get(pk=opened.pk).status == RatingProposal.Status.OPEN
    assert RatingDecision.objects.get(proposal=decided).draft_id == draft.pk
    # Again changes nothing: the same number of rows for today; the newest score of each country is a new row.
    assert GuidingScore.objects.filter(as_of=dt.date.today()).count() == today_rows
    newest = latest_scores([kgz.pk, kaz.pk])
    assert newest[kgz.pk].pk != opened.score_id and newest[kgz.pk].as_of == dt.date.today()
