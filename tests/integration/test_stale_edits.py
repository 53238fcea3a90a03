"""Issue 25: no silent overwrite where editors edit laws, Watchlist rationales and press releases. Two tabs on
the same record: the first save wins, the second ends in a conflict screen (409) that shows the stored version
beside the person's own input, writes nothing, and saving again from there is a deliberate choice that works."""
import re

import pytest
from django.test import Client

from civicspace.audit.models import AuditEvent
from civicspace.legislation.models import Bill
from civicspace.watchlist.models import HRCSession, WatchlistEdition
from tests.integration.test_rating_decisions import current, draft, kgz, panel, proposal  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def visible_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def editor_client(people):
    client = Client()
    client.force_login(people["editor"])
    return client


def hidden_version(response, name="version"):
    return re.search(rf'name="{name}" value="(\d+)"', response.content.decode()).group(1)


def bill_data(bill, **overrides):
    data = {"country": bill.country_id, "short_title": bill.short_title_en, "official_title": bill.official_title_en,
            "summary": bill.summary_en, "number": bill.number, "category": bill.category,
            "direction": bill.direction, "lang": "en", "translation_status": "", "version": bill.version}
    data.update(overrides)
    return data


def test_two_tabs_on_one_law_end_in_a_conflict_screen(people):
    bill = Bill.objects.get(import_key="kgz-foreign-representatives-bill")
    url = f"/en/workspace/laws/{bill.pk}/edit/"
    first, second = editor_client(people), editor_client(people)
    loaded_first, loaded_second = hidden_version(first.get(url)), hidden_version(second.get(url))
    assert loaded_first == loaded_second == str(bill.version)
    assert first.post(url, bill_data(bill, summary="Summary from tab one.", version=loaded_first)).status_code == 302
    events = AuditEvent.objects.filter(action="legislation.bill_edit", target_id=str(bill.pk)).count()
    stale = second.post(url, bill_data(bill, summary="Summary from tab two.", version=loaded_second))
    assert stale.status_code == 409
    page = visible_text(stale)
    assert "Someone else saved this law while you were editing it" in page
    assert "Summary from tab one." in page and "Summary from tab two." in stale.content.decode()
    bill.refresh_from_db()
    assert bill.summary_en == "Summary from tab one." and bill.version == int(loaded_first) + 1
    assert AuditEvent.objects.filter(action="legislation.bill_edit", target_id=str(bill.pk)).count() == events
    again = second.post(url, bill_data(bill, summary="Summary from tab two.", version=hidden_version(stale)))
    assert again.status_code == 302
    bill.refresh_from_db()
    assert bill.summary_en == "Summary from tab two." and bill.version == int(loaded_first) + 2


@pytest.fixture
def draft_edition(people):
    client = editor_client(people)
    session = HRCSession.objects.get(number=56)
    client.post("/en/workspace/watchlist/", {"hrc_session": session.pk})
    edition = WatchlistEdition.objects.get(hrc_session=session)
    client.post(f"/en/workspace/watchlist/{edition.slug}/countries/", {"country": "KGZ"})
    return edition


def test_two_tabs_on_one_rationale_end_in_a_conflict_screen(people, draft_edition):
    entry = draft_edition.entries.get()
    compose, prefix = f"/en/workspace/watchlist/{draft_edition.slug}/", f"entry{entry.pk}"
    url = f"{compose}countries/{entry.pk}/rationale/"
    first, second = editor_client(people), editor_client(people)
    loaded_first = hidden_version(first.get(compose), f"{prefix}-version")
    loaded_second = hidden_version(second.get(compose), f"{prefix}-version")

    def data(text, version):
        return {f"{prefix}-lang": "en", f"{prefix}-text": text, f"{prefix}-status": "reviewed",
                f"{prefix}-version": version}

    assert first.post(url, data("Raids on 24.KG and Temirov Live.", loaded_first)).status_code == 302
    stale = second.post(url, data("Kloop Media liquidated by a court.", loaded_second))
    assert stale.status_code == 409
    page = visible_text(stale)
    assert "Someone else saved the rationale for Kyrgyzstan" in page and "Raids on 24.KG and Temirov Live." in page
    assert "Kloop Media liquidated by a court." in stale.content.decode()
    entry.refresh_from_db()
    assert entry.rationale_en == "Raids on 24.KG and Temirov Live." and entry.version == 1
    again = second.post(url, data("Kloop Media liquidated by a court.", hidden_version(stale, f"{prefix}-version")))
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.rationale_en == "Kloop Media liquidated by a court." and entry.version == 2


def test_two_tabs_on_one_press_release_end_in_a_conflict_screen(people, draft_edition):
    compose = f"/en/workspace/watchlist/{draft_edition.slug}/"
    url = f"{compose}press-release/"
    first, second = editor_client(people), editor_client(people)
    loaded_first, loaded_second = hidden_version(first.get(compose)), hidden_version(second.get(compose))

    def data(title, version):
        return {"lang": "en", "pr_title": title, "pr_dateline": "Johannesburg", "pr_lead": "Lead.",
                "version": version}

    assert first.post(url, data("Title from tab one (synthetic)", loaded_first)).status_code == 302
    stale = second.post(url, data("Title from tab two (synthetic)", loaded_second))
    assert stale.status_code == 409
    assert "Title from tab one (synthetic)" in visible_text(stale)
    assert "Title from tab two (synthetic)" in stale.content.decode()
    draft_edition.refresh_from_db()
    assert draft_edition.pr_title_en == "Title from tab one (synthetic)"
    assert second.post(url, data("Title from tab two (synthetic)", hidden_version(stale))).status_code == 302
    draft_edition.refresh_from_db()
    assert draft_edition.pr_title_en == "Title from tab two (synthetic)" and draft_edition.version == 2


def test_a_new_draft_submitted_twice_makes_one_draft(people):
    from civicspace.monitoring.models import Update
    from tests.integration.test_monitoring_forms import update_data

    partner = Client()
    partner.force_login(people["partner"])
    form = partner.get("/en/workspace/updates/new/").content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', form).group(1)
    before = Update.objects.count()
    data = update_data(people, title="Double-clicked draft (synthetic)", submission_key=key)
    first, second = partner.post("/en/workspace/updates/new/", data), partner.post("/en/workspace/updates/new/", data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Update.objects.count() == before + 1
    assert AuditEvent.objects.filter(action="monitoring.update_create",
                                     target_id=first.url.rstrip("/").rsplit("/", 1)[1]).count() == 1
    # A fresh form (a new key) is a new draft, as the person means it to be.
    fresh = re.search(r'name="submission_key" value="([0-9a-f]{32})"',
                      partner.get("/en/workspace/updates/new/").content.decode()).group(1)
    assert fresh != key
    partner.post("/en/workspace/updates/new/", {**data, "submission_key": fresh})
    assert Update.objects.count() == before + 2


def test_a_decision_on_votes_that_changed_since_the_page_was_opened_is_refused(people, panel, proposal, draft):
    """Rating decisions (issue 25): the editor's page showed a tally; a panel member changes a vote before the
    editor submits; nothing is decided, the page shows the new vote and keeps the editor's rationale."""
    from civicspace.ratings.models import RatingProposal
    from tests.integration.test_rating_decisions import vote_all

    vote_all(proposal, panel, ["agree", "agree", "agree"])
    url = f"/en/workspace/ratings/proposals/{proposal.pk}/"
    editor = editor_client(people)
    seen = re.search(r'name="version" value="([0-9a-f]{16})"', editor.get(url).content.decode()).group(1)
    member = Client()
    member.force_login(panel[2])
    assert member.post(url + "vote/", {"vote": "disagree", "comment": "New facts: I disagree now (test)."}).status_code == 302
    data = {"rating": proposal.to_rating, "draft": draft.pk, "rationale_en": "Rationale typed meanwhile (test).",
            "version": seen}
    stale = editor.post(url + "decide/", data)
    assert stale.status_code == 409
    page = visible_text(stale)
    assert "votes or comments changed since you opened this page" in page
    assert "New facts: I disagree now (test)." in page and "Rationale typed meanwhile (test)." in stale.content.decode()
    assert RatingProposal.objects.get(pk=proposal.pk).status == "open"
    assert not AuditEvent.objects.filter(action="ratings.proposal_decide", target_id=str(proposal.pk)).exists()
    fresh = re.search(r'name="version" value="([0-9a-f]{16})"', stale.content.decode()).group(1)
    assert fresh != seen
    assert editor.post(url + "decide/", {**data, "version": fresh}).status_code == 302
    assert RatingProposal.objects.get(pk=proposal.pk).status == "decided"
