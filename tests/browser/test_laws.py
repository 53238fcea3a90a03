import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.rendering, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang, stage, title", [
    ("en", "Second reading", "Draft law on “foreign representatives”"),
    ("ru", "Второе чтение", "Законопроект об «иностранных представителях»"),
])
def test_laws_page_and_a_bills_timeline(page, site, lang, stage, title):
    page.goto(f"{site}/{lang}/laws/?country=KGZ")
    row = page.locator("table.laws tbody tr", has_text=title)
    expect(row.locator(".stage")).to_have_text(stage)
    row.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    steps = page.locator(".timeline .timeline-step")
    expect(steps).to_have_count(1)
    expect(steps.first).to_have_class("timeline-step current")
    expect(steps.first).to_contain_text(stage)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_laws_pages_fit_a_360px_screen(browser, site, lang):
    from civicspace.legislation.models import Bill

    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    bill = Bill.objects.get(import_key="kgz-foreign-representatives-bill")
    for path in ["laws/", f"laws/{bill.pk}/"]:
        page.goto(f"{site}/{lang}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"/{lang}/{path} scrolls sideways by {overflow}px at 360px"
    context.close()
