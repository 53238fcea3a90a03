"""Accessibility (WCAG 2.2 AA, issue #22), checked in Debian's Chromium.

- axe-core (npm, installed by `make browser-deps` into tests/browser/axe/) runs on every public page type in the
  five languages and on the staff pages (workspace, review queue, rating screens, a form with its errors shown):
  no violation of impact serious or critical; the moderate and minor ones are written to
  var/reports/accessibility-*.json, which CI keeps with the run.
- The keyboard: from the skip link through the home page to a country and on to its page, a visible focus at
  every step; the language switcher by keyboard.
- Reflow: no horizontal scroll at 320 CSS px (what 400% zoom of a 1280 px window leaves).
"""
import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = Path(__file__).resolve().parents[2] / "var" / "reports"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
LANGS = ["en", "ru", "fr", "es", "ar"]


def on_both_databases(langs):
    """The axe checks run on both databases, each language once: English, French and Spanish in the SQLite pass
    (marker "rendering"), Russian and Arabic in the PostgreSQL pass (marker "once"; both in the SQLite pass when
    there is none), so the suite's time is shared between the passes rather than doubled."""
    return [pytest.param(lang, marks=pytest.mark.once if lang in ("ru", "ar") else pytest.mark.rendering)
            for lang in langs]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').slice(0, 200))}));
}"""


def axe_source():
    if not AXE.is_file():
        message = f"axe-core is missing at {AXE}: `make browser-deps` installs it (npm ci in tests/browser/axe)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def public_paths():
    """One URL of every public page type, with real objects from the demo content and reference data."""
    from civicspace.legislation.models import Bill
    from civicspace.monitoring.models import Update
    from civicspace.watchlist.models import WatchlistEdition

    from civicspace.cases.selectors import published as published_cases

    update = Update.objects.filter(status="published").order_by("pk").first()
    case = published_cases().order_by("pk").first()
    bill = Bill.objects.order_by("pk").first()
    edition = WatchlistEdition.objects.filter(status="published").order_by("-target_date").first()
    return ["", "countries/", "countries/kgz/", "ratings/", "ratings/repressed/?edition=2023-12",
            "ratings/changes/2023-12/", "methodology/", "updates/", f"updates/{update.pk}/", "laws/",
            f"laws/{bill.pk}/", "watchlist/", f"watchlist/{edition.slug}/", f"watchlist/{edition.slug}/press-release/",
            "findings/2025-12/", "findings/compare/?from=2020-12&to=2025-12", "data/", "search/?q=journalists",
            "cases/?country=kgz", f"cases/{case.pk}/", "accessibility/", "accounts/login/", "no-such-page/",
            "corrections/", f"corrections/new/update/{update.pk}/", "alerts/", "alerts/sent/",  # issues 21, 19
            "alerts/webhooks/", "alerts/webhooks/sent/", "corrections/sent/", "findings/",
            "mirrors/"]  # issue 23


def check_pages(context, site, paths, report_name):
    """Run axe on each page; fail on serious or critical violations; write every violation to the report."""
    source = axe_source()
    page = context.new_page()
    blocking, report = [], {}
    for path in paths:
        page.goto(f"{site}{path}")
        page.add_script_tag(content=source)
        violations = page.evaluate(RUN_AXE, TAGS)
        report[path] = violations
        blocking += [f"{path}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for v in violations
                     if v["impact"] in BLOCKING]
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"accessibility-{report_name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    page.close()
    assert not blocking, "\n".join(blocking)
    return report


@pytest.mark.parametrize("lang", on_both_databases(LANGS))
def test_axe_finds_nothing_serious_on_any_public_page_type(browser, site, lang):
    context = browser.new_context(bypass_csp=True)  # tests only: lets axe's script into the strict-CSP page
    report = check_pages(context, site, [f"/{lang}/{p}" for p in public_paths()], f"public-{lang}")
    assert len(report) == len(public_paths())
    context.close()


@pytest.mark.parametrize("lang", on_both_databases(["en", "ar"]))
def test_axe_finds_nothing_serious_on_the_staff_pages(browser, site, lang):
    from django.test import Client

    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation, Update
    from civicspace.ratings.models import RatingProposal
    from tests.monitoring_fixtures import make_user

    staff = Organisation.objects.get_or_create(slug="monitor-staff", defaults={"name": "Monitor staff"})[0]
    editor = make_user("editor-a11y@test.invalid", Role.EDITOR, organisation=staff, totp=True)
    partner = make_user("partner-a11y@test.invalid", Role.PARTNER, organisation=Organisation.objects.get(slug="iphr"),
                        countries=["KGZ"])
    update = Update.objects.get(import_key="kgz-2024-03-05")
    proposal = RatingProposal.objects.create(country=update.country, from_rating="repressed", to_rating="closed",
                                             reason="accessibility test")

    def context_for(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(bypass_csp=True)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
        return context

    editor_context = context_for(editor)
    check_pages(editor_context, site, [f"/{lang}/{p}" for p in [
        "workspace/", "workspace/review/", f"workspace/updates/{update.pk}/", f"workspace/updates/{update.pk}/history/",
        "workspace/laws/", "workspace/watchlist/", "workspace/ratings/", f"workspace/ratings/proposals/{proposal.pk}/",
        "workspace/corrections/",
    ]], f"staff-editor-{lang}")
    editor_context.close()

    partner_context = context_for(partner)
    check_pages(partner_context, site, [f"/{lang}/workspace/", f"/{lang}/workspace/updates/new/"],
                f"staff-partner-{lang}")
    # A form with its errors shown: the new-update form sent empty.
    page = partner_context.new_page()
    page.goto(f"{site}/{lang}/workspace/updates/new/")
    # The browser's own checks (required fields) would stop the empty form before the server sees it: turn them
    # off so that the server's error page is what gets checked.
    page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.add_script_tag(content=axe_source())
    violations = page.evaluate(RUN_AXE, TAGS)
    serious = [f"{v['id']}: {v['nodes']}" for v in violations if v["impact"] in BLOCKING]
    assert not serious, serious
    assert page.locator("[aria-invalid=true]").count() >= 1, "fields in error are not marked aria-invalid"
    partner_context.close()


@pytest.mark.rendering
def test_the_keyboard_reaches_a_country_from_the_skip_link_with_a_visible_focus(page, site):
    page.goto(f"{site}/en/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_class("skip")
    assert _focus_visible(page), "the skip link has no visible focus"
    page.keyboard.press("Enter")
    # From the main content, tab until the map's link to Kyrgyzstan (or the list beside it) has the focus.
    for _step in range(400):
        page.keyboard.press("Tab")
        assert _focus_visible(page), f"no visible focus on {page.evaluate('document.activeElement.outerHTML.slice(0, 120)')}"
        if page.evaluate("document.activeElement.getAttribute('href')") == "/en/countries/kgz/":
            break
    else:
        pytest.fail("Tab never reached Kyrgyzstan")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/en/countries/kgz/")
    expect(page.locator("h1")).to_have_text("Kyrgyzstan")


@pytest.mark.rendering
def test_the_language_switcher_works_by_keyboard(page, site):
    page.goto(f"{site}/en/countries/kgz/")
    link = page.locator('.languages a[lang="ru"]')
    link.focus()
    assert _focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/ru/countries/kgz/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def _focus_visible(page):
    """The focused element draws an outline (or a box shadow) of its own: :focus-visible is styled."""
    return page.evaluate("""() => {
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      const style = getComputedStyle(el);
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) return true;
      if (style.boxShadow && style.boxShadow !== 'none') return true;
      // A link of the map: its country shape (or dot) gets a thick dark outline.
      const shape = el.querySelector && el.querySelector('path, circle');
      if (shape) {
        const s = getComputedStyle(shape);
        return s.stroke !== 'none' && parseFloat(s.strokeWidth) >= 2.5;
      }
      return false;
    }""")


@pytest.mark.rendering
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_reflow_at_320_css_pixels(browser, site, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    for path in public_paths():
        page.goto(f"{site}/{lang}/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"/{lang}/{path} scrolls sideways by {overflow}px at 320px"
    context.close()


@pytest.mark.rendering
def test_reduced_motion_is_honoured(browser, site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{site}/en/")
    durations = page.evaluate("""() => [...document.querySelectorAll('a, button, .worldmap path')].slice(0, 200)
        .map(el => getComputedStyle(el).transitionDuration)""")
    assert all(d in ("0s", "1e-05s") or d.startswith("0s") for d in durations), set(durations)
    context.close()
