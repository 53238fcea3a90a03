"""Issue 25, "Done when": the whole journey in Debian's Chromium, from the invitations to a retraction, with the
workflow e-mails received by a real SMTP server on loopback: invite → 2FA → an update with two incidents and
sources → submit → request changes → fix → verify → publish → retract."""
import pytest
from playwright.sync_api import expect

from civicspace.accounts.models import Role
from civicspace.monitoring.models import Organisation, Update
from tests.browser.test_two_factor_setup import accept_invitation_and_sign_up, invite
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLE = "Two newsrooms searched (journey test)"


def act(page, name, text=""):
    """A workflow action from the update's page; publish and retract go through their confirmation page."""
    confirm = page.locator(f'a[href$="/actions/{name}/confirm/"]')
    if confirm.count():
        confirm.click()
        expect(page.locator("#preview-title")).to_be_visible()
    if text:
        page.locator("textarea[name=text]").last.fill(text) if name == "retract" else \
            page.locator(f"#text-{name}").fill(text)
    page.locator(f'button[name="action"][value="{name}"]').click()
    expect(page.locator(".messages")).to_contain_text("Done: the update is now")


def add_source(page, site, update_pk, title, confidential=False):
    page.goto(f"{site}/en/workspace/updates/{update_pk}/sources/new/")
    page.fill("#id_title", title)
    page.fill("#id_url", "https://example.org/" + title.split()[0].lower())
    if confidential:
        page.check("#id_confidential")
    page.locator("form.stacked button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("Source added.")


def add_incident(page, site, update_pk, date, description, source_titles):
    page.goto(f"{site}/en/workspace/updates/{update_pk}/incidents/new/")
    page.fill("#id_date", date)
    page.select_option("#id_place_precision", "country")
    page.fill("#id_description", description)
    page.locator('input[name="freedoms"]').first.check()
    page.locator('input[name="types"]').first.check()
    for title in source_titles:
        page.get_by_label(title).check()
    page.locator("form.stacked button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("Incident saved.")


def test_invite_two_factor_write_review_publish_retract_with_e_mails(browser, site, smtp_inbox):
    Organisation.objects.create(slug="test-staff", name="Monitor staff (synthetic)")
    Organisation.objects.create(slug="test-partner", name="Test partner (synthetic)")
    pages = {}
    for email, role, organisation in (("journey-editor@test.invalid", Role.EDITOR, "test-staff"),
                                      ("journey-partner@test.invalid", Role.PARTNER, "test-partner")):
        path = invite(email, role, organisation)
        assert path in smtp_inbox.to(email)[0]["body"]  # the invitation e-mail arrived, with its link
        page = browser.new_context().new_page()
        accept_invitation_and_sign_up(page, site, path, email, role)
        pages[role] = page
    partner, editor = pages[Role.PARTNER], pages[Role.EDITOR]
    smtp_inbox.messages.clear()  # from here, the workflow e-mails

    # The partner writes an update with two sources and two incidents, checks the preview, and submits it.
    partner.goto(f"{site}/en/workspace/updates/new/")
    partner.select_option("#id_country", label="Kyrgyzstan")
    partner.fill("#id_date", "2024-03-05")
    partner.select_option("#id_original_language", "en")
    partner.fill("#id_title", TITLE)
    partner.fill("#id_summary", "Police searched two newsrooms in one week.")
    partner.fill("#id_body", "Both searches were **unannounced**.")
    partner.locator('input[name="freedoms"]').first.check()
    partner.get_by_role("button", name="Preview the text").click()
    expect(partner.locator(".preview strong")).to_have_text("unannounced")
    partner.locator("form.stacked button[type=submit]").first.click()
    expect(partner.locator(".messages")).to_contain_text("Draft saved.")
    update = Update.objects.get(title_en=TITLE)
    add_source(partner, site, update.pk, "Public statement of the newsroom")
    add_source(partner, site, update.pk, "Witness interview notes", confidential=True)
    add_incident(partner, site, update.pk, "2024-03-01", "Police searched the first newsroom.",
                 ["Public statement of the newsroom"])
    add_incident(partner, site, update.pk, "2024-03-04", "Police searched the second newsroom.",
                 ["Public statement of the newsroom", "Witness interview notes"])
    partner.goto(f"{site}/en/workspace/updates/{update.pk}/")
    expect(partner.locator(".checklist")).to_contain_text("The update cites at least one source.")
    act(partner, "submit")

    # The editor of Kyrgyzstan finds it in the queue, starts the review and returns it with a request.
    editor.goto(f"{site}/en/workspace/review/")
    editor.get_by_role("link", name=TITLE).click()
    expect(editor.locator(".source-list .confidential")).to_contain_text("Witness interview notes")
    act(editor, "start_review")
    act(editor, "request_changes", "Say which court authorised the searches.")

    # The partner sees the request at the top, fixes the incident and submits again.
    partner.goto(f"{site}/en/workspace/updates/{update.pk}/")
    expect(partner.locator("#request-title")).to_be_visible()
    expect(partner.locator(".request")).to_contain_text("Say which court authorised the searches.")
    partner.locator(".incident a.touch").first.click()
    partner.fill("#id_outcome", "Authorised by the district court.")
    partner.locator("form.stacked button[type=submit]").first.click()
    expect(partner.locator(".messages")).to_contain_text("Incident saved.")
    act(partner, "submit")

    # The editor verifies, publishes (after the preview) and later retracts.
    editor.goto(f"{site}/en/workspace/updates/{update.pk}/")
    act(editor, "start_review")
    act(editor, "verify")
    act(editor, "publish")
    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{site}/en/updates/{update.pk}/")
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator("body")).not_to_contain_text("Witness interview notes")
    editor.goto(f"{site}/en/workspace/updates/{update.pk}/")
    act(editor, "retract", "The newsroom asked us to withdraw the account.")
    reader.reload()
    expect(reader.locator(".notice")).to_contain_text("This update was retracted.")

    # The e-mails, as received by the SMTP server.
    subjects = {address: [m["subject"] for m in smtp_inbox.to(address)]
                for address in ("journey-editor@test.invalid", "journey-partner@test.invalid")}
    assert subjects["journey-editor@test.invalid"] == [f"Submitted for review: {TITLE}"] * 2
    assert subjects["journey-partner@test.invalid"] == [f"Changes requested: {TITLE}", f"Verified: {TITLE}",
                                                        f"Published: {TITLE}", f"Retracted: {TITLE}"]
    assert "Say which court authorised the searches." in smtp_inbox.to("journey-partner@test.invalid")[0]["body"]
    update.refresh_from_db()
    assert update.status == "retracted" and update.incidents.count() == 2 and update.sources.count() == 2
