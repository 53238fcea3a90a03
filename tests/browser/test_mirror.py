"""The mirror kit's Done-when journey: a mirror opened from disk (file://), searched in Russian (a word prefix, as readers type), reaching the
Kyrgyz country page, with no server anywhere."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from civicspace.mirror import builder, signing

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_mirror_from_disk_search_in_russian_reaches_kyrgyzstan(page, tmp_path):
    out = tmp_path / "mirror"
    result = builder.mirror_build(builder.Options(out=out, languages=["en", "ru"], countries=["kgz"],
                                                  only=["pages", "countries"], pagefind=False),
                                  signing_key=signing.private_key_load(signing.keypair_new()[0]))
    assert result.failed == []
    page.goto(Path(out / "index.html").as_uri())
    page.get_by_role("link", name="Русский").click()
    expect(page).to_have_url((out / "ru/index.html").as_uri())
    page.get_by_role("navigation", name="Основное меню").get_by_role("link", name="Поиск").click()
    expect(page).to_have_url((out / "ru/search/index.html").as_uri())
    page.get_by_label("Поиск по этой копии").fill("киргиз")
    page.get_by_role("button", name="Поиск").click()
    result_link = page.locator("#mirror-search-results a").first
    expect(result_link).to_have_text("Киргизия")
    result_link.click()
    expect(page).to_have_url((out / "ru/countries/kgz/index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Киргизия")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
