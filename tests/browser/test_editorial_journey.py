"""The partner's submission, the editor's review and publication, driven through real pages in Chromium."""
import pytest
from django.test import Client
from playwright.sync_api import expect

from civicspace.monitoring.models import Update
from tests.monitoring_fixtures import CONFIDENTIAL_TITLE, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey_people(reference_data):
    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation

    partner_org = Organisation.objects.create(slug="test-partner", name="Test partner (synthetic)")
    staff = Organisation.objects.create(slug="test-staff", name="Monitor staff (synthetic)")
    return {
        "partner": make_user("partner@test.invalid", Role.PARTNER, organisation=partner_org, countries=["KGZ"]),
        "editor": make_user("editor@test.invalid", Role.EDITOR, organisation=staff, totp=True),
    }


def act(page, name):
    confirm = page.locator(f'a[href$="/actions/{name}/confirm/"]')  # publish and retract: preview first
    if confirm.count():
        confirm.click()
    page.locator(f'button[name="action"][value="{name}"]').click()


@pytest.mark.parametrize("lang, title", [("en", "Newsroom raided (browser test)"),
                                         ("ru", "Обыск в редакции (браузерный тест)")])
def test_submit_review_publish(browser, live_server, journey_people, lang, title):
    site = live_server.url
    # The partner signs in through the login form.
    partner = browser.new_context().new_page()
    partner.goto(f"{site}/{lang}/accounts/login/")
    partner.fill("#id_login", "partner@test.invalid")
    partner.fill("#id_password", "correct horse battery staple")
    partner.locator("form button[type=submit]").click()
    expect(partner).to_have_url(f"{site}/{lang}/workspace/")

    partner.goto(f"{site}/{lang}/workspace/updates/new/")
    partner.select_option("#id_country", label="Kyrgyzstan" if lang == "en" else "Киргизия")
    partner.fill("#id_date", "2024-03-05")
    partner.select_option("#id_original_language", lang)
    partner.fill("#id_title", title)
    partner.fill("#id_summary", "Summary written in the browser.")
    partner.locator('input[name="freedoms"]').first.check()
    partner.locator("form.stacked button[type=submit]").first.click()
    update = Update.objects.get(**{f"title_{lang}": title})
    expect(partner).to_have_url(f"{site}/{lang}/workspace/updates/{update.pk}/")

    partner.goto(f"{site}/{lang}/workspace/updates/{update.pk}/sources/new/")
    partner.fill("#id_title", "Public report")
    partner.fill("#id_url", "https://example.org/report")
    partner.locator("form.stacked button[type=submit]").first.click()
    partner.goto(f"{site}/{lang}/workspace/updates/{update.pk}/sources/new/")
    partner.fill("#id_title", CONFIDENTIAL_TITLE)
    partner.check("#id_confidential")
    partner.locator("form.stacked button[type=submit]").first.click()

    partner.goto(f"{site}/{lang}/workspace/updates/{update.pk}/incidents/new/")
    partner.fill("#id_date", "2024-01")
    partner.select_option("#id_place_precision", "country")
    partner.fill("#id_description", "Police raided the newsroom.")
    partner.locator('input[name="freedoms"]').first.check()
    partner.locator('input[name="types"]').first.check()
    partner.locator('input[name="sources"]').first.check()
    partner.locator("form.stacked button[type=submit]").first.click()
    expect(partner).to_have_url(f"{site}/{lang}/workspace/updates/{update.pk}/")
    act(partner, "submit")
    expect(partner.locator(".status")).to_have_class("status status-submitted")

    # The editor (two-factor login done beforehand) reviews and publishes.
    django_client = Client()
    django_client.force_login(journey_people["editor"])
    editor_context = browser.new_context()
    editor_context.add_cookies([{"name": "sessionid", "value": django_client.cookies["sessionid"].value,
                                 "url": site}])
    editor = editor_context.new_page()
    editor.goto(f"{site}/{lang}/workspace/review/")
    editor.get_by_role("link", name=title).click()
    expect(editor.locator(".sensitive")).to_have_count(1)  # the editor sees the confidential source, marked
    act(editor, "start_review")
    act(editor, "verify")
    act(editor, "publish")
    expect(editor.locator(".status")).to_have_class("status status-published")

    # The partner sees where it is published; the public sees it without the confidential source.
    partner.reload()
    partner.locator(f'a[href="/{lang}/updates/{update.pk}/"]').first.click()
    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{site}/{lang}/countries/kgz/")
    reader.get_by_role("link", name=title).click()
    expect(reader.locator("h1")).to_have_text(title)
    expect(reader.locator("body")).not_to_contain_text(CONFIDENTIAL_TITLE)
    expect(reader.locator("body")).to_contain_text("Public report")
