import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
@pytest.mark.parametrize("path", ["", "countries/", "countries/kgz/", "ratings/", "ratings/repressed/"])
def test_pages_fit_a_360px_screen(browser, site, lang, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{lang}/{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"/{lang}/{path} scrolls sideways by {overflow}px at 360px"
    context.close()
