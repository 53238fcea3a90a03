import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.rendering, pytest.mark.django_db(transaction=True)]


def test_click_kyrgyzstan_on_the_map_lands_on_its_page(page, site):
    page.goto(f"{site}/en/")
    kyrgyzstan = page.locator('.worldmap a[data-code="KGZ"]')
    expect(kyrgyzstan).to_have_attribute("aria-label", "Kyrgyzstan: Repressed")
    kyrgyzstan.click()
    expect(page).to_have_url(f"{site}/en/countries/kgz/")
    expect(page.locator("h1")).to_have_text("Kyrgyzstan")
    expect(page.locator(".big-rating")).to_have_text("Repressed")


def test_keyboard_reaches_a_country_on_the_map(page, site):
    page.goto(f"{site}/en/")
    page.locator('.worldmap a[data-code="KGZ"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/countries/kgz/$"))


def test_language_switcher_keeps_the_page_and_arabic_is_right_to_left(page, site):
    page.goto(f"{site}/en/countries/kgz/")
    page.get_by_role("link", name="العربيّة").click()
    expect(page).to_have_url(f"{site}/ar/countries/kgz/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("قرغيزستان")
    # Right-to-left really applies: the brand sits at the right edge of the header.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", ["", "countries/", "countries/kgz/", "ratings/", "ratings/repressed/", "updates/",
                                  "updates/{demo}/", "accounts/login/",
                                  "findings/2025-12/", "watchlist/", "watchlist/2024-03-05/press-release/"])
def test_pages_fit_a_360px_screen(browser, site, lang, path):
    from civicspace.monitoring.models import Update

    path = path.format(demo=Update.objects.get(import_key="kgz-2024-03-05").pk)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{lang}/{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{lang}/{path} scrolls sideways by {overflow}px at 360px"
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_partner_workspace_fits_a_360px_screen(browser, site, lang):
    from django.test import Client

    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation, Update
    from tests.monitoring_fixtures import make_user

    org = Organisation.objects.get(slug="iphr")
    partner = make_user("partner@test.invalid", Role.PARTNER, organisation=org, countries=["KGZ"])
    update = Update.objects.get(import_key="kgz-2024-03-05")
    client = Client()
    client.force_login(partner)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
    page = context.new_page()
    for path in ["workspace/", f"workspace/updates/{update.pk}/", "workspace/updates/new/",
                 f"workspace/updates/{update.pk}/history/"]:
        response = page.goto(f"{site}/{lang}/{path}")
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"/{lang}/{path} scrolls sideways by {overflow}px at 360px"
    context.close()
