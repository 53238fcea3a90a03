"""A rating change taken through the panel into a published edition, in Chromium: the editor opens a proposal
for Kyrgyzstan, three panel members vote (without JavaScript, on a 360px screen), the editor records a
decision with a rationale and publishes the edition, and the public country page shows the new rating."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.totp import fresh_code
from tests.monitoring_fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def decision_people(reference_data):
    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation

    staff = Organisation.objects.create(slug="test-staff", name="Monitor staff (synthetic)")
    return {
        "editor": make_user("editor@test.invalid", Role.EDITOR, organisation=staff, totp=True),
        "panel": [make_user(f"panel{n}@test.invalid", Role.PANEL, totp=True) for n in (1, 2, 3)],
    }


def sign_in(browser, site, user, **context_options):
    """The login form, then the authenticator code (as a person with the app would type it)."""
    page = browser.new_context(**context_options).new_page()
    page.goto(f"{site}/en/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/en/accounts/2fa/authenticate/")
    page.fill("#id_code", fresh_code(user.totp_secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(f"{site}/en/accounts/2fa/authenticate/")
    return page


def test_a_proposal_goes_through_the_panel_into_a_published_edition(browser, live_server, decision_people):
    from civicspace.ratings.models import RatingEdition
    from civicspace.ratings.services.scoring import scores_compute_all
    from civicspace.ratings.selectors.editions import current_ratings

    site = live_server.url
    kgz = next(r for r in current_ratings() if r.country.code == "KGZ")
    before = kgz.rating
    (score,), _ = scores_compute_all(as_of=dt.date.today(), country_ids=[kgz.country_id])
    decided = "closed" if before != "closed" else "repressed"
    newest = RatingEdition.objects.order_by("-published").first().published
    publish_on = newest + dt.timedelta(days=20)

    # A reader (no JavaScript) has the country page with its current rating (anonymous pages are cached).
    from civicspace.ratings.labels import RATING_NAMES

    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(f"{site}/en/countries/kgz/")
    expect(reader.locator(".current-rating")).to_contain_text(str(RATING_NAMES[before]))

    # The editor signs in with the second factor and finds the screen from the workspace.
    editor = sign_in(browser, site, decision_people["editor"])
    editor.goto(f"{site}/en/workspace/")
    editor.get_by_role("link", name="Rating proposals").click()
    expect(editor.locator("h1")).to_have_text("Rating proposals")
    editor.fill("#id_publish_on", publish_on.isoformat())
    editor.get_by_role("button", name="Create edition draft").click()
    expect(editor.locator(".draft h3")).to_contain_text(publish_on.strftime("%B %Y"))

    editor.select_option("#id_country", label="Kyrgyzstan")
    editor.select_option("#id_to_rating", decided)
    editor.fill("#id_reason", "Mass detention of journalists and a liquidation (browser test).")
    editor.get_by_role("button", name="Open proposal", exact=True).click()
    expect(editor.locator("h1")).to_have_text("Rating proposal: Kyrgyzstan")
    proposal_url = editor.url
    expect(editor.locator("#votes-title + p")).to_contain_text("quorum not met (0 of 3 votes)")
    # The evidence pack: the newest guiding score, its contributions adding up to it, the published history.
    expect(editor.locator("table.contributions tfoot")).to_contain_text(f"{float(score.score):.2f}")
    expect(editor.locator("#history-title + .table-scroll")).to_contain_text(kgz.edition.title)

    # Three panel members vote, without JavaScript, on a small screen; one changes their mind.
    for member, vote in zip(decision_people["panel"], ["Agree", "Agree", "Disagree"]):
        page = sign_in(browser, site, member, java_script_enabled=False, viewport={"width": 360, "height": 740})
        page.goto(proposal_url)
        page.get_by_label(vote, exact=True).check()
        page.fill("#id_comment", f"{vote}: the evidence pack supports it (browser test).")
        page.get_by_role("button", name="Record my vote").click()
        expect(page.locator(".messages")).to_contain_text("Your vote is recorded.")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        if vote == "Disagree":
            page.get_by_label("Abstain", exact=True).check()
            page.fill("#id_comment", "On reflection I abstain (browser test).")
            page.get_by_role("button", name="Record my vote").click()
            expect(page.locator(".votes")).to_contain_text("On reflection I abstain (browser test).")
            expect(page.locator("#votes-title + p")).to_contain_text("2 agree · 0 disagree · 1 abstain")

    # The editor records the decision with a public rationale and publishes the edition after confirming.
    editor.goto(proposal_url)
    expect(editor.locator("#votes-title + p")).to_contain_text("quorum met")
    expect(editor.locator("#votes-title + p")).to_contain_text("carried")
    editor.select_option("#id_rating", decided)
    editor.select_option("#id_draft", index=1)
    editor.fill("#id_rationale_en", "The panel agreed: civic space in Kyrgyzstan has closed further (browser test).")
    editor.fill("#id_rationale_ru", "Панель согласилась (браузерный тест).")
    editor.get_by_role("button", name="Record decision").click()
    expect(editor.locator(".messages")).to_contain_text("Decision recorded.")
    expect(editor.locator("#decision-title + p")).to_contain_text(publish_on.strftime("%B %Y"))

    editor.goto(f"{site}/en/workspace/ratings/")
    expect(editor.locator(".draft")).to_contain_text("Kyrgyzstan")
    editor.get_by_role("link", name="Publish…").click()
    expect(editor.locator("h1")).to_contain_text("Publish the")
    editor.get_by_role("button", name="Publish the edition").click()
    expect(editor.locator(".messages")).to_contain_text("The edition is published.")

    # The public country page shows the decided rating from the new edition at once.
    reader.goto(f"{site}/en/countries/kgz/")
    expect(reader.locator(".current-rating")).to_contain_text(str(RATING_NAMES[decided]))
    expect(reader.locator(".current-rating")).to_contain_text(publish_on.strftime("%B %Y"))
