"""Done-when of issue 21, in Chromium: a reader files a correction on the Kyrgyz update, confirms it by the link
in the captured e-mail (a real SMTP server on loopback); an editor changes the update through its normal editing
screen and records the note; the update page shows the corrected text with a dated correction note. A named
party's reply is published under the item; a declined request shows nowhere."""
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.monitoring_fixtures import make_user
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DECLINED = "Declined request text (browser test)"


@pytest.fixture
def editor_user(reference_data):
    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation

    staff = Organisation.objects.create(slug="test-staff", name="Monitor staff (synthetic)")
    return make_user("editor@test.invalid", Role.EDITOR, organisation=staff, totp=True)


def file_request(reader, site, update_pk, smtp_inbox, *, link, email, text, organisation=""):
    reader.goto(f"{site}/en/updates/{update_pk}/")
    reader.get_by_role("link", name=link, exact=True).click()
    reader.fill("#id_name", "Requester (browser test)")
    reader.fill("#id_organisation", organisation)
    reader.fill("#id_email", email)
    reader.fill("#id_text", text)
    reader.fill("#id_evidence_links", "https://example.org/evidence")
    reader.get_by_role("button", name="Send").click()
    expect(reader.locator("h1")).to_have_text("Check your e-mail")
    expect(reader.locator("body")).not_to_contain_text(text)  # nothing typed is echoed
    body = smtp_inbox.to(email)[-1]["body"]
    path = re.search(r"https?://[^/\s]+(/en/corrections/confirm/\S+/)", body).group(1)
    reader.goto(f"{site}{path}")
    reader.get_by_role("button", name="Confirm and send").click()
    expect(reader.locator("[role=status]")).to_contain_text("your request is with our editors")


def test_correction_reply_and_decline(browser, site, editor_user, smtp_inbox):
    from civicspace.corrections.models import CorrectionRequest
    from civicspace.monitoring.models import Update

    update = Update.objects.get(import_key="kgz-2024-03-05")
    reader = browser.new_context(java_script_enabled=False).new_page()
    client = Client()
    client.force_login(editor_user)
    editor_context = browser.new_context()
    editor_context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    editor = editor_context.new_page()

    def open_request(text):
        request = CorrectionRequest.objects.get(text=text)
        editor.goto(f"{site}/en/workspace/corrections/")
        editor.locator(f'a[href="/en/workspace/corrections/{request.pk}/"]').click()
        expect(editor.locator("blockquote")).to_contain_text(text)

    # 1. A correction: filed, confirmed, then the editor edits the update through its own screen and notes it.
    file_request(reader, site, update.pk, smtp_inbox, link="Report an error", email="reader@test.invalid",
                 text="The update says 11 journalists; the court records list 11 journalists and 1 blogger.")
    open_request("The update says 11 journalists; the court records list 11 journalists and 1 blogger.")
    editor.get_by_role("link", name="Edit it through its own screen").click()
    summary = editor.locator("#id_summary")
    summary.fill(summary.input_value().replace("11 journ", "eleven journ", 1))
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor).to_have_url(re.compile(rf"/en/workspace/updates/{update.pk}/$"))
    open_request("The update says 11 journalists; the court records list 11 journalists and 1 blogger.")
    editor.fill("#id_note", "The number of journalists detained is now written in words (browser test).")
    editor.get_by_role("button", name="Publish the correction note").click()
    expect(editor.locator(".messages")).to_contain_text("correction note is published")

    reader.goto(f"{site}/en/updates/{update.pk}/")
    expect(reader.locator(".lead")).to_contain_text("eleven journ")
    note = reader.locator(".correction")
    expect(note).to_contain_text("Corrected on")
    expect(note).to_contain_text("now written in words (browser test)")

    # 2. A named party's reply, published under the item.
    file_request(reader, site, update.pk, smtp_inbox, link="Reply as a party named here", email="court@test.invalid",
                 text="The court acted within the law (browser test).", organisation="Court of Bishkek (test)")
    open_request("The court acted within the law (browser test).")
    expect(editor.locator("#id_party")).to_have_value("Court of Bishkek (test)")
    editor.get_by_role("button", name="Publish the reply").click()
    reader.goto(f"{site}/en/updates/{update.pk}/")
    reply = reader.locator("blockquote.reply")
    expect(reply).to_contain_text("Reply from Court of Bishkek (test), a party named here")
    expect(reply).to_contain_text("The court acted within the law (browser test).")

    # 3. A declined request: the reason goes to the requester; the request shows nowhere.
    file_request(reader, site, update.pk, smtp_inbox, link="Report an error", email="declined@test.invalid",
                 text=DECLINED)
    open_request(DECLINED)
    editor.fill("#id_reason", "The sources confirm the update as published (browser test).")
    editor.get_by_role("button", name="Decline and e-mail the reason").click()
    assert "The sources confirm the update" in smtp_inbox.to("declined@test.invalid")[-1]["body"]
    for path in (f"/en/updates/{update.pk}/", "/en/corrections/", "/en/corrections/feed/", "/api/v1/corrections"):
        reader.goto(f"{site}{path}")
        assert DECLINED not in reader.content() and "declined@test.invalid" not in reader.content()
    reader.goto(f"{site}/en/corrections/")
    expect(reader.locator(".corrections-log")).to_contain_text("now written in words")
    expect(reader.locator(".corrections-log")).to_contain_text("Court of Bishkek (test)")
