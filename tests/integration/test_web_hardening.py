"""Web hardening: security headers on every public page (a strict CSP among them), HSTS and secure cookies under the
production settings, sanitised Markdown, no user-controlled redirect targets, no file uploads but the intake form's."""
import importlib
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from civicspace.monitoring.markdown import render_markdown
from tests.integration.test_access_matrix import PUBLIC, PUBLIC_UPDATE, ROWS, all_rows, make_objects
from civicspace.monitoring.models import Update
from tests.monitoring_fixtures import make_update

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in django_settings.LANGUAGES]


@pytest.fixture
def public_pages(people, settings, tmp_path):
    objects = make_objects(people, settings, tmp_path)
    update = make_update(people, "published")
    return [url.format(update=update.pk, **objects) for _key, (method, url, rule) in ROWS.items()
            if method == "GET" and rule in (PUBLIC, PUBLIC_UPDATE)]


def csp_directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_csp(response, url):
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["default-src"] == ["'self'"], url
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"], url
    assert "'unsafe-inline'" not in directives["style-src"], url
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"], url
    return directives


def _expected_redirect(url):
    """The public pages that redirect, each to one place: logout to the home page, the findings index to the
    newest report. Every other public page answers 200 (the invitation link shows what it grants; accepting it
    is a POST)."""
    lang = url.split("/")[1]
    if re.fullmatch(r"/\w\w/accounts/logout/", url):
        return "/"
    if re.fullmatch(r"/\w\w/findings/", url):
        return re.escape(f"/{lang}/findings/") + r"\d{4}-\d{2}/"
    return None


@pytest.mark.rendering  # the middleware's headers, whatever the database: the SQLite pass only
def test_security_headers_on_every_public_page(public_pages, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    client = Client()
    checked = 0
    for path in public_pages:
        for lang in (LANGUAGES if path.startswith("/en/") else ["en"]):
            url = f"/{lang}/{path[4:]}" if path.startswith("/en/") else path
            response = client.get(url)
            target = _expected_redirect(url)
            if target is None:
                assert response.status_code == 200, url
            else:
                assert response.status_code == 302 and re.fullmatch(target, response["Location"]), (
                    url, response.status_code, response.get("Location"))
            assert response["X-Content-Type-Options"] == "nosniff", url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["X-Frame-Options"] == "DENY", url
            if "/data/" in url and url.count("/") > 3 and not url.endswith("/"):
                # A release file: a document, sandboxed, never active content of the site.
                assert "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in \
                    response["Content-Security-Policy"], url
                continue
            directives = assert_strict_csp(response, url)
            if response["Content-Type"].startswith("text/html"):
                assert_no_inline_code(response.content.decode(), directives, url)
            checked += 1
    assert checked > 200


def assert_no_inline_code(html, directives, url):
    """Every <script> is a file of our own or inert JSON, or carries this response's nonce; no inline style or
    event handler attribute, no <style> element, no javascript: link."""
    nonces = [s.removeprefix("'nonce-").removesuffix("'") for s in directives["script-src"] if "nonce-" in s]
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        if re.search(r'type="application/(ld\+)?json"', attrs) or re.search(r'\bsrc="/(?!/)', attrs):  # inert, or our own file
            continue
        nonce = re.search(r'nonce="([^"]+)"', attrs)
        assert nonce and nonce.group(1) in nonces, f"inline script without the nonce on {url}: {body[:80]}"
    assert not re.search(r"<style\b", html, flags=re.I), f"<style> element on {url}"
    # django-simple-history's admin history list has one cosmetic style="border-top: 0" (a border the CSP drops).
    html = html.replace('<p class="paginator" style="border-top: 0">', '<p class="paginator">')
    assert not re.search(r"""\sstyle=["']""", html), f"style attribute on {url}"
    assert not re.search(r"""\son[a-z]+=["']""", html, flags=re.I), f"event handler attribute on {url}"
    assert "javascript:" not in html.lower(), url


def test_a_nonce_in_a_template_reaches_the_header(rf):
    """If a template ever needs an inline script, `request.csp_nonce` is what makes the browser run it."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    request = rf.get("/en/")
    middleware = CSPMiddleware(lambda r: HttpResponse(f'<script nonce="{r.csp_nonce}">1</script>'))
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in csp_directives(response["Content-Security-Policy"])["script-src"]


@pytest.mark.urls("tests.integration.error_urls")
def test_the_500_page_allows_only_its_own_style_by_hash():
    import base64
    import hashlib

    response = Client(raise_request_exception=False).get("/en/boom/")
    assert response.status_code == 500
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), flags=re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_workspace_account_and_admin_pages_have_the_strict_policy_and_no_inline_code(people, settings, tmp_path):
    """Every signed-in page of the table (workspace, accounts, admin) as an editor and as an administrator."""
    objects = make_objects(people, settings, tmp_path)
    update = make_update(people, "draft")
    checked = 0
    for role in ("editor", "admin"):
        client = Client()
        client.force_login(people[role])
        for key, (method, url, _rule) in all_rows().items():
            if method != "GET" or not url.startswith(("/en/workspace/", "/en/accounts/", "/en/admin/")):
                continue
            concrete = url.format(update=update.pk, incident=update.incidents.first().pk,
                                  source=update.sources.first().pk, **objects)
            response = client.get(concrete)
            if response.status_code != 200:
                continue
            directives = assert_strict_csp(response, concrete)
            if response["Content-Type"].startswith("text/html"):
                assert_no_inline_code(response.content.decode(), directives, concrete)
            checked += 1
    assert checked > 100


# --- Production: HSTS, HTTPS-only cookies ----------------------------------------------------------------------
PRODUCTION_SECURITY_SETTINGS = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
                                "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
                                "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_HTTPONLY",
                                "SESSION_COOKIE_AGE", "CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS"]


@pytest.fixture
def production_security(monkeypatch):
    """The security settings of civicspace.settings.production, as that module computes them."""
    for name, value in {"SECRET_KEY": "x" * 60, "DATABASE_URL": "postgres://u@db.internal/civicspace",
                        "REDIS_URL": "redis://cache.internal:6379/0", "ALLOWED_HOSTS": "testserver"}.items():
        monkeypatch.setenv(name, value)
    module = importlib.import_module("civicspace.settings.production")
    module = importlib.reload(module)
    return {name: getattr(module, name) for name in PRODUCTION_SECURITY_SETTINGS}


def test_hsts_and_secure_cookies_under_production_settings(production_security, people):
    with override_settings(**production_security):
        client = Client()
        plain = client.get("/en/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")  # HTTP is redirected
        for url in ("/en/", "/en/countries/kgz/", "/en/accounts/login/", "/api/v1/countries"):
            response = client.get(url, secure=True)
            assert response.status_code == 200, url
            assert response["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload", url
            assert_strict_csp(response, url)
        login = client.get("/en/accounts/login/", secure=True)
        csrf = login.cookies["csrftoken"]
        assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
        response = client.post("/en/accounts/login/", {"login": "partner@test.invalid",
                                                        "password": "correct horse battery staple"}, secure=True)
        assert response.status_code == 302
        session = response.cookies[django_settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        # Gone when the browser closes, and on the server after a working day whatever the browser does.
        assert session["max-age"] == "" and session["expires"] == ""
        assert client.session.get_expiry_age() == 8 * 3600


# --- Markdown ----------------------------------------------------------------------------------------------------
MALICIOUS_MARKDOWN = [
    ("script tag", "Hello <script>alert(1)</script>"),
    ("script tag, other case", "<ScRiPt src=//evil.example/x.js></sCrIpT>"),
    ("event handler on img", '<img src=x onerror="alert(1)">'),
    ("event handler on svg", "<svg onload=alert(1)>"),
    ("iframe", '<iframe src="https://evil.example"></iframe>'),
    ("style attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("javascript: link", "[click](javascript:alert(1))"),
    ("javascript: link, mixed case", "[click](JaVaScRiPt:alert(1))"),
    ("javascript: link, entity-encoded", "[click](&#106;avascript:alert(1))"),
    ("javascript: link, tab inside", "[click](java\tscript:alert(1))"),
    ("javascript: autolink", "<javascript:alert(1)>"),
    ("data: link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("vbscript: link", "[x](vbscript:msgbox(1))"),
    ("javascript: image", "![x](javascript:alert(1))"),
    ("reference link to javascript:", "[x][1]\n\n[1]: javascript:alert(1)"),
    ("html comment smuggling", "<!-- --><script>alert(1)</script>"),
    ("form", '<form action="https://evil.example"><input name=p></form>'),
    ("object", '<object data="x.swf"></object>'),
    ("link title with quote", '[x](https://example.org "a\\" onmouseover=\\"alert(1)")'),
]


@pytest.mark.parametrize("label, text", MALICIOUS_MARKDOWN, ids=[m[0] for m in MALICIOUS_MARKDOWN])
def test_markdown_is_sanitised(label, text):
    from html.parser import HTMLParser

    elements = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, dict(attrs)))

    html = str(render_markdown(text))
    Collect().feed(html)
    assert {tag for tag, _ in elements} <= {"p", "a", "strong", "em", "code", "pre", "br"}, (label, html)
    for tag, attrs in elements:
        assert set(attrs) <= {"href", "title", "rel"}, (label, html)  # no on*=, no style=
        if "href" in attrs:
            assert attrs["href"].startswith(("http://", "https://", "mailto:")), (label, html)
    assert "<script" not in html.lower()


def test_markdown_keeps_what_is_allowed():
    html = str(render_markdown("**bold** _em_ [ok](https://example.org/ok)\n\n- item"))
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html and "<li>item</li>" in html
    assert '<a href="https://example.org/ok" rel="noopener nofollow">ok</a>' in html


# --- Redirects ---------------------------------------------------------------------------------------------------
EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "\\\\evil.example",
        "http://testserver@evil.example/", "javascript:alert(1)"]


def _lands_off_site(response):
    location = response.get("Location", "")
    return "evil.example" in location or location.lower().startswith("javascript:")


@pytest.mark.parametrize("target", EVIL)
def test_login_ignores_an_off_site_next(client, people, target):
    response = client.post(f"/en/accounts/login/?next={target}", {"login": "partner@test.invalid",
                                                                  "password": "correct horse battery staple",
                                                                  "next": target})
    assert response.status_code == 302 and not _lands_off_site(response), response.get("Location")
    assert response["Location"] == "/en/workspace/"


@pytest.mark.parametrize("target", EVIL)
def test_logout_ignores_an_off_site_next(client, people, target):
    client.force_login(people["partner"])
    response = client.post("/en/accounts/logout/", {"next": target})
    assert response.status_code == 302 and not _lands_off_site(response), response.get("Location")


@pytest.mark.parametrize("target", EVIL)
def test_language_switch_ignores_an_off_site_next(client, target):
    """The language switcher is a plain link to the same page in another language; Django's set_language view
    is not installed, and `/<lang>/?next=` does not redirect anywhere."""
    response = client.get(f"/ru/?next={target}", HTTP_REFERER=target)
    assert response.status_code == 200
    assert client.post("/i18n/setlang/", {"language": "ru", "next": target}).status_code == 404


@pytest.mark.parametrize("target", EVIL)
def test_admin_login_ignores_an_off_site_next(client, people, target):
    response = client.get(f"/en/admin/login/?next={target}")
    assert response.status_code == 302 and not _lands_off_site(response), response["Location"]
    assert response["Location"].startswith("/en/accounts/login/?next=/en/admin/")


@pytest.mark.parametrize("target", EVIL)
def test_invitation_and_signup_ignore_an_off_site_next(client, people, target):
    """A real invitation (an unknown token answers 404 before any `next` is read, which proved nothing)."""
    from civicspace.accounts.models import Role
    from civicspace.accounts.services import invitation_create

    invitation = invitation_create(email="invited@test.invalid", role=Role.PARTNER, organisation=people["kgz_org"],
                                   countries=[], invited_by=people["admin"])
    response = client.get(f"/en/accounts/invitation/{invitation.token}/?next={target}")
    assert response.status_code == 200  # what the invitation grants; nothing is accepted by looking
    response = client.post(f"/en/accounts/invitation/{invitation.token}/?next={target}", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/signup/"
    password = "a long passphrase for tests 4417"
    response = client.post(f"/en/accounts/signup/?next={target}", {"email": "invited@test.invalid",
                                                                   "password1": password, "password2": password,
                                                                   "next": target})
    assert response.status_code == 302 and not _lands_off_site(response), response.get("Location")
    assert response["Location"].startswith("/")
    invitation.refresh_from_db()
    assert invitation.used_at is not None  # the sign-up happened: the redirect checked is the real one


# --- Uploads -----------------------------------------------------------------------------------------------------
def test_only_the_intake_form_takes_a_file():
    """No form of the site accepts a file except the intake assistant's (issue 18), which takes one text file of
    at most 1 MB through a handler that refuses files sent to any other page (any new one needs the same)."""
    import django.forms
    from django.apps import apps

    from civicspace.intake import forms as intake_forms
    from civicspace.intake.files import MAX_BYTES
    from civicspace.intake.uploads import UPLOAD_VIEWS
    from civicspace.legislation import forms as legislation_forms
    from civicspace.monitoring import forms as monitoring_forms
    from civicspace.publishing import forms as publishing_forms
    from civicspace.watchlist import forms as watchlist_forms

    for module in (monitoring_forms, legislation_forms, watchlist_forms, publishing_forms, intake_forms):
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, django.forms.BaseForm):
                fields = [name for name, f in form.base_fields.items() if isinstance(f, django.forms.FileField)]
                expected = ["file"] if form is intake_forms.IntakeTextForm else []
                assert fields == expected, form
    from django.db.models import FileField

    assert not [f for model in apps.get_models() for f in model._meta.fields if isinstance(f, FileField)]
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 1
    assert django_settings.FILE_UPLOAD_HANDLERS[0] == "civicspace.intake.uploads.IntakeOnlyUploadHandler"
    assert UPLOAD_VIEWS == {"intake:new"} and MAX_BYTES == 1024 * 1024


def test_a_file_posted_anyway_is_refused(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["partner"])
    payload = SimpleUploadedFile("../../etc/passwd.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = client.post("/en/workspace/updates/new/", {"title": "x", "file": payload})
    assert response.status_code == 400


def test_an_oversized_body_is_refused(client, people):
    client.force_login(people["partner"])
    response = client.post("/en/workspace/updates/new/", {"title": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 400


def test_too_many_fields_are_refused(client, people):
    client.force_login(people["partner"])
    response = client.post("/en/workspace/updates/new/", {f"f{i}": "x" for i in range(1500)})
    assert response.status_code == 400


# --- CSRF ----------------------------------------------------------------------------------------------------------
# Exempt by design, each for its reason: nothing else may be.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: the mail client POSTs with no session and no token; the secret token in the
    # address is the authority, and the only effect is to stop e-mails to that address.
    "/en/alerts/unsubscribe/{alerts_token}/",
}


@pytest.mark.rendering  # Django's CSRF middleware, whatever the database: the SQLite pass only
def test_every_form_refuses_a_post_without_the_csrf_token(people, settings, tmp_path):
    """Every site URL (all but the read-only API and the health check), posted to by a signed-in editor from
    another site, i.e. without the token: refused with 403 before anything happens."""
    objects = make_objects(people, settings, tmp_path)
    update = make_update(people, "draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["editor"])
    checked = []
    for key, (_method, url, _rule) in ROWS.items():
        if not url.startswith("/en/") or url in CSRF_EXEMPT:
            continue
        concrete = url.format(update=update.pk, incident=update.incidents.first().pk,
                                  source=update.sources.first().pk, **objects)
        response = client.post(concrete, {"title": "x", "body": "x", "text": "x"})
        assert response.status_code == 403, (key, response.status_code)
        assert "CSRF verification failed" in response.content.decode(), key
        checked.append(key)
    assert len(checked) > 80
    assert Update.objects.get(pk=update.pk).status == "draft"
