"""Settings shared by every mode. Mode modules (embedded, production, test) import * from here."""
import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
# Writable state (SQLite file, collected static files) lives under var/, never in the package.
VAR_DIR = PROJECT_DIR / "var"
REFERENCE_DATA_DIR = PACKAGE_DIR / "data" / "reference"
# The public address of the site, for links stored in data (e.g. the source URL of a rating we publish).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where readers report an accessibility barrier (shown on /<lang>/accessibility/); empty: the page says to
# contact the organisation that runs the site.
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so translated fields show there.
    "modeltranslation",
    # First among template providers: its allauth/layouts/base.html puts allauth's pages in our layout.
    "civicspace.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "ninja",  # its Swagger UI files are served as our static files (no CDN)
    "rules.apps.AutodiscoverRulesConfig",
    "civicspace.audit",
    "civicspace.accounts",
    "civicspace.countries",
    "civicspace.ratings",
    "civicspace.monitoring",
    "civicspace.legislation",
    "civicspace.cases",  # issue 20: cases (helper "cases")
    "civicspace.watchlist",
    "civicspace.findings",
    "civicspace.api",
    "civicspace.exports",
    "civicspace.publishing",
    "civicspace.search",
    "civicspace.pagecache",
    "civicspace.intake",  # intake assistant (issue 18)
    "civicspace.corrections",  # issue 21: right of reply and corrections (helper "corrections")
    # Findable and shareable (robots.txt, sitemaps, canonical links, social cards, structured data, icons).
    "django.contrib.sitemaps",
    "civicspace.seo",
    # Background jobs (issue 16): django-tasks (Django 6's tasks API) and its database queue.
    "django_tasks",
    "django_tasks_db",
    "civicspace.jobs",
    "civicspace.alerts",  # alerts (issue 19): subscriptions, outbox, e-mail and webhook delivery
    "civicspace.mirror",  # issue 23: the signed static mirror and the Mirrors page
]

# Covering indexes (INCLUDE columns, e.g. monitoring's incident_date_update) are PostgreSQL's: SQLite gets the
# plain index, which is what the embedded mode wants; the check's warning says only that.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

MIDDLEWARE = [
    # The API's rate limit, then its cached answers: a hit is a whole earlier answer, security headers included,
    # and skips everything below (civicspace/api/middleware.py).
    "civicspace.api.middleware.ApiCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The API's refusals (rate limit, 405, preflight), inside the security middleware.
    "civicspace.api.middleware.ApiChecksMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Whole public pages for anonymous visitors, keyed by the publication generation (civicspace/pagecache).
    "civicspace.pagecache.middleware.PublicPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "civicspace.accounts.middleware.RequireTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): e-mail login, sign-up by invitation only (see accounts/adapter.py),
# failed logins rate-limited, TOTP two-factor authentication with recovery codes.
ACCOUNT_ADAPTER = "civicspace.accounts.adapter.InvitationOnlyAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation went to that address
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key", "reset_password": "5/m/ip,3/m/key"}
ACCOUNT_SESSION_REMEMBER = False
LOGIN_REDIRECT_URL = "monitoring:workspace"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Civic Space Monitor"
# Workspace (issue 25): the sign-up form is bound to its invitation's address, and the TOTP set-up keeps one
# secret for the whole set-up (allauth made a new one at every load of the page).
ACCOUNT_FORMS = {"signup": "civicspace.accounts.forms.InvitationSignupForm"}
MFA_FORMS = {"activate_totp": "civicspace.accounts.forms.StableActivateTOTPForm"}
SESSION_COOKIE_AGE = 60 * 60 * 12

ROOT_URLCONF = "civicspace.urls"
WSGI_APPLICATION = "civicspace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicspace.core.context_processors.site",
                "civicspace.seo.context_processors.seo",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The five languages of the public site. English is the source language of every string.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Date and number formats per language over Django's own (civicspace/formats/__init__.py says why).
FORMAT_MODULE_PATH = ["civicspace.formats"]
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs (civicspace/jobs, django-tasks). Embedded mode and tests run each job in-process when it
# is queued (after the transaction commits); production.py switches to the database queue and its worker
# (`civicspace task_worker`). Retries: JOBS_MAX_ATTEMPTS with back-off JOBS_RETRY_BASE_SECONDS × 2^(n-1).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "5"))
JOBS_RETRY_BASE_SECONDS = float(os.environ.get("JOBS_RETRY_BASE_SECONDS", "30"))
# A running job whose worker sent no heartbeat for this long is queued again (at-least-once).
JOBS_WORKER_DEAD_SECONDS = float(os.environ.get("JOBS_WORKER_DEAD_SECONDS", "10"))
# Re-index a changed record when its transaction commits (False: leave the marks for `search_reindex --dirty`).
SEARCH_INDEX_ON_COMMIT = True
# Where the page cache finds the publication generation on each hit without a database query
# (civicspace/pagecache/services.py): "cache" (the page cache's backend: Redis in production), "file" (embedded
# mode: the in-process cache is per worker, a file under PAGE_CACHE_GENERATION_DIR is shared) or "database".
PAGE_CACHE_GENERATION_STORE = "cache"
PAGE_CACHE_GENERATION_DIR = VAR_DIR / "pagecache"
# How long a cached page or API answer lives at most (0: no page cache), and in which of CACHES.
PAGE_CACHE_SECONDS = 600
PAGE_CACHE_ALIAS = "default"

# nginx front cache (production): 0 here, so nothing outside production asks nginx to cache.
FRONT_CACHE_SECONDS = 0

# --- Alerts (civicspace/alerts, issue 19). Subscribe limits stop subscription bombing; webhooks retry with
# back-off (base × 2^(n-1)) for ALERTS_WEBHOOK_RETRY_HOURS and an endpoint is disabled after
# ALERTS_WEBHOOK_DISABLE_AFTER failed attempts in a row. ALERTS_WEBHOOK_ALLOW_PRIVATE lets endpoints resolve to
# private, loopback or link-local addresses and use plain http: for tests only, never in production.
ALERTS_SUBSCRIBE_PER_IP_PER_HOUR = int(os.environ.get("ALERTS_SUBSCRIBE_PER_IP_PER_HOUR", "20"))
ALERTS_SUBSCRIBE_PER_ADDRESS_PER_DAY = int(os.environ.get("ALERTS_SUBSCRIBE_PER_ADDRESS_PER_DAY", "3"))
ALERTS_WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("ALERTS_WEBHOOK_RETRY_BASE_SECONDS", "60"))
ALERTS_WEBHOOK_RETRY_HOURS = float(os.environ.get("ALERTS_WEBHOOK_RETRY_HOURS", "24"))
ALERTS_WEBHOOK_DISABLE_AFTER = int(os.environ.get("ALERTS_WEBHOOK_DISABLE_AFTER", "10"))
ALERTS_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("ALERTS_WEBHOOK_TIMEOUT_SECONDS", "10"))
# A secret rotated with overlap keeps signing beside the new one this long (Standard Webhooks' usual grace period).
ALERTS_WEBHOOK_SECRET_OVERLAP_HOURS = float(os.environ.get("ALERTS_WEBHOOK_SECRET_OVERLAP_HOURS", "24"))
# The stack tests post to a receiver on loopback through the production settings: only they set this variable.
ALERTS_WEBHOOK_ALLOW_PRIVATE = os.environ.get("ALERTS_WEBHOOK_ALLOW_PRIVATE_FOR_TESTS") == "1"

# Headers that cost nothing and apply in every mode.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): only our own files. No inline script runs unless it carries the
# per-request nonce (`{{ request.csp_nonce }}`; no template needs one today), no inline style attribute or
# <style> element applies (the map and charts are styled by classes in site.css; the 500 page adds the hash of
# its one fixed <style> itself, see core/views.py), nothing may frame the site. `data:` images only for the QR
# code that allauth draws when a second factor is set up. Release files set their own sandboxed policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Request bodies: the site takes no file uploads except the intake form's (a test keeps it so), so bodies
# are small form posts. 2.5 MB of fields (Django's default) is more than any update's text; refuse more
# fields than the largest form can have (incidents with victims' formset) rather than parse floods.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# --- Intake assistant (issue 18): the one form that takes a file (a .txt/.html/.pdf/.docx of at most 1 MB).
# The first handler refuses a file sent to any other page (400) and stops reading past 1 MB.
FILE_UPLOAD_HANDLERS = [
    "civicspace.intake.uploads.IntakeOnlyUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Logging: logs for people, not attackers (issue 14, item 6) ------------------------------------------------
# Client errors (a bad Host header, a failed CSRF check, a 404 and the other 4xx, every django.security.*
# event) are written without a traceback, at WARNING at most, and at most CLIENT_ERRORS_PER_MINUTE of each
# kind per minute (the next one written counts those left out): civicspace/core/logging.py. Server errors keep
# their level and traceback. The `django` logger gets no handlers of its own (Django's default gives it
# `mail_admins`, unused here, which would still format every traceback): its records reach the filtered
# console handler through the root logger.
CLIENT_ERRORS_PER_MINUTE = 10
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "civicspace.core.logging.ClientErrorFilter",
                                  "per_minute": CLIENT_ERRORS_PER_MINUTE}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_errors"]}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True},
                "django.db.backends": {"level": "WARNING"}},
}
# --- end of logging ------------------------------------------------------------------------------------------------


# --- Mirror kit (issue 23, civicspace/mirror). The signing key is read from the environment by
# `civicspace mirror build` only (MIRROR_SIGNING_KEY), never kept in settings or the repository.
# Where a mirror's "needs the live site" links go; empty: SITE_URL.
MIRROR_LIVE_URL = os.environ.get("MIRROR_LIVE_URL", "").rstrip("/")
# Official mirrors listed on /<lang>/mirrors/ (comma-separated addresses).
MIRROR_URLS = [u.strip() for u in os.environ.get("MIRROR_URLS", "").split(",") if u.strip()]
# The public key that verifies official mirrors (base64), shown on /<lang>/mirrors/.
MIRROR_PUBLIC_KEY = os.environ.get("MIRROR_PUBLIC_KEY", "")
