"""The findings page in a real browser (English and Arabic), and the printed report rendered to PNG pages."""
import shutil
import subprocess

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.mark.browser
@pytest.mark.rendering
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang, closed", [("en", "Closed"), ("ar", "مغلق")])
def test_findings_page(page, site, lang, closed):
    page.goto(f"{site}/{lang}/findings/")
    expect(page).to_have_url(f"{site}/{lang}/findings/2025-12/")
    card = page.locator(".legend li", has_text=closed)
    expect(card.locator(".legend-count")).to_have_text("33")
    expect(page.locator("#history-chart-title")).to_have_count(1)
    if lang == "ar":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.select_option("#edition-pick", "2020-12")
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(f"{site}/{lang}/findings/2020-12/")


@pytest.mark.browser
@pytest.mark.rendering
@pytest.mark.django_db
@pytest.mark.parametrize("lang, phrase", [("en", "Closed 33"), ("ru", "Закрытое 33")])
def test_report_pdf_renders_to_png_pages(tmp_path, lang, phrase):
    if not (shutil.which("pdftoppm") and shutil.which("chromium")):
        message = "the report needs Debian's chromium and poppler-utils (make test installs them)"
        if __import__("os").environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / f"report-{lang}.pdf"
    call_command("report", "--edition", "2025-12", "--lang", lang, "--out", str(out), stdout=open("/dev/null", "w"))
    assert out.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 5000 for p in pages)
    words = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert phrase in " ".join(words.split())
