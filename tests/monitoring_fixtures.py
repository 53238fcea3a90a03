"""People, organisations and updates for the monitoring tests. Test data only: the organisations and
people here are synthetic and labelled as such; they never reach the demo database."""
import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from civicspace.accounts.models import Profile, Role
from civicspace.countries.models import Country
from civicspace.monitoring.models import Incident, Organisation, Source, Status, Term, Update, Victim

User = get_user_model()

CONFIDENTIAL_TITLE = "CANARY-confidential-source-8d1e"
CONFIDENTIAL_NOTE = "CANARY-editor-note-77aa"
SENSITIVE_NAME = "CANARY-sensitive-victim-name-5c2f"
PUBLIC_NAME = "Public Outlet Name (test)"


def make_user(email, role=None, *, organisation=None, countries=(), active=True, totp=False):
    user = User.objects.create_user(username=email, email=email, password="correct horse battery staple",
                                    is_active=active)
    if role:
        profile = Profile.objects.create(user=user, role=role, organisation=organisation)
        profile.countries.set(Country.objects.filter(code__in=countries))
    if totp:
        user.totp_secret = generate_totp_secret()
        TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def people(db):
    kgz_org = Organisation.objects.create(slug="test-partner-kgz", name="Test partner KGZ (synthetic)")
    kaz_org = Organisation.objects.create(slug="test-partner-kaz", name="Test partner KAZ (synthetic)")
    staff = Organisation.objects.create(slug="test-monitor-staff", name="Monitor staff (synthetic)")
    return {
        "partner": make_user("partner@test.invalid", Role.PARTNER, organisation=kgz_org, countries=["KGZ"]),
        "partner_same_org_other_country": make_user("partner2@test.invalid", Role.PARTNER, organisation=kgz_org,
                                                    countries=["KAZ"]),
        "partner_other_org": make_user("partner3@test.invalid", Role.PARTNER, organisation=kaz_org,
                                       countries=["KGZ", "KAZ"]),
        "editor": make_user("editor@test.invalid", Role.EDITOR, organisation=staff, totp=True),
        "panel": make_user("panel@test.invalid", Role.PANEL, totp=True),
        "admin": make_user("admin@test.invalid", Role.ADMIN, organisation=staff, totp=True),
        "deactivated": make_user("gone@test.invalid", Role.EDITOR, organisation=staff, active=False, totp=True),
        "kgz_org": kgz_org,
    }


def term(vocabulary, code):
    return Term.objects.get(vocabulary=vocabulary, code=code)


def make_update(people, status=Status.DRAFT, *, with_evidence=True, pk=None):
    """A Kyrgyzstan update by the test partner, with an incident, a public and a confidential source."""
    update = Update.objects.create(
        pk=pk,
        country=Country.objects.get(code="KGZ"), date=dt.date(2024, 3, 1), original_language="en",
        title_en="Test update (synthetic)", summary_en="Synthetic summary for tests.", body_en="Synthetic **body**.",
        organisation=people["kgz_org"], created_by=people["partner"], status=status,
    )
    update.freedoms.set([term("freedom", "expression")])
    if with_evidence:
        public = Source.objects.create(update=update, title="Public test source", publisher="Test",
                                       url="https://example.org/public")
        secret = Source.objects.create(update=update, title=CONFIDENTIAL_TITLE, url="https://example.org/secret",
                                       confidential=True, note=CONFIDENTIAL_NOTE)
        incident = Incident.objects.create(update=update, date=dt.date(2024, 1, 1), date_precision="month",
                                           description_en="Synthetic incident.")
        incident.types.set([term("violation", "raid_search")])
        incident.freedoms.set([term("freedom", "expression")])
        incident.sources.set([public, secret])
        Victim.objects.create(incident=incident, type=term("victim", "journalist"), count=2,
                              names=SENSITIVE_NAME, names_sensitive=True)
        Victim.objects.create(incident=incident, type=term("victim", "media_outlet"), count=1,
                              names=PUBLIC_NAME, names_sensitive=False)
    return update
