"""Issue 24's Done-when journey in a browser: the Arabic home page's rating changes read right to left."""
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_arabic_rating_changes_point_from_the_old_rating_to_the_new(browser, live_server, reference_data):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/ar/")
    # Switzerland went from open to narrowed in December 2025.
    change = page.locator("li", has=page.locator('a[href="/ar/countries/che/"]')).filter(has=page.locator(".arrow"))
    before, after = change.locator(".badge").nth(0), change.locator(".badge").nth(1)
    assert before.inner_text().strip() == "مفتوح"
    # Right to left: the old rating is on the right, the new one on the left, and the arrow, drawn as it is
    # written (no CSS mirror), points left, from the old to the new.
    assert before.bounding_box()["x"] > after.bounding_box()["x"]
    arrow = change.locator(".arrow")
    assert arrow.inner_text() == "←"
    assert arrow.evaluate("e => getComputedStyle(e).transform") == "none"
