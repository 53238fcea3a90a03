"""Right of reply and corrections (issue 21): the public form, the signed confirmation link that gates what
editors see, throttling and the honeypot, the editors' three decisions, stale and concurrent decisions, a
government's challenge to a rating before the panel, and the public record (page, feed, API, data release)."""
import datetime as dt
import io
import re
import zipfile  # noqa: F401

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from civicspace.audit.models import AuditEvent
from civicspace.corrections import services
from civicspace.corrections.models import CorrectionRequest, State
from civicspace.countries.models import Country
from civicspace.exports import selectors as export_selectors
from civicspace.jobs.models import OutgoingEmail
from civicspace.monitoring.models import Update
from civicspace.ratings.models import RatingEdition
from civicspace.ratings.selectors.editions import current_ratings
from civicspace.ratings.services import decisions
from tests.monitoring_fixtures import make_user
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

from civicspace.accounts.models import Role

pytestmark = pytest.mark.django_db
TYPED = "CANARY-typed-by-requester-7c1d"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def update():
    return Update.objects.get(import_key="kgz-2024-03-05")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(**extra):
    return {"request_type": "correction", "name": f"{TYPED} name", "organisation": f"{TYPED} org",
            "role": "Press officer", "email": "requester@test.invalid", "language": "en",
            "text": f"{TYPED}: the date of the raid is wrong.", "evidence_links": "https://example.org/evidence",
            "website": "", **extra}


def filed(update, *, confirm=True, **extra):
    data = {"request_type": "correction", "item_kind": "update", "item_ref": update.pk, "name": "Requester (test)",
            "organisation": "Ministry (test)", "role": "Spokesperson", "email": "requester@test.invalid",
            "text": f"{TYPED}: please correct.", "language": "en", **extra}
    request = services.correction_request_submit(**data)
    if confirm:
        request = services.correction_request_confirm(token=services.confirm_token(request.pk))
    return request


def public_outputs(client, update):
    return "".join(client.get(url).content.decode() for url in (
        f"/en/updates/{update.pk}/", "/en/corrections/", "/en/corrections/feed/", "/api/v1/corrections",
        "/en/corrections/?type=reply", "/en/countries/kgz/"))


def test_the_confirmation_link_gates_what_editors_see(people, update, smtp_inbox,
                                                      django_capture_on_commit_callbacks):
    client, editor = Client(), signed_in(people["editor"])
    page = client.get(f"/en/corrections/new/update/{update.pk}/")
    assert page.status_code == 200 and 'name="website"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail job runs when the request commits
        response = client.post(f"/en/corrections/new/update/{update.pk}/", form_data())
    assert response.status_code == 302 and response["Location"] == "/en/corrections/sent/"
    thanks = client.get(response["Location"]).content.decode()
    assert TYPED not in thanks and "requester@test.invalid" not in thanks  # nothing typed is echoed
    request = CorrectionRequest.objects.get()
    assert request.state == State.UNCONFIRMED and request.evidence_links == ["https://example.org/evidence"]
    # Before confirmation editors see nothing of it.
    assert TYPED not in editor.get("/en/workspace/corrections/").content.decode()
    assert editor.get(f"/en/workspace/corrections/{request.pk}/").status_code == 404
    assert TYPED not in public_outputs(client, update)
    # The e-mail (through a real SMTP server) carries the signed link; a GET only shows the button.
    [message] = smtp_inbox.to("requester@test.invalid")
    path = re.search(r"https?://[^/\s]+(/en/corrections/confirm/[^\s]+/)", message["body"]).group(1)
    assert "Send your request" in client.get(path).content.decode()
    assert CorrectionRequest.objects.get().state == State.UNCONFIRMED
    assert client.post(path.replace("/confirm/", "/confirm/x")).status_code == 400  # a forged link
    assert client.post(path).status_code == 200
    request.refresh_from_db()
    assert request.state == State.PENDING and request.confirmed_at
    assert client.post(path).status_code == 200  # again: nothing changes
    queue = editor.get("/en/workspace/corrections/").content.decode()
    assert f"/en/workspace/corrections/{request.pk}/" in queue and "waiting since" in queue
    assert TYPED in editor.get(f"/en/workspace/corrections/{request.pk}/").content.decode()
    assert TYPED not in public_outputs(client, update)  # confirmed, still not public
    assert list(AuditEvent.objects.filter(action__startswith="corrections.").values_list("action", flat=True)
                .order_by("pk")) == ["corrections.correction_request_submit", "corrections.correction_request_confirm"]


def test_honeypot_throttle_and_bad_input_save_nothing(update, settings):
    client, url = Client(), f"/en/corrections/new/update/{update.pk}/"
    assert client.post(url, form_data(website="http://spam.example")).status_code == 302
    assert not CorrectionRequest.objects.exists() and not OutgoingEmail.objects.exists()
    bad = client.post(url, form_data(text="x" * 5001, evidence_links="not a link"))
    assert bad.status_code == 400 and not CorrectionRequest.objects.exists()
    assert "Links to evidence" in bad.content.decode()
    assert client.post(url, form_data(evidence_links="https://a.example\njavascript:alert(1)")).status_code == 400
    assert not CorrectionRequest.objects.exists()
    assert client.post("/en/corrections/new/update/999999/", form_data()).status_code == 404
    # Per address: the same e-mail from other IPs (every attempt counts, refused ones too).
    cache.clear()
    settings.CORRECTIONS_PER_ADDRESS_PER_DAY = 2
    for n in range(2):
        assert client.post(url, form_data(), REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    refused = client.post(url, form_data(), REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    assert CorrectionRequest.objects.count() == 2
    # Per IP: other addresses from one IP.
    settings.CORRECTIONS_PER_IP_PER_HOUR = 3
    for n in range(3):
        client.post(url, form_data(email=f"other{n}@test.invalid"), REMOTE_ADDR="10.0.1.1")
    assert client.post(url, form_data(email="last@test.invalid"), REMOTE_ADDR="10.0.1.1").status_code == 429
    assert not CorrectionRequest.objects.filter(requester_email="last@test.invalid").exists()


def test_publish_reply_accept_with_note_and_decline(people, update, smtp_inbox, settings,
                                                    django_capture_on_commit_callbacks):
    client, editor = Client(), signed_in(people["editor"])
    settings.PAGE_CACHE_SECONDS = 600  # the whole-page cache on: a decision must start a new generation
    assert client.get(f"/en/updates/{update.pk}/")["X-Page-Cache"] == "miss"
    assert client.get(f"/en/updates/{update.pk}/")["X-Page-Cache"] == "hit"
    reply = filed(update, request_type="reply", language="ru", text="Ответ министерства (тест).")
    correction = filed(update)
    declined = filed(update, email="declined@test.invalid", text="CANARY-declined-3b9f wrong everything")
    # Reply: the editor names the party, may trim the text, adds an English translation.
    response = editor.post(f"/en/workspace/corrections/{reply.pk}/reply/", {
        "version": reply.version, "party": "Ministry of Culture (test)", "reply_text": "Ответ министерства (тест).",
        "translation_en": "The ministry's reply (test)."})
    assert response.status_code == 302
    # Accept: the editor changed the update through its own screen (monitoring.update_edit), then the note.
    detail = editor.get(f"/en/workspace/corrections/{correction.pk}/").content.decode()
    assert f"/en/workspace/updates/{update.pk}/edit/" in detail
    assert editor.post(f"/en/workspace/corrections/{correction.pk}/accept/", {
        "version": correction.version, "note": "The date of the raid was corrected from 15 to 16 January."
    }).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(f"/en/workspace/corrections/{declined.pk}/decline/", {
            "version": declined.version, "reason": "The sources confirm the date (test)."}).status_code == 302
    page = client.get(f"/en/updates/{update.pk}/").content.decode()
    assert "Reply from Ministry of Culture (test), a party named here" in page
    assert "The ministry&#x27;s reply (test)." in page and "Translated by the editors from Russian" in page
    assert "Ответ министерства" in client.get(f"/ru/updates/{update.pk}/").content.decode()
    assert "Corrected on" in page and "corrected from 15 to 16 January" in page
    assert page.index("corrected-banner") < page.index("<h2")  # also said under the title, linked to the note
    everything = public_outputs(client, update)
    assert "CANARY-declined-3b9f" not in everything and "The sources confirm" not in everything
    assert "requester@test.invalid" not in everything and "Requester (test)" not in everything
    [message] = smtp_inbox.to("declined@test.invalid")[-1:]
    assert "The sources confirm the date (test)." in message["body"]
    assert set(AuditEvent.objects.filter(action__in=[
        "corrections.correction_reply_publish", "corrections.correction_accept", "corrections.correction_decline"])
        .values_list("action", flat=True)) == {"corrections.correction_reply_publish", "corrections.correction_accept",
                                               "corrections.correction_decline"}


def test_stale_or_concurrent_decisions_get_a_clear_message(people, update):
    editor = signed_in(people["editor"])
    request = filed(update)
    stale = editor.post(f"/en/workspace/corrections/{request.pk}/accept/", {"version": request.version + 1,
                                                                         "note": "Changed (test)."})
    assert stale.status_code == 400 and "Someone else changed this request" in stale.content.decode()
    assert CorrectionRequest.objects.get(pk=request.pk).state == State.PENDING
    services.correction_accept(request=request, actor=people["admin"], expected_version=request.version,
                               note="First (test).")
    second = editor.post(f"/en/workspace/corrections/{request.pk}/decline/", {"version": request.version,
                                                                           "reason": "Second (test)."})
    assert second.status_code == 400 and "already decided" in second.content.decode()
    request.refresh_from_db()
    assert request.state == State.ACCEPTED and request.decline_reason == "" and request.correction_note == "First (test)."
    assert not OutgoingEmail.objects.filter(key=f"corrections:{request.pk}:decline").exists()
    # Partners and the panel do not know the queue exists.
    assert signed_in(people["partner"]).get("/en/workspace/corrections/").status_code == 404


def test_a_governments_challenge_goes_to_the_panel_and_must_be_answered(people, update):
    kgz = Country.objects.get(code="KGZ")
    current = next(r for r in current_ratings() if r.country_id == kgz.pk)
    challenge = services.correction_request_submit(
        request_type="correction", item_kind="rating", item_ref="kgz", name="Official (test)",
        organisation="Ministry of Foreign Affairs (test)", role="Deputy minister", email="gov@test.invalid",
        text="CANARY-challenge-5e2a The rating ignores the new law on NGOs.", language="en",
        represents_government=True)
    services.correction_request_confirm(token=services.confirm_token(challenge.pk))
    challenge.refresh_from_db()
    assert challenge.proposal is None  # no open proposal yet: it waits for the next one
    proposal = decisions.proposal_open(actor=people["editor"], country=kgz,
                                       to_rating="obstructed" if current.rating != "obstructed" else "narrowed",
                                       reason="Test (synthetic).")
    challenge.refresh_from_db()
    assert challenge.proposal_id == proposal.pk
    panel = [people["panel"]] + [make_user(f"cpanel{n}@test.invalid", Role.PANEL, totp=True) for n in (2, 3)]
    for member in panel:
        decisions.proposal_vote(actor=member, proposal=proposal, vote="agree", comment="agree (test)")
    review = signed_in(people["panel"]).get(f"/en/workspace/ratings/proposals/{proposal.pk}/").content.decode()
    assert "CANARY-challenge-5e2a" in review and "Challenges from the government" in review
    newest = RatingEdition.objects.order_by("-published").first().published
    draft = decisions.draft_create(actor=people["editor"], publish_on=newest + dt.timedelta(days=30))
    editor = signed_in(people["editor"])
    url = f"/en/workspace/ratings/proposals/{proposal.pk}/decide/"
    refused = editor.post(url, {"rating": proposal.to_rating, "draft": draft.pk, "rationale_en": "Because (test)."})
    assert refused.status_code == 400 and "must answer it publicly" in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "open"
    with pytest.raises(ValidationError):
        decisions.proposal_decide(actor=people["editor"], proposal=proposal, draft=draft, rating=proposal.to_rating,
                                  rationale={"en": "Because (test)."}, challenge_answer="  ")
    assert editor.post(url, {"rating": proposal.to_rating, "draft": draft.pk, "rationale_en": "Because (test).",
                             "challenge_answer": "The NGO law was weighed; it is not yet in force (test)."}
                       ).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "decided" and "not yet in force" in proposal.decision.challenge_answer
    # The answer is public with the decision, once its edition is published; the challenge itself never is.
    assert "not yet in force" not in Client().get("/en/countries/kgz/").content.decode()
    decisions.draft_publish(actor=people["editor"], draft=draft)
    country_page = Client().get("/en/countries/kgz/").content.decode()
    assert "not yet in force" in country_page and "CANARY-challenge-5e2a" not in country_page
    # A challenge confirmed while a proposal is open joins it at once; a declined one leaves the evidence.
    other = Country.objects.get(code="KAZ")
    kaz_proposal = decisions.proposal_open(actor=people["editor"], country=other, to_rating="closed",
                                           reason="Test (synthetic).")
    second = services.correction_request_submit(
        request_type="correction", item_kind="rating", item_ref="kaz", name="Official (test)", organisation="",
        role="", email="gov2@test.invalid", text="Challenge (test).", language="ru", represents_government=True)
    second = services.correction_request_confirm(token=services.confirm_token(second.pk))
    assert second.proposal_id == kaz_proposal.pk
    services.correction_decline(request=second, actor=people["editor"], expected_version=second.version,
                                reason="Not a challenge (test).")
    assert not kaz_proposal.challenges.exists()


def test_feed_api_and_data_release_carry_published_ones_only(people, update, tmp_path):
    client = Client()
    reply = filed(update, request_type="reply", text="Reply text (test).")
    services.correction_reply_publish(request=reply, actor=people["editor"], expected_version=reply.version,
                                      party="Court of Bishkek (test)", text="Reply as published (test).")
    correction = filed(update)
    services.correction_accept(request=correction, actor=people["editor"], expected_version=correction.version,
                               note="Note as published (test).")
    filed(update, text="CANARY-pending-8d0e")
    filed(update, confirm=False, text="CANARY-unconfirmed-8d0e")
    declined = filed(update, text="CANARY-declined-8d0e")
    services.correction_decline(request=declined, actor=people["editor"], expected_version=declined.version,
                                reason="CANARY-reason-8d0e")
    api = client.get("/api/v1/corrections?country=KGZ&lang=en").json()
    assert api["count"] == 2 and {r["id"] for r in api["results"]} == {reply.pk, correction.pk}
    assert client.get("/api/v1/corrections?type=reply").json()["results"][0]["party"] == "Court of Bishkek (test)"
    assert client.get("/api/v1/corrections?kind=nonsense").status_code == 400
    feed = client.get("/en/corrections/feed/").content.decode()
    assert "Reply as published (test)." in feed and "Note as published (test)." in feed
    listed = client.get("/en/corrections/?country=kgz&kind=update&type=correction").content.decode()
    assert "Note as published (test)." in listed and "Reply as published" not in listed
    rows = export_selectors.corrections()
    assert [r["id"] for r in rows] == sorted([reply.pk, correction.pk])
    out = tmp_path / "release"
    call_command("export", "--out", str(out), stdout=io.StringIO())
    written = "\n".join(p.read_text(errors="replace") for p in out.rglob("corrections.*"))
    assert "Note as published (test)." in written and "8d0e" not in written
    codebook = "\n".join(p.read_text() for p in out.rglob("codebook*"))
    assert "corrections" in codebook
    for text in (feed, listed, str(api)):
        assert "8d0e" not in text and "requester@test.invalid" not in text


def test_a_requester_is_erased_on_request(people, update):
    published = filed(update, request_type="reply")
    services.correction_reply_publish(request=published, actor=people["editor"], expected_version=published.version,
                                      party="Party (test)", text="Published reply (test).")
    pending = filed(update)
    call_command("corrections_erase", "REQUESTER@test.invalid", stdout=io.StringIO())
    assert not CorrectionRequest.objects.filter(pk=pending.pk).exists()
    published.refresh_from_db()
    assert published.requester_email == "" and published.requester_name == "" and published.text == ""
    assert published.reply_text == "Published reply (test)."
    assert not OutgoingEmail.objects.filter(to="requester@test.invalid").exists()
    assert AuditEvent.objects.filter(action="corrections.requester_erase").exists()
    # Unconfirmed requests are kept no longer than their link: deleted once it expired.
    stale = filed(update, confirm=False, email="stale@test.invalid")
    fresh = filed(update, confirm=False, email="fresh@test.invalid")
    CorrectionRequest.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    call_command("corrections_erase", "--expired", stdout=io.StringIO())
    assert list(CorrectionRequest.objects.filter(state=State.UNCONFIRMED).values_list("pk", flat=True)) == [fresh.pk]


def test_an_administrator_erases_from_the_admin(people, update):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    request = filed(update, email="admin-erase@test.invalid")
    client = signed_in(admin)
    listing = client.get("/en/admin/corrections/correctionrequest/")
    assert listing.status_code == 200
    response = client.post("/en/admin/corrections/correctionrequest/", {
        "action": "erase_requesters", "_selected_action": [request.pk]})
    assert response.status_code == 302
    assert not CorrectionRequest.objects.filter(pk=request.pk).exists()
    event = AuditEvent.objects.get(action="corrections.requester_erase")
    assert event.actor_id == admin.pk and event.data == {"requests": [request.pk]}


def test_the_public_record_does_not_query_per_row(people, update):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civicspace.cases.models import Case
    from civicspace.legislation.models import Bill

    law = Bill.objects.filter(country__code="KGZ").first()
    case = Case.objects.published().first()

    def publish(kind, ref):
        request = filed(update, item_kind=kind, item_ref=ref)
        services.correction_accept(request=request, actor=people["editor"], expected_version=request.version,
                                   note=f"Note on a {kind} (test).")

    for kind, ref in (("update", update.pk), ("law", law.pk), ("case", case.pk), ("rating", "kgz"),
                      ("incident", update.incidents.first().pk)):
        publish(kind, ref)
    client = Client()
    client.get("/en/corrections/")  # warm caches of reference data
    with CaptureQueriesContext(connection) as first:
        page = client.get("/en/corrections/").content.decode()
    assert all(f"Note on a {kind} (test)." in page for kind in ("update", "law", "case", "rating", "incident"))
    for kind, ref in (("update", update.pk), ("law", law.pk), ("case", case.pk), ("rating", "kgz")):
        publish(kind, ref)
    with CaptureQueriesContext(connection) as second:
        client.get("/en/corrections/")
    assert len(second) == len(first), [q["sql"] for q in second]
    assert len(first) <= 12, [q["sql"] for q in first]
