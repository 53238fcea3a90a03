"""A partner pastes a Russian news item into "New update from a text", accepts the suggestions with one edit, and
gets a draft update with the right country, date, incidents and source (issue 18), in real Chromium."""
import pytest
from playwright.sync_api import expect

from civicspace.monitoring.models import Update
from tests.monitoring_fixtures import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A real item of the development set (civicspace/intake/devset/ru-blr-viasna-head-detained.txt).
NEWS = """Правозащитника задержали в Беларуси
В Беларуси в среду 14 июля задержали руководителя правозащитного центра "Вясна" Алеся Бяляцкого.
В марте Следственный комитет Беларуси возбудил в отношении "Вясны" уголовное дело по статье об организации и активном участии в групповых действиях, грубо нарушающих общественный порядок.
В Беларуси утром 14 июля прошли обыски в нескольких сотрудников этой организации."""
SOURCE = ("https://my.ua/uk/news/cluster/2021-07-14-obyski-u-pravozashchitnikov-evrosoiuz-grozit-belarusi-"
          "posledstviiami/c039454e-6490-51b0-6d58-418ba9a8e6fb")


@pytest.fixture
def partner(reference_data):
    from civicspace.accounts.models import Role
    from civicspace.monitoring.models import Organisation

    org = Organisation.objects.create(slug="test-partner-blr", name="Test partner BLR (synthetic)")
    return make_user("partner-blr@test.invalid", Role.PARTNER, organisation=org, countries=["BLR"])


def test_paste_a_russian_item_accept_with_one_edit(browser, live_server, partner):
    site = live_server.url
    page = browser.new_context().new_page()
    page.goto(f"{site}/ru/accounts/login/")
    page.fill("#id_login", "partner-blr@test.invalid")
    page.fill("#id_password", "correct horse battery staple")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/ru/workspace/")

    page.get_by_role("link", name="Новое обновление из текста").click()
    expect(page).to_have_url(f"{site}/ru/workspace/intake/")
    page.fill("#id_text", NEWS)
    page.fill("#id_source_url", SOURCE)
    page.fill("#id_source_date", "2021-07-14")
    page.get_by_role("button", name="Предложить").click()

    # The suggestions, each with its highlighted evidence.
    expect(page.get_by_role("heading", name="Проверьте предложения")).to_be_visible()
    expect(page.locator(".intake-text mark").first).to_be_visible()
    assert page.locator("#id_country option:checked").inner_text().strip() in ("Беларусь", "Белоруссия")
    assert page.input_value("#id_date") == "2021-07-14"
    assert page.input_value("#id_original_language") == "ru"
    incidents = page.locator("fieldset.incident").count()
    assert incidents >= 2

    # One edit: a better title.
    page.fill("#id_title", "Беларусь: задержан руководитель «Вясны»")
    page.get_by_role("button", name="Подтвердить и сохранить как черновик").click()

    update = Update.objects.get(title_ru="Беларусь: задержан руководитель «Вясны»")
    expect(page).to_have_url(f"{site}/ru/workspace/updates/{update.pk}/")
    assert update.status == "draft" and update.country.code == "BLR" and update.original_language == "ru"
    assert str(update.date) == "2021-07-14"
    assert update.sources.get().url == SOURCE
    saved = list(update.incidents.prefetch_related("types", "sources"))
    assert len(saved) == incidents
    codes = {t.code for i in saved for t in i.types.all()}
    assert {"hrd_detained", "raid_search"} <= codes
    assert any(str(i.date) == "2021-07-14" for i in saved)
    assert all(list(i.sources.all()) == [update.sources.get()] for i in saved)
