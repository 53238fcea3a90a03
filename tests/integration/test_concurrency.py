"""Two people submit the same change at the same moment, on PostgreSQL with two real connections (one thread
each, released together by a barrier): exactly one wins, the other is told why on the page, and nobody gets a
server error. Each service's audit call is slowed down inside its transaction, so the two requests overlap
for certain: before the services locked their rows, both passed their checks (publishing one rating draft
twice ended in an IntegrityError, deciding a proposal twice too, verifying a stage twice wrote it twice)."""
import datetime as dt
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.urls import reverse

from civicspace.accounts.models import Role
from civicspace.audit.models import AuditEvent
from civicspace.countries.models import Country, Region
from civicspace.legislation import services as legislation_services
from civicspace.legislation.models import Bill, StageEvent
from civicspace.ratings.models import (
    EditionDraft,
    PanelVote,
    PublishedRating,
    RatingDecision,
    RatingEdition,
    RatingProposal,
)
from civicspace.ratings.services import decisions
from civicspace.watchlist import services as watchlist_services
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry
from tests.monitoring_fixtures import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def country(transactional_db):
    region = Region.objects.create(code="test-region", name="Test region (synthetic)")
    return Country.objects.create(code="TST", name="Testland (synthetic)", monitor_name="Testland (synthetic)",
                                  region=region)


@pytest.fixture
def editors(country):
    return [make_user(f"editor{n}@test.invalid", Role.EDITOR, totp=True) for n in (1, 2)]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def overlap(monkeypatch):
    """Hold each service's transaction open a moment after its checks, where the audit event is written."""
    def slow(module):
        original = module.audit_event_record

        def held(**kwargs):
            time.sleep(0.3)
            return original(**kwargs)
        monkeypatch.setattr(module, "audit_event_record", held)
    return slow


def race(*posts):
    """Run the posts at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def run(index, post):
        try:
            barrier.wait(timeout=30)
            response = post()
            results[index] = (response.status_code, [str(m) for m in get_messages(response.wsgi_request)])
        except Exception as error:  # a 500 raises here (the test client re-raises the view's exception)
            results[index] = ("exception", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def one_won(results, refusal):
    statuses = [status for status, _messages in results]
    assert statuses == [302, 302], results
    refused = [messages for _status, messages in results if any(refusal in m for m in messages)]
    assert len(refused) == 1, results


def test_publishing_one_rating_draft_twice(editors, overlap):
    overlap(decisions)
    draft = EditionDraft.objects.create(kind=EditionDraft.Kind.REGULAR, publish_on=dt.date(2031, 1, 15))
    url = reverse("ratings:draft_publish", args=[draft.pk])
    clients = [signed_in(editor) for editor in editors]
    before = RatingEdition.objects.count()  # the reference editions loaded for the session
    results = race(*[lambda c=c: c.post(url) for c in clients])
    one_won(results, "already published")
    assert RatingEdition.objects.count() == before + 1
    assert EditionDraft.objects.get(pk=draft.pk).edition.code == "CSM 2031-01-15"
    assert AuditEvent.objects.filter(action="ratings.draft_publish").count() == 1


def test_deciding_one_proposal_twice(country, editors, overlap):
    overlap(decisions)
    edition = RatingEdition.objects.create(code="TEST 2030", slug="test-2030-12", published=dt.date(2030, 12, 1),
                                           published_precision="day", coverage="complete")
    PublishedRating.objects.create(edition=edition, country=country, rating="obstructed",
                                   source_url="https://example.org/test")
    proposal = RatingProposal.objects.create(country=country, from_rating="obstructed", to_rating="repressed",
                                             reason="Test (synthetic).")
    for n in range(3):
        member = make_user(f"member{n}@test.invalid", Role.PANEL, totp=True)
        PanelVote.objects.create(proposal=proposal, member=member, vote="agree", comment="Test.")
    draft = EditionDraft.objects.create(kind=EditionDraft.Kind.INTERIM, publish_on=dt.date(2031, 1, 15))
    url = reverse("ratings:proposal_decide", args=[proposal.pk])
    clients = [signed_in(editor) for editor in editors]
    posts = [lambda c=c, r=r: c.post(url, {"rating": r, "draft": draft.pk, "rationale_en": f"Test {r}."})
             for c, r in zip(clients, ("repressed", "closed"))]
    results = race(*posts)
    # The winner is redirected; the other sees the proposal page again (400) with the reason on the form.
    assert sorted(status for status, _m in results) == [302, 400], results
    assert RatingDecision.objects.count() == 1
    assert RatingProposal.objects.get(pk=proposal.pk).status == RatingProposal.Status.DECIDED
    assert AuditEvent.objects.filter(action="ratings.proposal_decide").count() == 1


def test_deciding_one_proposal_twice_shows_the_reason(country, editors):
    """The same refusal, one after the other, read on the page the loser gets."""
    edition = RatingEdition.objects.create(code="TEST 2030", slug="test-2030-12", published=dt.date(2030, 12, 1),
                                           published_precision="day", coverage="complete")
    PublishedRating.objects.create(edition=edition, country=country, rating="obstructed",
                                   source_url="https://example.org/test")
    proposal = RatingProposal.objects.create(country=country, from_rating="obstructed", to_rating="repressed")
    for n in range(3):
        member = make_user(f"member{n}@test.invalid", Role.PANEL, totp=True)
        PanelVote.objects.create(proposal=proposal, member=member, vote="agree", comment="Test.")
    draft = EditionDraft.objects.create(kind=EditionDraft.Kind.INTERIM, publish_on=dt.date(2031, 1, 15))
    stale = RatingProposal.objects.get(pk=proposal.pk)
    decisions.proposal_decide(actor=editors[0], proposal=proposal, draft=draft, rating="repressed",
                              rationale={"en": "Test."})
    with pytest.raises(Exception) as refused:
        decisions.proposal_decide(actor=editors[1], proposal=stale, draft=draft, rating="closed",
                                  rationale={"en": "Test."})
    assert "no longer open" in str(refused.value)
    response = signed_in(editors[1]).post(reverse("ratings:proposal_decide", args=[proposal.pk]),
                                          {"rating": "closed", "draft": draft.pk, "rationale_en": "Test."})
    assert response.status_code == 400 and "This proposal is no longer open." in response.content.decode()
    assert RatingDecision.objects.get().rating == "repressed"


@pytest.fixture
def watchlist_edition(country):
    edition = WatchlistEdition.objects.create(slug="2031-03-01", target_date=dt.date(2031, 3, 1),
                                              pr_title_en="Test press release (synthetic)")
    WatchlistEntry.objects.create(edition=edition, country=country, position=1, rationale_en="Test rationale.")
    return edition


def test_publishing_one_watchlist_edition_twice(editors, watchlist_edition, overlap):
    overlap(watchlist_services)
    url = reverse("watchlist:publish", args=[watchlist_edition.slug])
    clients = [signed_in(editor) for editor in editors]
    results = race(*[lambda c=c: c.post(url) for c in clients])
    one_won(results, "can no longer be changed")
    assert AuditEvent.objects.filter(action="watchlist.edition_publish").count() == 1


def test_a_rationale_saved_while_the_edition_is_published(editors, watchlist_edition, overlap):
    """Either the rationale is saved before publication (and published with it) or it is refused."""
    overlap(watchlist_services)
    entry = watchlist_edition.entries.get()
    publish = reverse("watchlist:publish", args=[watchlist_edition.slug])
    save = reverse("watchlist:entry_update", args=[watchlist_edition.slug, entry.pk, "rationale"])
    first, second = signed_in(editors[0]), signed_in(editors[1])
    prefix = f"entry{entry.pk}"
    results = race(lambda: first.post(publish),
                   lambda: second.post(save, {f"{prefix}-lang": "en", f"{prefix}-text": "Changed (test).",
                                              f"{prefix}-status": "reviewed"}))
    assert [status for status, _m in results] == [302, 302], results
    entry.refresh_from_db()
    saved = AuditEvent.objects.filter(action="watchlist.rationale_save").exists()
    published = AuditEvent.objects.get(action="watchlist.edition_publish")
    assert entry.rationale_en == ("Changed (test)." if saved else "Test rationale.")
    if saved:  # it was saved first: the publication came after it
        assert AuditEvent.objects.get(action="watchlist.rationale_save").pk < published.pk
    else:
        assert any("can no longer be changed" in m for m in results[1][1]), results


@pytest.fixture
def bill(country):
    return Bill.objects.create(country=country, short_title_en="Test bill (synthetic)", category="foreign_agent",
                               direction="restrictive", original_language="en")


def test_verifying_one_proposed_stage_twice(editors, bill, overlap):
    overlap(legislation_services)
    event = StageEvent.objects.create(bill=bill, stage="introduced", date=dt.date(2024, 2, 1), verified=False)
    url = reverse("legislation:stage_decide", args=[event.pk, "verify"])
    clients = [signed_in(editor) for editor in editors]
    results = race(*[lambda c=c: c.post(url) for c in clients])
    one_won(results, "already verified")
    assert AuditEvent.objects.filter(action="legislation.stage_verify").count() == 1


def test_verifying_and_removing_one_stage_at_once(editors, bill, overlap):
    overlap(legislation_services)
    event = StageEvent.objects.create(bill=bill, stage="introduced", date=dt.date(2024, 2, 1), verified=False)
    first, second = signed_in(editors[0]), signed_in(editors[1])
    results = race(lambda: first.post(reverse("legislation:stage_decide", args=[event.pk, "verify"])),
                   lambda: second.post(reverse("legislation:stage_decide", args=[event.pk, "delete"])))
    assert [status for status, _m in results] == [302, 302], results
    verified = AuditEvent.objects.filter(action="legislation.stage_verify").exists()
    assert AuditEvent.objects.filter(action="legislation.stage_delete").exists()
    assert not StageEvent.objects.filter(pk=event.pk).exists()
    if not verified:  # the removal came first: the verification was told so
        assert any("removed in the meantime" in m for m in results[0][1]), results


def test_adding_one_stage_twice(editors, bill, overlap):
    overlap(legislation_services)
    url = reverse("legislation:stage_add", args=[bill.pk])
    clients = [signed_in(editor) for editor in editors]
    results = race(*[lambda c=c: c.post(url, {"stage": "introduced", "date": "2024-02-01", "note": ""})
                     for c in clients])
    assert sorted(status for status, _m in results) == [302, 400], results
    assert StageEvent.objects.filter(bill=bill, stage="introduced", verified=True).count() == 1
    assert AuditEvent.objects.filter(action="legislation.stage_add").count() == 1
