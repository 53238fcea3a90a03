"""Issue 25: a newly invited editor and partner set up two-factor authentication in Debian's Chromium, with the
browser's own favicon and asset requests let through (nothing blocked), then sign out and sign in again with a
code. The codes are computed here (RFC 6238, HMAC-SHA1, 30 s, 6 digits)."""
import base64
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.signals import request_started
from django.core.management import call_command
from playwright.sync_api import expect

from civicspace.accounts.models import Role
from civicspace.monitoring.models import Organisation
from tests.totp import fresh_code, totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase 42"


def test_rfc_6238_test_vector():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> last 6 digits.
    assert totp(base64.b32encode(b"12345678901234567890").decode(), at=59) == "287082"


def invite(email, role, organisation, countries="KGZ"):
    out = io.StringIO()
    outbox = getattr(mail, "outbox", None)
    if outbox is not None:
        outbox.clear()
    call_command("invite", email, "--role", role, "--organisation", organisation, "--countries", countries,
                 stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    if settings.EMAIL_BACKEND.endswith("locmem.EmailBackend"):
        assert link in mail.outbox[0].body
    return link.split("8000", 1)[1]


def load_favicon_and_assets(page):
    """What Chromium does by itself, done again on purpose so the test does not depend on its timing: an image
    request for /favicon.ico and the style sheet, with the browser's own Sec-Fetch headers."""
    page.evaluate("""() => Promise.all(['/favicon.ico', '/en/favicon.ico', '/static/civicspace/site.css'].map(
        src => new Promise(done => { const img = new Image(); img.onload = img.onerror = done; img.src = src; })))""")


def set_up_totp(page, site):
    if "/reauthenticate/" in page.url:
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/en/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    load_favicon_and_assets(page)
    page.reload()  # a reload (or a second tab) shows the same secret
    load_favicon_and_assets(page)
    assert page.locator("#authenticator_secret").input_value() == secret
    page.fill("#id_code", fresh_code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/en/accounts/2fa/recovery-codes/")
    return secret


def sign_out_and_in_with_a_code(page, site, email, secret):
    page.goto(f"{site}/en/accounts/logout/")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{site}/en/accounts/login/")
    expect(page.locator("main")).to_contain_text("Accounts are by invitation")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/en/accounts/2fa/authenticate/")
    load_favicon_and_assets(page)
    page.fill("#id_code", fresh_code(secret))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{site}/en/workspace/")


def accept_invitation_and_sign_up(page, site, path, email, role):
    page.goto(site + path)
    expect(page.locator("main")).to_contain_text("Research partner" if role == Role.PARTNER else "Editor")
    expect(page.locator("main")).to_contain_text("Kyrgyzstan")
    page.get_by_role("button", name="Accept and create my account").click()
    expect(page).to_have_url(f"{site}/en/accounts/signup/")
    expect(page.locator("#id_email")).to_have_value(email)
    expect(page.locator("#id_email")).to_have_attribute("readonly", "")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main form button[type=submit]").click()
    if role == Role.EDITOR:
        # An editor cannot do anything before the second factor: every page leads to its set-up.
        page.goto(f"{site}/en/workspace/")
    else:
        page.goto(f"{site}/en/accounts/2fa/totp/activate/")
    return set_up_totp(page, site)


def test_an_invited_editor_and_partner_set_up_two_factor_and_sign_in_again(browser, site):
    Organisation.objects.create(slug="test-staff", name="Monitor staff (synthetic)")
    Organisation.objects.create(slug="test-partner", name="Test partner (synthetic)")
    favicon_requests = []

    def record(sender, environ, **kwargs):  # what reached the server, with the browser's own fetch metadata
        if "favicon" in environ.get("PATH_INFO", ""):
            favicon_requests.append(environ.get("HTTP_SEC_FETCH_DEST"))

    request_started.connect(record, weak=False)
    for email, role, organisation in (("new-editor@test.invalid", Role.EDITOR, "test-staff"),
                                      ("new-partner@test.invalid", Role.PARTNER, "test-partner")):
        path = invite(email, role, organisation)
        context = browser.new_context()
        page = context.new_page()
        secret = accept_invitation_and_sign_up(page, site, path, email, role)
        page.goto(f"{site}/en/workspace/")
        expect(page).to_have_url(f"{site}/en/workspace/")
        sign_out_and_in_with_a_code(page, site, email, secret)
        context.close()
    users = get_user_model().objects.filter(email__in=["new-editor@test.invalid", "new-partner@test.invalid"])
    assert sorted(u.profile.role for u in users) == [Role.EDITOR, Role.PARTNER]
    request_started.disconnect(record)
    assert "image" in favicon_requests  # the favicon was really requested, as an image, along the way
