"""Accounts: invitation-only sign-up, two-factor authentication for staff roles, throttled logins, audit."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from civicspace.accounts.models import Role
from civicspace.accounts.services import invitation_create, profile_set_role
from civicspace.audit.models import AuditEvent
from civicspace.countries.models import Country
from tests.monitoring_fixtures import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long enough passphrase 42"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def signup(client, email):
    return client.post("/en/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def test_sign_up_is_closed_without_an_invitation(client):
    response = signup(client, "stranger@test.invalid")
    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.filter(email="stranger@test.invalid").exists()


def test_an_invitation_creates_the_account_with_its_role_organisation_and_countries(client, people):
    invitation = invitation_create(email="new@test.invalid", role=Role.PARTNER, organisation=people["kgz_org"],
                                   countries=Country.objects.filter(code="KGZ"), invited_by=people["admin"])
    assert client.get(f"/en/accounts/invitation/{invitation.token}/").status_code == 302
    signup(client, "new@test.invalid")
    user = User.objects.get(email="new@test.invalid")
    assert user.profile.role == Role.PARTNER and user.profile.organisation == people["kgz_org"]
    assert list(user.profile.countries.values_list("code", flat=True)) == ["KGZ"]
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    # Single use: the link no longer works, and sign-up is closed again.
    other = Client()
    assert other.get(f"/en/accounts/invitation/{invitation.token}/").status_code == 404
    signup(other, "second@test.invalid")
    assert not User.objects.filter(email="second@test.invalid").exists()
    assert AuditEvent.objects.filter(action="accounts.invitation_accept", actor=user).exists()


def test_an_expired_invitation_is_refused(client, people):
    invitation = invitation_create(email="late@test.invalid", role=Role.PARTNER, organisation=people["kgz_org"])
    invitation.expires_at = timezone.now() - dt.timedelta(minutes=1)
    invitation.save()
    assert client.get(f"/en/accounts/invitation/{invitation.token}/").status_code == 404
    assert client.get("/en/accounts/invitation/not-a-token/").status_code == 404


@pytest.mark.parametrize("role", [Role.EDITOR, Role.PANEL, Role.ADMIN])
def test_staff_roles_must_set_up_two_factor_authentication_first(client, role):
    make_user(f"{role}@test.invalid", role)
    client.post("/en/accounts/login/", {"login": f"{role}@test.invalid", "password": "correct horse battery staple"})
    response = client.get("/en/workspace/")
    assert response.status_code == 302 and response["Location"] == "/en/accounts/2fa/totp/activate/"
    # allauth asks for the password once more before a second factor is added.
    page = client.get("/en/accounts/2fa/totp/activate/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/en/accounts/reauthenticate/")
    page = client.post(page.redirect_chain[-1][0], {"password": "correct horse battery staple"}, follow=True)
    assert page.status_code == 200 and "Authenticator code" in page.content.decode()


def test_partners_may_work_without_two_factor(client, people):
    client.force_login(people["partner"])
    assert client.get("/en/workspace/").status_code == 200


def test_staff_with_totp_are_asked_for_a_code_at_login(client, people):
    response = client.post("/en/accounts/login/", {"login": "editor@test.invalid",
                                                   "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/2fa/authenticate/"
    assert client.get("/en/workspace/").status_code == 302  # not logged in until the code is given


def test_failed_logins_are_throttled_and_audited(client, people):
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": "partner@test.invalid", "password": "wrong"})
    # Now even the right password is refused for a while.
    response = client.post("/en/accounts/login/", {"login": "partner@test.invalid",
                                                   "password": "correct horse battery staple"})
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/en/workspace/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login_failed", actor_label="partner@test.invalid").count() >= 5


def test_successful_login_is_audited(client, people):
    client.post("/en/accounts/login/", {"login": "partner@test.invalid", "password": "correct horse battery staple"})
    assert AuditEvent.objects.filter(action="accounts.login", actor=people["partner"]).exists()


def test_password_reset_does_not_reveal_whether_an_account_exists(client, people):
    known = client.post("/en/accounts/password/reset/", {"email": "partner@test.invalid"})
    unknown = client.post("/en/accounts/password/reset/", {"email": "nobody@test.invalid"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_role_changes_are_audited(people):
    profile = people["partner"].profile
    profile_set_role(profile=profile, role=Role.EDITOR, actor=people["admin"])
    event = AuditEvent.objects.get(action="accounts.role_change")
    assert event.data == {"from": "partner", "to": "editor"} and event.actor == people["admin"]


def test_password_change_ends_other_sessions(people):
    first, second = Client(), Client()
    first.force_login(people["partner"])
    second.force_login(people["partner"])
    user = people["partner"]
    user.set_password("a completely new passphrase 99")
    user.save()
    assert second.get("/en/workspace/").status_code == 302  # the old session is no longer valid


def test_invite_command_creates_a_working_link(client, people, django_capture_on_commit_callbacks):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is a job queued when the command commits
        call_command("invite", "someone@test.invalid", "--role", "partner", "--organisation", "test-partner-kgz",
                     "--countries", "kgz", stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/en/accounts/invitation/")
    assert mail.outbox and link in mail.outbox[0].body
    assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 302
    with pytest.raises(CommandError, match="--countries: unknown country code"):
        call_command("invite", "x@test.invalid", "--role", "partner", "--organisation", "test-partner-kgz",
                     "--countries", "ZZZ")
    with pytest.raises(CommandError, match="--organisation: a research partner must belong"):
        call_command("invite", "x@test.invalid", "--role", "partner")
