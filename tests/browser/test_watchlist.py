import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.monitoring_fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compose_and_publish_an_edition(browser, live_server, reference_data):
    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation

    site = live_server.url
    staff = Organisation.objects.create(slug="test-staff", name="Monitor staff (synthetic)")
    editor_user = make_user("editor@test.invalid", Role.EDITOR, organisation=staff, totp=True)
    client = Client()
    client.force_login(editor_user)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    page = context.new_page()

    page.goto(f"{site}/en/workspace/watchlist/")
    page.fill("#id_target_date", "2024-03-20")  # a free date, a fortnight after the real March 2024 edition
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Watchlist of")
    # Kyrgyzstan is among the ranked candidates, with its reasons; add it from there.
    candidate = page.locator(".candidates > li", has_text="Kyrgyzstan")
    expect(candidate).to_contain_text("weighted violations")
    candidate.get_by_role("button", name="add").click()
    expect(page.locator("#entries-title + p + .panel h3")).to_have_text("Kyrgyzstan")
    page.locator(".panel textarea").first.fill("Raids on two outlets, eleven journalists detained, a liquidation.")
    page.locator(".panel form.stacked button[type=submit]").first.click()
    page.fill("#id_pr_title", "Kyrgyzstan on the Watchlist (browser test)")
    page.fill("#id_pr_lead", "The monitor adds Kyrgyzstan to its Watchlist.")
    page.locator("section[aria-labelledby=press-title] form.stacked button[type=submit]").click()
    page.locator('button[name="action"][value="publish"]').click()
    expect(page).to_have_url(f"{site}/en/watchlist/2024-03-20/")
    expect(page.locator(".watchlist-entry")).to_contain_text("Kyrgyzstan")
    expect(page.locator(".watchlist-entry")).to_contain_text("Repressed")

    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{site}/en/watchlist/")
    reader.get_by_role("link", name="Watchlist of 20 March 2024").click()
    reader.get_by_role("link", name="Press release").click()
    expect(reader.locator("h1")).to_have_text("Kyrgyzstan on the Watchlist (browser test)")
    overflow = reader.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
