"""Accounts, beyond test_accounts.py: session expiry, sessions ended by a password change made in the site, the
admin's login cannot skip the second factor, invitation edge cases, password reset that reveals nothing, and the
audit events of logins, 2FA changes, password changes, role and privilege changes."""
import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from civicspace.accounts.models import Invitation, Role
from civicspace.accounts.services import invitation_create
from civicspace.audit.models import AuditEvent
from tests.monitoring_fixtures import make_user
from tests.totp import fresh_code

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct horse battery staple"


def login(client, email, password=PASSWORD):
    return client.post("/en/accounts/login/", {"login": email, "password": password})


def actions(user=None):
    events = AuditEvent.objects.all() if user is None else AuditEvent.objects.filter(actor=user)
    return list(events.order_by("id").values_list("action", flat=True))


# --- Sessions ------------------------------------------------------------------------------------------------------
def test_sessions_expire_on_the_server(client, people):
    assert login(client, "partner@test.invalid").status_code == 302
    assert client.get("/en/workspace/").status_code == 200
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600 and not settings.ACCOUNT_SESSION_REMEMBER
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # The working day is over: the same cookie no longer opens anything.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/en/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")


def test_a_password_changed_in_the_site_ends_every_session(people):
    here, elsewhere = Client(), Client()
    login(here, "partner@test.invalid")
    login(elsewhere, "partner@test.invalid")
    response = here.post("/en/accounts/password/change/", {"oldpassword": PASSWORD,
                                                           "password1": "a new long passphrase 731",
                                                           "password2": "a new long passphrase 731"})
    assert response.status_code == 302
    for client in (here, elsewhere):  # ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE: the changer signs in again too
        assert client.get("/en/workspace/").status_code == 302
    assert "accounts.password_change" in actions(people["partner"])
    assert login(Client(), "partner@test.invalid", "a new long passphrase 731").status_code == 302


def test_a_deactivated_account_loses_its_open_session(client, people):
    client.force_login(people["partner"])
    people["partner"].is_active = False
    people["partner"].save()
    assert client.get("/en/workspace/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.privilege_change", target_id=str(people["partner"].pk),
                                     data={"is_active": [True, False]}).exists()


# --- The admin cannot be a way around two-factor authentication ------------------------------------------------
def test_the_admin_login_form_does_not_sign_anyone_in(client, people):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    response = client.post("/en/admin/login/?next=/en/admin/", {"username": "admin@test.invalid",
                                                                 "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    assert client.get("/en/admin/").status_code == 302
    # Through the site's login the password alone is not enough either: the code is asked for first.
    response = login(client, "admin@test.invalid")
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert client.get("/en/admin/").status_code == 302
    secret = admin.totp_secret
    response = client.post("/en/accounts/2fa/authenticate/", {"code": fresh_code(secret)})
    assert response.status_code == 302
    assert client.get("/en/admin/").status_code == 200


def test_a_wrong_second_factor_code_is_refused_and_audited(client, people):
    login(client, "editor@test.invalid")
    response = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    assert client.get("/en/workspace/").status_code == 302
    assert "accounts.2fa_failed" in actions(people["editor"])


# --- Invitations -----------------------------------------------------------------------------------------------
def test_invitation_tokens_are_long_and_random(people):
    tokens = {invitation_create(email=f"n{i}@test.invalid", role=Role.PARTNER,
                                organisation=people["kgz_org"]).token for i in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 43 for t in tokens)  # 32 random bytes, URL-safe


def test_an_invitation_that_expires_after_the_link_was_followed_still_cannot_be_used(client, people):
    invitation = invitation_create(email="late@test.invalid", role=Role.EDITOR, organisation=people["kgz_org"])
    assert client.post(f"/en/accounts/invitation/{invitation.token}/").status_code == 302
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post("/en/accounts/signup/", {"email": "late@test.invalid", "password1": "a long passphrase 88",
                                                    "password2": "a long passphrase 88"})
    assert "Accounts are by invitation" in response.content.decode()
    assert not User.objects.filter(email="late@test.invalid").exists()


def test_one_invitation_makes_one_account_even_from_two_browsers(people):
    invitation = invitation_create(email="twice@test.invalid", role=Role.PARTNER, organisation=people["kgz_org"])
    first, second = Client(), Client()
    for client in (first, second):
        assert client.post(f"/en/accounts/invitation/{invitation.token}/").status_code == 302
    data = {"email": "twice@test.invalid", "password1": "a long passphrase 88", "password2": "a long passphrase 88"}
    first.post("/en/accounts/signup/", data)
    second.post("/en/accounts/signup/", data)
    assert User.objects.filter(email="twice@test.invalid").exists()
    assert User.objects.filter(email="twice@test.invalid").count() == 1


# --- Password reset ----------------------------------------------------------------------------------------------
def test_password_reset_pages_and_mails_reveal_nothing(people):
    pages = []
    for email in ("partner@test.invalid", "nobody@test.invalid"):
        response = Client().post("/en/accounts/password/reset/", {"email": email}, follow=True)
        pages.append((response.redirect_chain, response.content.decode().replace(email, "EMAIL")))
    assert pages[0] == pages[1]
    # Only the real account's mailbox gets a reset link; the other gets a note that there is no account.
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "/accounts/password/reset/key/" in by_recipient["partner@test.invalid"]
    assert "/accounts/password/reset/key/" not in by_recipient.get("nobody@test.invalid", "")


# --- Audit events ------------------------------------------------------------------------------------------------
def test_setting_up_and_removing_two_factor_authentication_is_audited(client, django_capture_on_commit_callbacks):
    user = make_user("newpanel@test.invalid", Role.PANEL)
    login(client, "newpanel@test.invalid")
    page = client.get("/en/accounts/2fa/totp/activate/", follow=True)
    client.post(page.redirect_chain[-1][0], {"password": PASSWORD})  # allauth asks for the password again
    client.get("/en/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals once its transaction commits
        response = client.post("/en/accounts/2fa/totp/activate/", {"code": fresh_code(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert client.get("/en/workspace/").status_code == 200
        client.post("/en/accounts/2fa/recovery-codes/generate/", {})
        client.post("/en/accounts/2fa/totp/deactivate/", {})
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recorded = actions(user)
    assert recorded.count("accounts.2fa_added") == 2  # the TOTP app and the recovery codes made with it
    assert "accounts.2fa_reset" in recorded and "accounts.2fa_removed" in recorded
    # Without a second factor a panel member is sent to set one up again.
    assert client.get("/en/workspace/")["Location"] == "/en/accounts/2fa/totp/activate/"


def test_logins_logouts_and_failures_are_audited(client, people):
    login(client, "partner@test.invalid", "wrong password")
    login(client, "partner@test.invalid")
    client.post("/en/accounts/logout/")
    assert actions(people["partner"]) == ["accounts.login", "accounts.logout"]
    failed = AuditEvent.objects.get(action="accounts.login_failed")
    assert failed.actor_label == "partner@test.invalid" and "wrong password" not in str(failed.data)


def test_role_privilege_and_country_changes_in_the_admin_are_audited(client, people):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    partner = people["partner"]
    profile = partner.profile
    response = client.post(f"/en/admin/accounts/profile/{profile.pk}/change/", {
        "user": partner.pk, "role": "editor", "organisation": profile.organisation_id,
        "countries": list(profile.countries.values_list("pk", flat=True)) + [
            people["partner_other_org"].profile.countries.exclude(code="KGZ").first().pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    role = AuditEvent.objects.get(action="accounts.role_change")
    assert role.actor == admin and role.data == {"from": "partner", "to": "editor"}
    assert role.target_id == str(partner.pk)
    countries = AuditEvent.objects.get(action="accounts.countries_change")
    assert countries.data == {"from": ["KGZ"], "to": ["KAZ", "KGZ"]}
    # Making someone a superuser anywhere is recorded, with who did it when a request did it.
    editor = people["editor"]
    editor.is_superuser = True
    editor.save()
    event = AuditEvent.objects.get(action="accounts.privilege_change", target_id=str(editor.pk))
    assert event.data == {"is_superuser": [False, True]}
