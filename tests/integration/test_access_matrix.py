"""The access matrix: every URL pattern of the site (Django's resolver, the /api/v1/ routes included) × every role ×
every state of an update, asserting who is let in and who is kept out.

HOW TO EXTEND IT. `ROWS` below is plain data, one row per URL pattern, keyed by the pattern exactly as Django's
resolver spells it (the language prefix written `<lang>/`). A row is

    "<lang>/laws/<int:pk>/": ("GET", "/en/laws/{bill}/", PUBLIC),

method, a concrete URL (placeholders in braces are real test objects made by `objects()` below), and a policy:
one of the named policies (PUBLIC, SIGNED_IN, EDITORS_ONLY, ...), i.e. a dict role -> outcome, or a function
(role, state) -> outcome for pages of one update. Outcomes:

    ALLOW  the request got through the access check (200, or a redirect that is not to a login page). For a
           POST this means the action HAPPENED: the row carries a valid payload (POST_DATA) and the test checks
           that the expected audit event (EFFECTS) was written and a row changed. A 400 (form refused) is
           never counted as allowed.
    LOGIN  302 to a login page          DENY  403 (the user may know the object exists, but may not do this)
    HIDE   404 (existence is itself sensitive, or the object is not public)
    ABSENT 404 for everyone (no such thing to serve)          NOT_ALLOWED 405

A URL pattern without a row fails `test_every_url_pattern_has_a_row` with the exact line to add; a POST row
without a payload and an expected effect fails `test_every_post_row_says_what_it_does`.

After every refused request (and every POST whose expected effect is None) nothing in the watched tables has
changed and no audit event was written. Each role's request runs in a savepoint rolled back afterwards, so
every role acts on the same state.
Every pattern under admin/ is covered by the ADMIN_SITE rule (Django's admin checks staff status itself).
"""
import datetime as dt
import hashlib

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from civicspace.accounts.models import Invitation, Role
from civicspace.audit.models import AuditEvent
from civicspace.cases.models import Case
from civicspace.countries.models import Country
from civicspace.legislation.models import Bill, StageEvent
from civicspace.monitoring.models import Status
from civicspace.ratings.models import Assessment, EditionDraft, PanelVote, RatingProposal
from civicspace.watchlist.models import WatchlistEdition, WatchlistEntry
from tests.monitoring_fixtures import make_update, make_user

pytestmark = pytest.mark.django_db

ALLOW, LOGIN, DENY, HIDE, NOT_ALLOWED = "allow", "login", "deny (403)", "hide (404)", "not allowed (405)"
ABSENT = HIDE  # the same 404, for everyone

ROLES = ["anonymous", "partner", "partner_other_country", "partner_other_org", "editor", "panel", "admin",
         "deactivated"]
STATES = [s.value for s in Status]  # draft, submitted, in_review, changes_requested, verified, published, retracted
LOGGED_OUT = {"anonymous", "deactivated"}
STAFF_EDITORS = {"editor", "admin"}
PARTNERS = {"partner", "partner_other_country", "partner_other_org"}


def policy(default, **by_role):
    return {role: by_role.get(role, default) for role in ROLES}


# --- Named policies (role -> outcome) ---------------------------------------------------------------------------
PUBLIC = policy(ALLOW)
NOWHERE = policy(ABSENT)
SIGNED_IN = policy(ALLOW, anonymous=LOGIN, deactivated=LOGIN)
SIGNED_OUT_ONLY = policy(ALLOW)  # login/sign-up pages: signed-in users are redirected onwards, which is ALLOW
EDITORS_ONLY = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, admin=ALLOW)
EDITORS_ONLY_403 = policy(DENY, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, admin=ALLOW)
EDITORS_AND_PARTNERS = policy(ALLOW, anonymous=LOGIN, deactivated=LOGIN, panel=HIDE)
# A Kyrgyz bill: editors and partners assigned to Kyrgyzstan (partner, partner_other_org) may propose stages.
KGZ_BILL = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, admin=ALLOW, partner=ALLOW,
                  partner_other_org=ALLOW)
# New update: editors, and partners with an organisation; panel members have no organisation and no countries.
UPDATE_CREATE = policy(ALLOW, anonymous=LOGIN, deactivated=LOGIN, panel=DENY)
ADMIN_SITE = policy(LOGIN, admin=ALLOW)
# Rating decisions: the panel may see proposals (403 for what it may not do); others do not know they exist.
RATING_STAFF = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, admin=ALLOW, panel=ALLOW)
RATING_EDITORS = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, admin=ALLOW, panel=DENY)
RATING_PANEL = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=DENY, admin=DENY, panel=ALLOW)
# A Kyrgyz assessment by the Kyrgyz partner's organisation: that organisation's partner for Kyrgyzstan, editors.
KGZ_ORG = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, admin=ALLOW, partner=ALLOW)
# Pages about one's own second factor: 404 for someone who has none (partners need not set one up).
HAS_2FA = policy(HIDE, anonymous=LOGIN, deactivated=LOGIN, editor=ALLOW, panel=ALLOW, admin=ALLOW)
# Login and re-authentication by e-mailed code are switched off: nothing to confirm, so it sends you on
# (signed out: to the login page). The same shape as SIGNED_IN.
CODES_OFF = SIGNED_IN


# --- Policies for the pages of one update, by its state ---------------------------------------------------------
# Only the authoring partner (own organisation, assigned country) and editors know a workspace update exists.
def _workspace(role):
    if role in LOGGED_OUT:
        return LOGIN
    if role in STAFF_EDITORS or role == "partner":
        return None
    return HIDE


def UPDATE_VIEW(role, state):
    return _workspace(role) or ALLOW


def UPDATE_EDIT(role, state):
    """Partners edit while draft or returned; editors until it is retracted."""
    if _workspace(role):
        return _workspace(role)
    if role == "partner":
        return ALLOW if state in {"draft", "changes_requested"} else DENY
    return DENY if state == "retracted" else ALLOW


def UPDATE_COMMENT(role, state):
    return _workspace(role) or ALLOW


def UPDATE_SUBMIT(role, state):
    """POST actions/submit/: a refusal for the wrong state is a redirect with a message (ALLOW: it got in)."""
    return _workspace(role) or ALLOW


def UPDATE_PUBLISH_CONFIRM(role, state):
    """The confirmation page before publishing: editors, while the update is verified (403 in another state)."""
    if _workspace(role):
        return _workspace(role)
    return ALLOW if role in STAFF_EDITORS and state == "verified" else DENY


def PUBLIC_UPDATE(role, state):
    """The public page and the API: published and retracted updates only, the same for every role."""
    return ALLOW if state in {"published", "retracted"} else HIDE


# --- The table --------------------------------------------------------------------------------------------------
ROWS = {
    "healthz": ("GET", "/healthz", PUBLIC),
    # API (keyless, read-only, public data only)
    "api/v1/": ("GET", "/api/v1/", PUBLIC),
    "api/v1/openapi.json": ("GET", "/api/v1/openapi.json", PUBLIC),
    "api/v1/docs": ("GET", "/api/v1/docs", PUBLIC),
    "api/v1/countries": ("GET", "/api/v1/countries", PUBLIC),
    "api/v1/countries/<code>": ("GET", "/api/v1/countries/KGZ", PUBLIC),
    "api/v1/editions": ("GET", "/api/v1/editions", PUBLIC),
    "api/v1/editions/<slug>": ("GET", "/api/v1/editions/2025-12", PUBLIC),
    "api/v1/updates": ("GET", "/api/v1/updates", PUBLIC),
    "api/v1/updates/<id>": ("GET", "/api/v1/updates/{update}", PUBLIC_UPDATE),
    "api/v1/laws": ("GET", "/api/v1/laws", PUBLIC),
    "api/v1/laws/<id>": ("GET", "/api/v1/laws/{bill}", PUBLIC),
    "api/v1/cases": ("GET", "/api/v1/cases", PUBLIC),  # issue 20: cases
    "api/v1/cases/<id>": ("GET", "/api/v1/cases/{case}", PUBLIC),
    "api/v1/watchlist": ("GET", "/api/v1/watchlist", PUBLIC),
    "api/v1/taxonomy": ("GET", "/api/v1/taxonomy", PUBLIC),
    "api/v1/^(?P<rest>.*)$": ("GET", "/api/v1/no-such-endpoint", NOWHERE),
    # Accounts (our invitation link, then django-allauth)
    "<lang>/accounts/invitation/<str:token>/": ("GET", "/en/accounts/invitation/{token}/", PUBLIC),
    "<lang>/accounts/verify-email/": ("GET", "/en/accounts/verify-email/", SIGNED_IN),
    "<lang>/accounts/login/": ("GET", "/en/accounts/login/", SIGNED_OUT_ONLY),
    "<lang>/accounts/logout/": ("GET", "/en/accounts/logout/", PUBLIC),
    "<lang>/accounts/inactive/": ("GET", "/en/accounts/inactive/", PUBLIC),
    "<lang>/accounts/signup/": ("GET", "/en/accounts/signup/", SIGNED_OUT_ONLY),
    "<lang>/accounts/reauthenticate/": ("GET", "/en/accounts/reauthenticate/", SIGNED_IN),
    "<lang>/accounts/reauthenticate/code/": ("GET", "/en/accounts/reauthenticate/code/", CODES_OFF),
    "<lang>/accounts/reauthenticate/code/confirm/": ("GET", "/en/accounts/reauthenticate/code/confirm/",
                                                     CODES_OFF),
    "<lang>/accounts/email/": ("GET", "/en/accounts/email/", SIGNED_IN),
    "<lang>/accounts/confirm-email/": ("GET", "/en/accounts/confirm-email/", PUBLIC),
    "<lang>/accounts/password/change/": ("GET", "/en/accounts/password/change/", SIGNED_IN),
    "<lang>/accounts/password/set/": ("GET", "/en/accounts/password/set/", SIGNED_IN),
    "<lang>/accounts/password/reset/": ("GET", "/en/accounts/password/reset/", PUBLIC),
    "<lang>/accounts/login/code/confirm/": ("GET", "/en/accounts/login/code/confirm/", CODES_OFF),
    "<lang>/accounts/^confirm-email/(?P<key>[-:\\w]+)/$": ("GET", "/en/accounts/confirm-email/not-a-key/", PUBLIC),
    "<lang>/accounts/password/reset/key/done/": ("GET", "/en/accounts/password/reset/key/done/", PUBLIC),
    "<lang>/accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "GET", "/en/accounts/password/reset/key/1-not-a-key/", PUBLIC),
    "<lang>/accounts/password/reset/done/": ("GET", "/en/accounts/password/reset/done/", PUBLIC),
    "<lang>/accounts/2fa/": ("GET", "/en/accounts/2fa/", SIGNED_IN),
    "<lang>/accounts/2fa/authenticate/": ("GET", "/en/accounts/2fa/authenticate/", SIGNED_IN),
    "<lang>/accounts/2fa/reauthenticate/": ("GET", "/en/accounts/2fa/reauthenticate/", SIGNED_IN),
    "<lang>/accounts/2fa/totp/activate/": ("GET", "/en/accounts/2fa/totp/activate/", SIGNED_IN),
    "<lang>/accounts/2fa/totp/deactivate/": ("GET", "/en/accounts/2fa/totp/deactivate/", HAS_2FA),
    "<lang>/accounts/2fa/recovery-codes/": ("GET", "/en/accounts/2fa/recovery-codes/", HAS_2FA),
    "<lang>/accounts/2fa/recovery-codes/generate/": ("GET", "/en/accounts/2fa/recovery-codes/generate/", SIGNED_IN),
    "<lang>/accounts/2fa/recovery-codes/download/": ("GET", "/en/accounts/2fa/recovery-codes/download/", HAS_2FA),
    # Partner workspace and editors' review (monitoring)
    "<lang>/workspace/": ("GET", "/en/workspace/", SIGNED_IN),
    "<lang>/workspace/review/": ("GET", "/en/workspace/review/", EDITORS_ONLY),
    "<lang>/workspace/trend-calls/": ("GET", "/en/workspace/trend-calls/", EDITORS_AND_PARTNERS),
    "<lang>/workspace/updates/new/": ("GET", "/en/workspace/updates/new/", UPDATE_CREATE),
    "<lang>/workspace/intake/": ("GET", "/en/workspace/intake/", UPDATE_CREATE),  # intake assistant (issue 18)
    "<lang>/workspace/updates/<int:pk>/": ("GET", "/en/workspace/updates/{update}/", UPDATE_VIEW),
    "<lang>/workspace/updates/<int:pk>/edit/": ("GET", "/en/workspace/updates/{update}/edit/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/history/": ("GET", "/en/workspace/updates/{update}/history/", UPDATE_VIEW),
    "<lang>/workspace/updates/<int:pk>/translations/<str:lang>/": (
        "GET", "/en/workspace/updates/{update}/translations/ru/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/incidents/new/": (
        "GET", "/en/workspace/updates/{update}/incidents/new/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/incidents/<int:incident_pk>/": (
        "GET", "/en/workspace/updates/{update}/incidents/{incident}/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/sources/new/": ("GET", "/en/workspace/updates/{update}/sources/new/",
                                                       UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/comments/": ("POST", "/en/workspace/updates/{update}/comments/",
                                                    UPDATE_COMMENT),
    "<lang>/workspace/updates/<int:pk>/actions/<str:name>/": (
        "POST", "/en/workspace/updates/{update}/actions/submit/", UPDATE_SUBMIT),
    # Issue 25: editing and deleting sources, incidents and drafts; the publish/retract confirmation
    "<lang>/workspace/updates/<int:pk>/delete/": ("GET", "/en/workspace/updates/{update}/delete/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/incidents/<int:incident_pk>/delete/": (
        "GET", "/en/workspace/updates/{update}/incidents/{incident}/delete/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/sources/<int:source_pk>/": (
        "GET", "/en/workspace/updates/{update}/sources/{source}/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/sources/<int:source_pk>/delete/": (
        "GET", "/en/workspace/updates/{update}/sources/{source}/delete/", UPDATE_EDIT),
    "<lang>/workspace/updates/<int:pk>/actions/<str:name>/confirm/": (
        "GET", "/en/workspace/updates/{update}/actions/publish/confirm/", UPDATE_PUBLISH_CONFIRM),
    # Cases (issue 20): public pages and feeds; the workspace for editors and partners of the case's country
    "<lang>/cases/": ("GET", "/en/cases/?country=kgz", PUBLIC),
    "<lang>/cases/feed/": ("GET", "/en/cases/feed/", PUBLIC),
    "<lang>/cases/feed/country/<slug:country>/": ("GET", "/en/cases/feed/country/kgz/", PUBLIC),
    "<lang>/cases/<int:pk>/": ("GET", "/en/cases/{case}/", PUBLIC),
    "<lang>/cases/<int:pk>/feed/": ("GET", "/en/cases/{case}/feed/", PUBLIC),
    "<lang>/workspace/cases/": ("GET", "/en/workspace/cases/", EDITORS_AND_PARTNERS),
    "<lang>/workspace/cases/new/": ("GET", "/en/workspace/cases/new/", EDITORS_AND_PARTNERS),
    "<lang>/workspace/cases/<int:pk>/": ("GET", "/en/workspace/cases/{case}/", KGZ_BILL),
    # Corrections and right of reply (issue 21): the public form, its thank-you and confirmation pages, the
    # public record and its feed; the editors' queue (404 for everyone else: requests are not public)
    "<lang>/corrections/": ("GET", "/en/corrections/?country=kgz", PUBLIC),
    "<lang>/corrections/feed/": ("GET", "/en/corrections/feed/", PUBLIC),
    "<lang>/corrections/new/<slug:kind>/<slug:ref>/": ("GET", "/en/corrections/new/update/{published_update}/",
                                                      PUBLIC),
    "<lang>/corrections/sent/": ("GET", "/en/corrections/sent/", PUBLIC),
    "<lang>/corrections/confirm/<str:token>/": ("GET", "/en/corrections/confirm/{correction_token}/", PUBLIC),
    "<lang>/workspace/corrections/": ("GET", "/en/workspace/corrections/", EDITORS_ONLY),
    "<lang>/workspace/corrections/<int:pk>/": ("GET", "/en/workspace/corrections/{correction}/", EDITORS_ONLY),
    "<lang>/workspace/corrections/<int:pk>/<slug:action>/": (
        "POST", "/en/workspace/corrections/{correction}/accept/", EDITORS_ONLY),
    "api/v1/corrections": ("GET", "/api/v1/corrections", PUBLIC),
    # Legislation workspace
    "<lang>/workspace/laws/": ("GET", "/en/workspace/laws/", EDITORS_AND_PARTNERS),
    "<lang>/workspace/laws/new/": ("GET", "/en/workspace/laws/new/", EDITORS_ONLY_403),
    "<lang>/workspace/laws/<int:pk>/": ("GET", "/en/workspace/laws/{bill}/", KGZ_BILL),
    "<lang>/workspace/laws/<int:pk>/edit/": ("GET", "/en/workspace/laws/{bill}/edit/", EDITORS_ONLY_403),
    "<lang>/workspace/laws/<int:pk>/stages/new/": ("GET", "/en/workspace/laws/{bill}/stages/new/", KGZ_BILL),
    "<lang>/workspace/laws/<int:pk>/sources/": ("POST", "/en/workspace/laws/{bill}/sources/", KGZ_BILL),
    "<lang>/workspace/laws/stages/<int:event_pk>/<str:decision>/": (
        "POST", "/en/workspace/laws/stages/{stage_event}/verify/", EDITORS_ONLY),
    # Watchlist composition (editors only; a draft edition's existence is not public)
    "<lang>/workspace/watchlist/": ("GET", "/en/workspace/watchlist/", EDITORS_ONLY),
    "<lang>/workspace/watchlist/<slug:slug>/": ("GET", "/en/workspace/watchlist/{draft_edition}/", EDITORS_ONLY),
    "<lang>/workspace/watchlist/<slug:slug>/countries/": (
        "POST", "/en/workspace/watchlist/{draft_edition}/countries/", EDITORS_ONLY),
    "<lang>/workspace/watchlist/<slug:slug>/countries/<int:entry_pk>/<str:action>/": (
        "POST", "/en/workspace/watchlist/{draft_edition}/countries/{entry}/rationale/", EDITORS_ONLY),
    "<lang>/workspace/watchlist/<slug:slug>/press-release/": (
        "POST", "/en/workspace/watchlist/{draft_edition}/press-release/", EDITORS_ONLY),
    "<lang>/workspace/watchlist/<slug:slug>/publish/": (
        "POST", "/en/workspace/watchlist/{draft_edition}/publish/", EDITORS_ONLY),
    # Rating decisions (editors, administrators and the panel see them; only editors act, only the panel votes)
    "<lang>/workspace/ratings/": ("GET", "/en/workspace/ratings/", RATING_STAFF),
    "<lang>/workspace/ratings/open-due/": ("POST", "/en/workspace/ratings/open-due/", RATING_EDITORS),
    "<lang>/workspace/ratings/proposals/new/": ("POST", "/en/workspace/ratings/proposals/new/", RATING_EDITORS),
    "<lang>/workspace/ratings/proposals/<int:pk>/": ("GET", "/en/workspace/ratings/proposals/{proposal}/",
                                                     RATING_STAFF),
    "<lang>/workspace/ratings/proposals/<int:pk>/vote/": (
        "POST", "/en/workspace/ratings/proposals/{proposal}/vote/", RATING_PANEL),
    "<lang>/workspace/ratings/proposals/<int:pk>/decide/": (
        "POST", "/en/workspace/ratings/proposals/{proposal}/decide/", RATING_EDITORS),
    "<lang>/workspace/ratings/proposals/<int:pk>/withdraw/": (
        "POST", "/en/workspace/ratings/proposals/{proposal}/withdraw/", RATING_EDITORS),
    "<lang>/workspace/ratings/editions/new/": ("POST", "/en/workspace/ratings/editions/new/", RATING_EDITORS),
    "<lang>/workspace/ratings/errata/new/": ("POST", "/en/workspace/ratings/errata/new/", RATING_EDITORS),
    "<lang>/workspace/ratings/editions/<int:pk>/publish/": (
        "GET", "/en/workspace/ratings/editions/{rating_draft}/publish/", RATING_STAFF),
    # Assessments: partners (their organisation, their countries) and editors; the panel does not code
    "<lang>/workspace/assessments/": ("GET", "/en/workspace/assessments/", EDITORS_AND_PARTNERS),
    "<lang>/workspace/assessments/new/": ("GET", "/en/workspace/assessments/new/?country=kgz", KGZ_BILL),
    "<lang>/workspace/assessments/<int:pk>/": ("GET", "/en/workspace/assessments/{assessment}/", KGZ_ORG),
    # Public pages
    "<lang>/findings/": ("GET", "/en/findings/", PUBLIC),
    "<lang>/findings/compare/": ("GET", "/en/findings/compare/?from=2020-12&to=2025-12", PUBLIC),
    "<lang>/findings/<slug:slug>/": ("GET", "/en/findings/2025-12/", PUBLIC),
    "<lang>/findings/<slug:slug>/report.pdf": ("GET", "/en/findings/2025-12/report.pdf", PUBLIC),
    "<lang>/data/": ("GET", "/en/data/", PUBLIC),
    "<lang>/data/<str:version>/<str:filename>": ("GET", "/en/data/{release}/countries.csv", PUBLIC),
    # Findability and sharing (civicspace/seo): public to everyone, signed in or not.
    "<lang>/data/<str:version>/": ("GET", "/en/data/{release}/", PUBLIC),
    "robots.txt": ("GET", "/robots.txt", PUBLIC),
    "<lang>/accessibility/": ("GET", "/en/accessibility/", PUBLIC),
    "<lang>/mirrors/": ("GET", "/en/mirrors/", PUBLIC),  # issue 23: the Mirrors page
    "favicon.ico": ("GET", "/favicon.ico", PUBLIC),
    "sitemap.xml": ("GET", "/sitemap.xml", PUBLIC),
    "sitemap-<slug:section>.xml": ("GET", "/sitemap-en-countries.xml", PUBLIC),
    "<lang>/manifest.webmanifest": ("GET", "/en/manifest.webmanifest", PUBLIC),
    "<lang>/cards/site.png": ("GET", "/en/cards/site.png", PUBLIC),
    "<lang>/cards/countries/<slug:slug>.png": ("GET", "/en/cards/countries/kgz.png", PUBLIC),
    "<lang>/cards/watchlist/<slug:slug>.png": ("GET", "/en/cards/watchlist/{published_edition}.png", PUBLIC),
    "<lang>/cards/findings/<slug:slug>.png": ("GET", "/en/cards/findings/2025-12.png", PUBLIC),
    "<lang>/search/": ("GET", "/en/search/?q=kyrgyzstan", PUBLIC),
    "<lang>/": ("GET", "/en/", PUBLIC),
    "<lang>/countries/": ("GET", "/en/countries/", PUBLIC),
    "<lang>/countries/<slug:slug>/": ("GET", "/en/countries/kgz/", PUBLIC),
    "<lang>/ratings/": ("GET", "/en/ratings/", PUBLIC),
    "<lang>/ratings/changes/feed/": ("GET", "/en/ratings/changes/feed/", PUBLIC),
    "<lang>/ratings/changes/feed/rss/": ("GET", "/en/ratings/changes/feed/rss/", PUBLIC),
    "<lang>/ratings/changes/feed/country/<slug:country>/": ("GET", "/en/ratings/changes/feed/country/kgz/", PUBLIC),
    "<lang>/ratings/<slug:rating>/": ("GET", "/en/ratings/repressed/", PUBLIC),
    "<lang>/ratings/changes/<slug:slug>/": ("GET", "/en/ratings/changes/2025-12/", PUBLIC),
    "<lang>/methodology/": ("GET", "/en/methodology/", PUBLIC),
    "<lang>/updates/": ("GET", "/en/updates/", PUBLIC),
    "<lang>/updates/feed/": ("GET", "/en/updates/feed/", PUBLIC),
    "<lang>/updates/feed/rss/": ("GET", "/en/updates/feed/rss/", PUBLIC),
    "<lang>/updates/feed/country/<slug:country>/": ("GET", "/en/updates/feed/country/kgz/", PUBLIC),
    "<lang>/updates/feed/country/<slug:country>/rss/": ("GET", "/en/updates/feed/country/kgz/rss/", PUBLIC),
    "<lang>/updates/feed/type/<slug:violation>/": ("GET", "/en/updates/feed/type/raid_search/", PUBLIC),
    "<lang>/updates/feed/type/<slug:violation>/rss/": ("GET", "/en/updates/feed/type/raid_search/rss/", PUBLIC),
    "<lang>/updates/<int:pk>/": ("GET", "/en/updates/{update}/", PUBLIC_UPDATE),
    "<lang>/watchlist/": ("GET", "/en/watchlist/", PUBLIC),
    "<lang>/watchlist/feed/": ("GET", "/en/watchlist/feed/", PUBLIC),
    "<lang>/watchlist/feed/rss/": ("GET", "/en/watchlist/feed/rss/", PUBLIC),
    "<lang>/watchlist/<slug:slug>/": ("GET", "/en/watchlist/{published_edition}/", PUBLIC),
    "<lang>/watchlist/<slug:slug>/press-release/": ("GET", "/en/watchlist/{published_edition}/press-release/",
                                                    PUBLIC),
    "<lang>/laws/": ("GET", "/en/laws/", PUBLIC),
    "<lang>/laws/feed/": ("GET", "/en/laws/feed/", PUBLIC),
    "<lang>/laws/feed/rss/": ("GET", "/en/laws/feed/rss/", PUBLIC),
    "<lang>/laws/<int:pk>/": ("GET", "/en/laws/{bill}/", PUBLIC),
    "<lang>/laws/<int:pk>/feed/": ("GET", "/en/laws/{bill}/feed/", PUBLIC),
    # Alerts (issue 19): anyone may subscribe; the pages of one subscription answer whoever holds its token
    # (it came by e-mail), and the one-click unsubscribe POST needs no session or CSRF token.
    "<lang>/alerts/": ("GET", "/en/alerts/", PUBLIC),
    "<lang>/alerts/ (subscribe)": ("POST", "/en/alerts/", PUBLIC),
    "<lang>/alerts/sent/": ("GET", "/en/alerts/sent/", PUBLIC),
    "<lang>/alerts/confirm/<str:token>/": ("GET", "/en/alerts/confirm/{alerts_token}/", PUBLIC),
    "<lang>/alerts/confirm/<str:token>/ (confirm)": ("POST", "/en/alerts/confirm/{alerts_token}/", PUBLIC),
    "<lang>/alerts/manage/<str:token>/": ("GET", "/en/alerts/manage/{alerts_token}/", PUBLIC),
    "<lang>/alerts/manage/<str:token>/ (save)": ("POST", "/en/alerts/manage/{alerts_token}/", PUBLIC),
    "<lang>/alerts/unsubscribe/<str:token>/": ("GET", "/en/alerts/unsubscribe/{alerts_token}/", PUBLIC),
    "<lang>/alerts/unsubscribe/<str:token>/ (one click)": ("POST", "/en/alerts/unsubscribe/{alerts_token}/",
                                                            PUBLIC),
    "<lang>/alerts/manage/<str:token>/ (no such token)": ("GET", "/en/alerts/manage/no-such-token/", NOWHERE),
    # Self-service webhooks: anyone may ask; the confirmation link and the endpoint's manage link answer whoever
    # holds the token (it came by e-mail); rotate is POST only.
    "<lang>/alerts/webhooks/": ("GET", "/en/alerts/webhooks/", PUBLIC),
    "<lang>/alerts/webhooks/ (ask)": ("POST", "/en/alerts/webhooks/", PUBLIC),
    "<lang>/alerts/webhooks/sent/": ("GET", "/en/alerts/webhooks/sent/", PUBLIC),
    "<lang>/alerts/webhooks/confirm/<str:token>/": ("GET", "/en/alerts/webhooks/confirm/{webhook_request_token}/",
                                                    PUBLIC),
    "<lang>/alerts/webhooks/confirm/<str:token>/ (confirm)": (
        "POST", "/en/alerts/webhooks/confirm/{webhook_request_token}/", PUBLIC),
    "<lang>/alerts/webhooks/confirm/<str:token>/ (no such token)": (
        "GET", "/en/alerts/webhooks/confirm/no-such-token/", NOWHERE),
    "<lang>/alerts/webhooks/manage/<str:token>/": ("GET", "/en/alerts/webhooks/manage/{webhook_token}/", PUBLIC),
    "<lang>/alerts/webhooks/manage/<str:token>/ (save)": ("POST", "/en/alerts/webhooks/manage/{webhook_token}/",
                                                          PUBLIC),
    "<lang>/alerts/webhooks/manage/<str:token>/ (no such token)": (
        "GET", "/en/alerts/webhooks/manage/no-such-token/", NOWHERE),
    "<lang>/alerts/webhooks/manage/<str:token>/rotate/": (
        "POST", "/en/alerts/webhooks/manage/{webhook_token}/rotate/", PUBLIC),
    "<lang>/alerts/webhooks/manage/<str:token>/rotate/ (no such token)": (
        "POST", "/en/alerts/webhooks/manage/no-such-token/rotate/", NOWHERE),
    "<lang>/alerts/webhooks/manage/<str:token>/delete/": (
        "GET", "/en/alerts/webhooks/manage/{webhook_token}/delete/", PUBLIC),
    "<lang>/alerts/webhooks/manage/<str:token>/delete/ (delete)": (
        "POST", "/en/alerts/webhooks/manage/{webhook_token}/delete/", PUBLIC),
    # Draft objects that the public pages must not reveal (extra rows: same patterns, other objects).
    "<lang>/watchlist/<slug:slug>/ (draft)": ("GET", "/en/watchlist/{draft_edition}/", policy(HIDE)),
    "<lang>/watchlist/<slug:slug>/press-release/ (draft)": (
        "GET", "/en/watchlist/{draft_edition}/press-release/", policy(HIDE)),
}
# What each POST row sends (a valid submission, placeholders filled like the URL's) and what it must do when the
# policy lets the role in: the audit action written (a function of role and update state for the pages of one
# update), or None when the request is let in but must change nothing (a refusal shown as a message).
def _admin_logout(role, state=None):
    """Django's admin logs out only its own users (staff); anyone else is sent to the admin index unchanged."""
    return "accounts.logout" if role == "admin" else None


def _submit(role, state):
    """The author or an editor submits a draft or a returned update; otherwise a message, nothing changes."""
    if role in {"partner", "editor", "admin"} and state in {"draft", "changes_requested"}:
        return "monitoring.update_transition"
    return None


POST_DATA = {
    "<lang>/workspace/updates/<int:pk>/comments/": {"body": "Access matrix comment (test)."},
    "<lang>/workspace/updates/<int:pk>/actions/<str:name>/": {"version": "{update_version}"},  # what was read
    "<lang>/workspace/laws/<int:pk>/sources/": {"title": "Access matrix source (test)", "publisher": "Test",
                                                 "date": "2024-01-05", "url": "https://example.org/matrix"},
    "<lang>/workspace/laws/stages/<int:event_pk>/<str:decision>/": {},
    "<lang>/workspace/watchlist/<slug:slug>/countries/": {"country": "KAZ"},
    "<lang>/workspace/watchlist/<slug:slug>/countries/<int:entry_pk>/<str:action>/": {
        "entry{entry}-lang": "en", "entry{entry}-text": "Changed by the access matrix (test).",
        "entry{entry}-status": "reviewed"},
    "<lang>/workspace/watchlist/<slug:slug>/press-release/": {"lang": "en", "pr_title": "Changed (test)",
                                                                "pr_lead": "Changed lead (test)."},
    "<lang>/workspace/watchlist/<slug:slug>/publish/": {},
    "<lang>/workspace/ratings/open-due/": {},
    "<lang>/workspace/ratings/proposals/new/": {"country": "KAZ", "to_rating": "open",
                                                "reason": "Access matrix (test)."},
    "<lang>/workspace/ratings/proposals/<int:pk>/vote/": {"vote": "agree", "comment": "Access matrix (test)."},
    "<lang>/workspace/ratings/proposals/<int:pk>/decide/": {"rating": "closed", "draft": "{rating_draft}",
                                                            "rationale_en": "Access matrix (test)."},
    "<lang>/workspace/ratings/proposals/<int:pk>/withdraw/": {"reason": "Access matrix (test)."},
    "<lang>/workspace/ratings/editions/new/": {"publish_on": "2031-07-01", "kind": "regular"},
    "<lang>/workspace/ratings/errata/new/": {"edition": "2025-12", "country": "KGZ", "rating": "repressed",
                                             "score": "", "reason": "Access matrix (test)."},
    "<lang>/admin/logout/": {},
    "<lang>/workspace/corrections/<int:pk>/<slug:action>/": {"version": "1",
                                                           "note": "Access matrix correction note (test)."},
    "<lang>/alerts/ (subscribe)": {"email": "matrix-subscriber@test.invalid", "countries": "{country}",
                                   "language": "en", "frequency": "instant"},
    "<lang>/alerts/confirm/<str:token>/ (confirm)": {},
    "<lang>/alerts/manage/<str:token>/ (save)": {"countries": "{country}", "language": "ru", "frequency": "daily"},
    "<lang>/alerts/unsubscribe/<str:token>/ (one click)": {"List-Unsubscribe": "One-Click"},
    "<lang>/alerts/webhooks/ (ask)": {"email": "matrix-hook@test.invalid", "url": "https://127.0.0.1:9/matrix",
                                      "event_types": "update.published"},
    "<lang>/alerts/webhooks/confirm/<str:token>/ (confirm)": {},
    "<lang>/alerts/webhooks/manage/<str:token>/ (save)": {"event_types": "law.stage_verified"},
    "<lang>/alerts/webhooks/manage/<str:token>/rotate/": {},
    "<lang>/alerts/webhooks/manage/<str:token>/rotate/ (no such token)": {},
    "<lang>/alerts/webhooks/manage/<str:token>/delete/ (delete)": {},
}
EFFECTS = {
    "<lang>/workspace/updates/<int:pk>/comments/": lambda role, state: "monitoring.comment_add",
    "<lang>/workspace/updates/<int:pk>/actions/<str:name>/": _submit,
    "<lang>/workspace/laws/<int:pk>/sources/": "legislation.source_add",
    "<lang>/workspace/laws/stages/<int:event_pk>/<str:decision>/": "legislation.stage_verify",
    "<lang>/workspace/watchlist/<slug:slug>/countries/": "watchlist.entry_add",
    "<lang>/workspace/watchlist/<slug:slug>/countries/<int:entry_pk>/<str:action>/": "watchlist.rationale_save",
    "<lang>/workspace/watchlist/<slug:slug>/press-release/": "watchlist.press_release_save",
    "<lang>/workspace/watchlist/<slug:slug>/publish/": "watchlist.edition_publish",
    "<lang>/workspace/ratings/open-due/": "ratings.proposals_open_due",
    "<lang>/workspace/ratings/proposals/new/": "ratings.proposal_open",
    "<lang>/workspace/ratings/proposals/<int:pk>/vote/": "ratings.proposal_vote",
    "<lang>/workspace/ratings/proposals/<int:pk>/decide/": "ratings.proposal_decide",
    "<lang>/workspace/ratings/proposals/<int:pk>/withdraw/": "ratings.proposal_withdraw",
    "<lang>/workspace/ratings/editions/new/": "ratings.draft_create",
    "<lang>/workspace/ratings/errata/new/": "ratings.erratum_record",
    "<lang>/admin/logout/": _admin_logout,
    "<lang>/workspace/corrections/<int:pk>/<slug:action>/": "corrections.correction_accept",
    "<lang>/alerts/ (subscribe)": "alerts.subscriber_subscribe",
    "<lang>/alerts/confirm/<str:token>/ (confirm)": "alerts.subscriber_confirm",
    "<lang>/alerts/manage/<str:token>/ (save)": "alerts.subscriber_edit",
    "<lang>/alerts/unsubscribe/<str:token>/ (one click)": "alerts.subscriber_unsubscribe",
    "<lang>/alerts/webhooks/ (ask)": "alerts.webhook_request_submit",
    "<lang>/alerts/webhooks/confirm/<str:token>/ (confirm)": "alerts.webhook_request_confirm",
    "<lang>/alerts/webhooks/manage/<str:token>/ (save)": "alerts.webhook_endpoint_edit",
    "<lang>/alerts/webhooks/manage/<str:token>/rotate/": "alerts.webhook_secret_rotate",
    "<lang>/alerts/webhooks/manage/<str:token>/rotate/ (no such token)": None,
    "<lang>/alerts/webhooks/manage/<str:token>/delete/ (delete)": "alerts.webhook_endpoint_delete",
}
# Tables whose every row is compared before and after each request (the reference tables that only the
# loaders write, and whose rows number in the thousands, are left out).
WATCHED_APPS = ("accounts", "audit", "legislation", "monitoring", "ratings", "watchlist", "corrections", "alerts")
UNWATCHED = {"ratings.publishedrating", "ratings.indexvalue", "ratings.guidingscore", "monitoring.term"}


SESSION_ONLY = {"accounts.logout"}  # what changes is the session (not a watched table) and the audit log


def watched_state():
    """{table: digest of every row}: what a request may have changed."""
    state = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in UNWATCHED or model._meta.label_lower.startswith(f"{label}.historical"):
                continue
            rows = repr(list(model.objects.order_by("pk").values_list()))
            state[model._meta.label_lower] = hashlib.sha256(rows.encode()).hexdigest()
    return state


def _expected_effect(route, role, state):
    effect = EFFECTS[route]
    return effect(role, state) if callable(effect) else effect


# Admin patterns whose outcome differs from the ADMIN_SITE rule (every other admin/ pattern follows the rule).
ROWS.update({
    # Django admin's own password-only form is replaced by the site's login with two-factor authentication.
    "<lang>/admin/login/": ("GET", "/en/admin/login/", policy(DENY, anonymous=LOGIN, deactivated=LOGIN,
                                                              admin=ALLOW)),
    "<lang>/admin/logout/": ("POST", "/en/admin/logout/", PUBLIC),
    # Without its query parameters the autocomplete refuses even an administrator.
    "<lang>/admin/autocomplete/": ("GET", "/en/admin/autocomplete/", policy(LOGIN, admin=DENY)),
    "<lang>/admin/r/<path:content_type_id>/<path:object_id>/": ("GET", "/en/admin/r/{country_type}/{country}/",
                                                               ADMIN_SITE),
    "<lang>/admin/(?P<url>.*)$": ("GET", "/en/admin/no-such-page", policy(LOGIN, admin=HIDE)),
    # Subscribers come only through the double opt-in: nobody adds one in the admin (deleting is allowed).
    "<lang>/admin/alerts/subscriber/add/": ("GET", "/en/admin/alerts/subscriber/add/", policy(LOGIN, admin=DENY)),
    # A real user: this view answers 404 for an id that does not exist (ids differ between databases).
    "<lang>/admin/auth/user/<id>/password/": ("GET", "/en/admin/auth/user/{partner_user}/password/", ADMIN_SITE),
})
# Published editions and ratings are frozen (corrections are errata), and scores, index values and panel records
# are written only by their audited services: in the admin nobody may add or delete them, administrators included
# (the permission check comes before the object lookup, so id 0 answers the same as a real row).
for _model in ("ratingedition", "publishedrating", "indexvalue", "guidingscore", "ratingproposal", "panelvote",
               "ratingdecision", "erratum"):
    ROWS[f"<lang>/admin/ratings/{_model}/add/"] = ("GET", f"/en/admin/ratings/{_model}/add/",
                                                  policy(LOGIN, admin=DENY))
    ROWS[f"<lang>/admin/ratings/{_model}/<path:object_id>/delete/"] = (
        "GET", f"/en/admin/ratings/{_model}/0/delete/", policy(LOGIN, admin=DENY))
# Models the admin shows but lets nobody add or delete, not even an administrator (the audit log; the rating
# records, which only their services write): their add/ and <id>/delete/ pages answer 403.
READ_ONLY_IN_ADMIN = {"audit/auditevent", "ratings/ratingedition", "ratings/publishedrating", "ratings/indexvalue",
                      "ratings/guidingscore", "ratings/ratingproposal", "ratings/panelvote",
                      "ratings/ratingdecision", "ratings/erratum",
                      # Background jobs: the queue (django-tasks-db) and the e-mails sent, written only by jobs.
                      "django_tasks_database/dbtaskresult", "jobs/outgoingemail",
                      # Issue 21: correction requests are decided in the workspace and erased by the admin's
                      # action (the audited service), never added or deleted by hand.
                      "corrections/correctionrequest",
                      # Alerts: the outbox and the webhook delivery log are written only by their services.
                      "alerts/event", "alerts/webhookdelivery"}

PREFIX_RULES = {"<lang>/admin/": ADMIN_SITE}


# --- The resolver ---------------------------------------------------------------------------------------------
def url_patterns(patterns=None, prefix=""):
    """Every URL pattern of the site as (route, pattern): routes spelled as Django prints them, `<lang>/` for the
    language prefix of i18n_patterns."""
    from django.urls.resolvers import LocalePrefixPattern

    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            part = "<lang>/" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
            yield from url_patterns(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def admin_rows():
    """One row per admin URL pattern, with "1" for every object id (a missing object is the admin's own redirect,
    i.e. the request got in)."""
    import re

    rows = {}
    for route, _pattern in url_patterns():
        if not route.startswith("<lang>/admin/"):
            continue
        url = "/en/" + route.removeprefix("<lang>/")
        url = url.replace("^([^/]+)/history/([^/]+)/$", "1/history/1/")  # django-simple-history
        url = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "countries/", url)
        url = re.sub(r"<[a-z_:]+>", "1", url)
        assert "<" not in url and "^" not in url, route
        model = "/".join(route.removeprefix("<lang>/admin/").split("/")[:2])
        read_only = model in READ_ONLY_IN_ADMIN and route.endswith(("/add/", "/delete/"))
        rows[route] = ("GET", url, policy(LOGIN, admin=DENY) if read_only else ADMIN_SITE)
    return rows


def test_every_url_pattern_has_a_row():
    missing = [route for route, _ in url_patterns()
               if route not in ROWS and not any(route.startswith(prefix) for prefix in PREFIX_RULES)]
    lines = "\n".join(f'    "{route}": ("GET", "/en/{route.removeprefix("<lang>/")}", <policy>),'
                      for route in missing)
    how = ("Write the URL with real objects (a <int:pk> becomes a {placeholder} filled by the `objects` fixture; "
           "add what you need there), use \"POST\" for POST-only views, and choose the policy that says who gets in.")
    assert not missing, (
        f"{len(missing)} URL pattern(s) have no row in the access matrix. Add to ROWS in "
        f"tests/integration/test_access_matrix.py (a concrete URL, and a named policy such as PUBLIC, SIGNED_IN, "
        f"EDITORS_ONLY, or a (role, state) function):\n{lines}\n{how}")


def test_every_row_is_a_url_pattern_that_exists():
    routes = {route for route, _ in url_patterns()}
    stale = [key for key in ROWS if key.split(" (")[0] not in routes]
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


# --- Running the table ----------------------------------------------------------------------------------------
LOGIN_PAGES = ("/en/accounts/login/", "/en/admin/login/")


def outcome(response):
    code = response.status_code
    location = response.get("Location", "")
    if code == 302 and location.startswith(LOGIN_PAGES):
        return LOGIN
    if code == 403:
        return DENY
    if code == 404:
        return HIDE
    if code == 405:
        return NOT_ALLOWED
    if code in (200, 301, 302, 303):
        return ALLOW
    if code == 400:
        return "refused as invalid (400)"
    return f"unexpected status {code}"


@pytest.fixture
def objects(people, settings, tmp_path):
    return make_objects(people, settings, tmp_path)


def make_objects(people, settings, tmp_path):
    """Real objects for the placeholders. The administrator is a superuser, as `civicspace createsuperuser`
    makes one; the partner of another country is the same organisation's partner for Kazakhstan."""
    people["partner_other_country"] = people["partner_same_org_other_country"]
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for role in ("editor", "panel", "admin"):
        RecoveryCodes.activate(people[role])  # what setting up TOTP does
    bill = Bill.objects.filter(country__code="KGZ").order_by("pk").first()
    # Complete enough to publish: an entry with its rationale and a press release title.
    draft = WatchlistEdition.objects.create(slug="2031-03-01", target_date=dt.date(2031, 3, 1),
                                            pr_title_en="Access matrix release (test)")
    entry = WatchlistEntry.objects.create(edition=draft, country=bill.country,
                                          rationale_en="Access matrix rationale (test).")
    published = WatchlistEdition.objects.filter(status=WatchlistEdition.Status.PUBLISHED).first()
    # A proposed stage that an editor can verify: the first stage of a bill of its own.
    matrix_bill = Bill.objects.create(country=bill.country, short_title_en="Access matrix bill (test)",
                                      category=bill.category, direction=bill.direction, original_language="en")
    event = StageEvent.objects.create(bill=matrix_bill, stage="introduced", date=dt.date(2024, 1, 5),
                                      proposed_by=people["partner"])
    invitation = Invitation.objects.create(email="invited@test.invalid", role=Role.PARTNER,
                                           organisation=people["kgz_org"])
    settings.EXPORT_RELEASES_DIR = tmp_path / "releases"
    release = settings.EXPORT_RELEASES_DIR / "2031.01.01"
    release.mkdir(parents=True)
    (release / "countries.csv").write_text("code\nKGZ\n")
    (release / "datapackage.json").write_text('{"resources": []}')  # what makes a folder a release
    (release / "changelog.json").write_text("{}")
    settings.VAR_DIR = tmp_path
    (tmp_path / "reports").mkdir()
    for lang in ("en", "ru", "fr", "es", "ar"):
        (tmp_path / "reports" / f"findings-2025-12-{lang}.pdf").write_bytes(b"%PDF-1.4 test\n")
    country = Country.objects.get(code="KGZ")
    audit = AuditEvent.objects.create(action="test.matrix")
    proposal = RatingProposal.objects.create(country=bill.country, from_rating="repressed", to_rating="closed",
                                             reason="access matrix (test)")
    for n in range(3):  # the quorum, so that an editor can decide it (the panel fixture member votes again)
        member = make_user(f"matrix-panel{n}@test.invalid", Role.PANEL, totp=True)
        PanelVote.objects.create(proposal=proposal, member=member, vote="agree", comment="Matrix (test).")
    rating_draft = EditionDraft.objects.create(publish_on=dt.date(2031, 6, 1))
    # The score rule opens no proposal on the real record today (methodology 2026.5): France's newest guiding
    # score is moved 10 points under its band's lower edge (test data), so that "open due" has one to open.
    from civicspace.ratings.models import GuidingScore
    from civicspace.ratings.services.scoring import latest_scores

    france = latest_scores([Country.objects.get(code="FRA").pk]).popitem()[1]
    GuidingScore.objects.filter(pk=france.pk).update(score=30, band="repressed")
    # Alerts: an unconfirmed subscription to Kyrgyzstan; the subscribe form may be posted once per role.
    from civicspace.alerts.models import Subscriber

    settings.ALERTS_SUBSCRIBE_PER_ADDRESS_PER_DAY = 0
    subscriber = Subscriber.objects.create(email="matrix-reader@test.invalid", token="matrix-alerts-token-test")
    subscriber.countries.set([country])
    # Self-service webhooks (loopback allowed, as in every test): a request waiting for its confirmation, and a
    # confirmed endpoint with a delivery in its log.
    from civicspace.alerts.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookRequest

    settings.ALERTS_WEBHOOK_ALLOW_PRIVATE = True
    settings.ALERTS_WEBHOOK_REQUESTS_PER_ADDRESS_PER_DAY = settings.ALERTS_WEBHOOK_REQUESTS_PER_IP_PER_HOUR = 0
    webhook_request = WebhookRequest.objects.create(email="matrix-hook-owner@test.invalid",
                                                    url="https://127.0.0.1:9/matrix-request",
                                                    token="matrix-webhook-request-token-test")
    endpoint = WebhookEndpoint.objects.create(name="Matrix endpoint (test)", owner_email="matrix-hook@test.invalid",
                                              url="https://127.0.0.1:9/matrix-endpoint",
                                              event_types=["update.published"],
                                              manage_token="matrix-webhook-manage-token-test")
    outbox_event = Event.objects.create(kind="update.published", object_id=0, payload={}, match={})
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=outbox_event, state="failed", attempts=1,
                                              last_status_code=500, last_error="HTTP 500")
    WebhookAttempt.objects.create(delivery=delivery, at=delivery.created_at, status_code=500, error="HTTP 500")
    assessment = Assessment.objects.create(country=bill.country, stream="partner", organisation=people["kgz_org"],
                                           period_end=dt.date(2025, 10, 31), form_version="2026.1")
    # Issue 21: a confirmed correction request on the published Kyrgyz demo update (waiting for an editor), a
    # published reply and an accepted correction on it, and an unconfirmed request (its confirmation link).
    correction, token = _corrections(people)
    return {"partner_user": people["partner"].pk, "proposal": proposal.pk, "rating_draft": rating_draft.pk, "assessment": assessment.pk,
            "country_type": ContentType.objects.get_for_model(Country).pk, "country": country.pk,
            "audit_event": audit.pk, "bill": bill.pk, "draft_edition": draft.slug, "entry": entry.pk, "published_edition": published.slug,
            "stage_event": event.pk, "token": invitation.token, "release": "2031.01.01",
            "case": Case.objects.get(import_key="temirov-live-director").pk,  # issue 20: a published Kyrgyz case
            "correction": correction.pk, "correction_token": token, "published_update": _demo_update().pk,
            "alerts_token": subscriber.token, "alerts_subscriber": subscriber.pk,
            "webhook_request_token": webhook_request.token, "webhook_token": endpoint.manage_token,
            "webhook_endpoint": endpoint.pk}


def _demo_update():
    from civicspace.monitoring.models import Update

    return Update.objects.get(import_key="kgz-2024-03-05")


def _corrections(people):
    from civicspace.corrections import services as correction_services

    update = _demo_update()

    def filed(request_type="correction", confirm=True):
        request = correction_services.correction_request_submit(
            request_type=request_type, item_kind="update", item_ref=update.pk, name="Requester (test)",
            organisation="Requester organisation (test)", role="Role (test)", email="requester@test.invalid",
            text="Request text (test).", language="en", evidence_links=["https://example.org/evidence"])
        return correction_services.correction_request_confirm(
            token=correction_services.confirm_token(request.pk)) if confirm else request

    reply = filed("reply")
    correction_services.correction_reply_publish(request=reply, actor=people["editor"],
                                                 expected_version=reply.version, party="Party (test)",
                                                 text="Published reply (test).", translations={"ru": "Ответ."})
    accepted = filed()
    correction_services.correction_accept(request=accepted, actor=people["editor"],
                                          expected_version=accepted.version, note="Correction note (test).")
    declined = filed()
    correction_services.correction_decline(request=declined, actor=people["editor"],
                                           expected_version=declined.version, reason="Declined (test).")
    unconfirmed = filed(confirm=False)
    return filed(), correction_services.confirm_token(unconfirmed.pk)


def client_for(people, role):
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def all_rows():
    return {**admin_rows(), **ROWS}


def _post_data(route, objects):
    return {key.format(**objects): str(value).format(**objects) for key, value in POST_DATA[route].items()}


def _effect_failures(route, role, state, expected, before, response, where):
    """After a POST: the action happened (its audit event written, a row changed) when it was let in with an
    effect; otherwise nothing in the watched tables changed."""
    after = watched_state()
    changed = sorted(table for table in after if after[table] != before[0][table])
    written = list(AuditEvent.objects.filter(pk__gt=before[1]).values_list("action", flat=True))
    effect = _expected_effect(route, role, state) if expected == ALLOW and outcome(response) == ALLOW else None
    if effect is None:
        return [f"{where}: refused or nothing to do, yet changed {changed} (audit {written})"] if changed else []
    row_changed = bool(set(changed) - {"audit.auditevent"}) or effect in SESSION_ONLY
    if effect not in written or not row_changed:
        return [f"{where}: expected the action to happen ({effect}); audit written {written}, tables changed "
                f"{changed}"]
    return []


def _request(client, method, concrete, data):
    return client.post(concrete, data) if method == "POST" else client.get(concrete)


# The matrix is split over this file and test_access_matrix_shard_<n>.py (n = 1 … SHARDS-1), so that the
# parallel run (one file per worker at a time) spreads it over both workers instead of one running it alone.
SHARDS = 4


def route_shard(index):
    """The routes of one shard, balanced by cost (a page of one update is requested in every update state; a
    POST compares the watched tables before and after), heaviest first into the lightest shard."""
    rows = all_rows()

    def cost(route):
        method, url, _rule = rows[route]
        return (len(STATES) if "{update}" in url or "{incident}" in url else 1) * (3 if method == "POST" else 1)

    shards, loads = [[] for _ in range(SHARDS)], [0] * SHARDS
    for route in sorted(rows, key=lambda r: -cost(r)):  # stable: the same split in every worker
        lightest = loads.index(min(loads))
        shards[lightest].append(route)
        loads[lightest] += cost(route)
    return shards[index]


# Routes are checked in groups: the objects are made once per group (a quarter of the matrix's time went into
# making them again for every route), and each route runs in a savepoint of its own that is rolled back, with an
# empty cache, so every route and every role still meets the same state.
GROUP = 8


def route_groups(index):
    routes = route_shard(index)
    return [routes[start:start + GROUP] for start in range(0, len(routes), GROUP)]


def group_id(routes):
    return f"{routes[0]} (+{len(routes) - 1})"


@pytest.mark.permissions
@pytest.mark.parametrize("routes", route_groups(0), ids=group_id)
def test_access_matrix(people, objects, settings, routes):
    check_routes(people, objects, settings, routes)


def check_routes(people, objects, settings, routes):
    """Every route of the group (the failures of all of them, each naming its route, role and state)."""
    from django.core.cache import cache

    failures = []
    for route in routes:
        cache.clear()  # rate limits and cached pages of the route before
        with transaction.atomic():
            failures += route_failures(people, objects, settings, route)
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def route_failures(people, objects, settings, route):
    """One URL pattern, every role (and every update state where the URL shows one update). Each role's
    request runs in a savepoint that is rolled back, so every role meets the same state; after a POST the
    effect is checked (see _effect_failures)."""
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    method, url, rule = all_rows()[route]
    stateful = "{update}" in url or "{incident}" in url
    data = _post_data(route, objects) if method == "POST" and not stateful else None
    # GETs change nothing, so every role looks at the same updates; a POST gets fresh ones in its savepoint.
    shared = {state: make_update(people, state) for state in STATES} if stateful and method == "GET" else {}
    failures = []
    for role in ROLES:
        client = client_for(people, role)
        for state in STATES if stateful else [None]:
            with transaction.atomic():
                fill = dict(objects)
                if stateful:
                    update = shared.get(state) or make_update(people, state)
                    fill.update(update=update.pk, incident=update.incidents.first().pk,
                                source=update.sources.first().pk, update_version=update.version)
                concrete = url.format(**fill)
                if method == "POST":
                    data = _post_data(route, fill)
                expected = rule(role, state) if stateful else rule[role]
                where = f"{method} {concrete} as {role}" + (f", update {state}" if stateful else "")
                before = (watched_state(), AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
                          or 0) if method == "POST" else None
                response = _request(client, method, concrete, data)
                if (got := outcome(response)) != expected:
                    failures.append(f"{where}: expected {expected}, got {got}")
                elif method == "POST":
                    failures += _effect_failures(route, role, state, expected, before, response, where)
                transaction.set_rollback(True)
    return failures


def test_every_post_row_says_what_it_does():
    posts = {route for route, (method, _url, _rule) in ROWS.items() if method == "POST"}
    assert posts == set(POST_DATA) == set(EFFECTS)


def test_the_shards_hold_every_route_once():
    routes = [route for index in range(SHARDS) for route in route_shard(index)]
    assert sorted(routes) == sorted(all_rows())
    grouped = [route for index in range(SHARDS) for group in route_groups(index) for route in group]
    assert sorted(grouped) == sorted(routes)


def test_matrix_size():
    """The size reported in the issue: roles × URL patterns (and × states for the pages of one update)."""
    rows = all_rows()
    stateful = sum(1 for _m, url, _r in rows.values() if "{update}" in url)
    cases = len(ROLES) * (len(rows) - stateful) + len(ROLES) * stateful * len(STATES)
    assert len(ROLES) == 8 and len(rows) > 180 and cases > 1500
