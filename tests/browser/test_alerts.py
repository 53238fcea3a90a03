"""Issue 19, done when: a visitor subscribes to Kyrgyzstan in Russian from the country page, confirms with the link
from the e-mail a real SMTP server received, gets the Russian alert when an editor publishes a Kyrgyz update, and
unsubscribes with one click from the link in that alert."""
import re
import time

import pytest
from playwright.sync_api import expect

from civicspace.alerts.models import Subscriber
from civicspace.countries.models import Country
from civicspace.monitoring import services as monitoring
from civicspace.monitoring.models import Status
from tests.monitoring_fixtures import make_update
from tests.smtp_server import smtp_inbox  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(inbox, address, count):
    for _ in range(100):  # the live server sends after its commit, in its own thread
        if len(inbox.to(address)) >= count:
            return inbox.to(address)
        time.sleep(0.1)
    raise AssertionError(f"{address} received {len(inbox.to(address))} e-mail(s), expected {count}")


def test_subscribe_confirm_receive_and_unsubscribe(page, site, people, smtp_inbox, settings):
    settings.SITE_URL = site
    address = "reader@test.invalid"
    page.goto(f"{site}/ru/countries/kgz/")
    page.get_by_role("link", name="Получать оповещения по этой стране").click()
    expect(page.locator("h1")).to_have_text("Получать оповещения")
    kgz = Country.objects.get(code="KGZ")
    assert page.locator("#id_countries").evaluate("s => [...s.selectedOptions].map(o => o.value)") == [str(kgz.pk)]
    page.get_by_label("Ваш адрес электронной почты").fill(address)
    page.get_by_role("button", name="Подписаться").click()
    expect(page.locator("h1")).to_have_text("Проверьте почту")

    [confirmation] = wait_for(smtp_inbox, address, 1)
    page.goto(re.search(r"http\S+/ru/alerts/confirm/\S+/", confirmation["body"]).group(0))
    page.get_by_role("button", name="Подтвердить подписку").click()
    expect(page.locator(".messages")).to_contain_text("Подписка подтверждена")

    people["editor"].profile.countries.set([kgz])
    update = make_update(people, Status.VERIFIED)
    monitoring.update_transition(update=update, actor=people["editor"], name="publish")
    alert = wait_for(smtp_inbox, address, 2)[1]
    assert alert["subject"].startswith("Новое сообщение") and f"/ru/updates/{update.pk}/" in alert["body"]

    page.set_content(alert["html"])  # the HTML part, as a mail client shows it
    page.get_by_role("link", name="Отписаться").click()
    page.get_by_role("button", name="Отписаться и удалить мой адрес").click()
    expect(page.locator("h1")).to_have_text("Вы отписались")
    assert not Subscriber.objects.filter(email=address).exists()
