"""Build the mirror: the public site rendered in-process by Django's test Client (anonymous, so only what the
public may see), written as static files with relative links, signed.

What is rendered is enumerated from the same public selectors the sitemaps use (civicspace/seo), never from
unpublished objects; list pages are also rendered once per single filter value (country, region, rating,
violation type, year, edition) and for each of their pages. Every internal link of a rendered page then points to
a file of the mirror; a link to anything that was not rendered (a filter combination, the API, a form's target)
points to the live site instead, so no link of a mirror is broken. Forms that need the server are replaced by a
short note that links to the live site.
"""
import datetime as dt
import hashlib
import html
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civicspace.countries.models import Region
from civicspace.legislation import selectors as legislation
from civicspace.methodology.bands import RATING_CODES
from civicspace.monitoring import selectors as monitoring
from civicspace.pagecache.services import current_generation
from civicspace.ratings.selectors import editions as ratings
from civicspace.seo import sitemaps

from . import incremental, search_index, signing

LANGS = [code for code, _name in settings.LANGUAGES]
ASSETS = Path(__file__).resolve().parent / "assets"
FORMAT = 1
# One filter value per pre-rendered list page; "page" is the list's own pagination.
FILTER_KEYS = ("rating", "region", "country", "violation", "edition", "year")
ATTR = re.compile(r'(\s(?:href|src|action)=)(["\'])([^"\']*)\2')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
MAIN = re.compile(r"<main\b", re.I)
# Addresses that are never copied, only linked on the live site.
NEVER = ("/api/", "/admin/", "/accounts/", "/workspace/")


def live_url():
    """The live site's address for what a mirror cannot hold (MIRROR_LIVE_URL, else SITE_URL)."""
    return (settings.MIRROR_LIVE_URL or settings.SITE_URL).rstrip("/")


@dataclass
class Options:
    out: Path
    languages: list = field(default_factory=lambda: list(LANGS))
    countries: list | None = None  # ISO3 codes in lower case; None: every country
    only: list | None = None  # some of SECTIONS; None: all
    incremental: bool = False
    pagefind: bool = True
    progress: object = None  # callable(str)


@dataclass
class Result:
    pages: int = 0
    rendered: int = 0
    written: int = 0
    kept: int = 0
    removed: int = 0
    files: int = 0
    seconds: float = 0.0
    generation: int | None = None
    skipped: bool = False
    search: str = ""
    failed: list = field(default_factory=list)
    full: bool = True  # False: an incremental rebuild rendered only what changed
    reason: str = ""  # why a build asked to be incremental was a full one
    rendered_urls: list = field(default_factory=list)

    @property
    def pages_per_second(self):
        return self.rendered / self.seconds if self.seconds else 0.0


# --- addresses --------------------------------------------------------------------------------------------

def _query_key(query):
    """A canonical form of a query string: sorted non-empty pairs; a whole year of dates becomes year=YYYY."""
    pairs = {k: (v.lower() if k == "country" else v) for k, v in parse_qsl(query, keep_blank_values=False) if v}
    start, end = pairs.get("date_from", ""), pairs.get("date_to", "")
    if start[:4] and start[4:] == "-01-01" and end == f"{start[:4]}-12-31":
        del pairs["date_from"], pairs["date_to"]
        pairs["year"] = start[:4]
    return tuple(sorted(pairs.items()))


def _site_query(key):
    pairs = dict(key)
    if "year" in pairs:
        year = pairs.pop("year")
        pairs.update(date_from=f"{year}-01-01", date_to=f"{year}-12-31")
    return urlencode(sorted(pairs.items()))


def _safe(value):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", value)


def file_for(path, key, content_type="text/html"):
    """The mirror file of one address: /en/updates/?country=kgz -> en/updates/country-kgz/index.html; feeds end
    in .xml; other files keep their name."""
    rel = path.lstrip("/")
    parts = [f"{k}-{_safe(v)}" for k, v in key if k != "page"]
    parts += [f"page-{_safe(v)}" for k, v in key if k == "page"]
    if content_type.startswith("text/html"):
        return "/".join(filter(None, [rel.rstrip("/"), *parts, "index.html"]))
    if "xml" in content_type and rel.endswith("/"):
        return "/".join(filter(None, [rel.rstrip("/"), *parts])) + ".xml"
    if rel.endswith("/"):
        return rel + "index"
    return rel


def _reverse(lang, name, *args, query=""):
    with translation.override(lang):
        url = reverse(name, args=args)
    return f"{url}?{query}" if query else url


# What a build can be limited to (--only): the sitemap's sections, the single-filter lists, the feeds.
SECTIONS = [*sitemaps.SECTIONS, "filters", "feeds"]
FEEDS = ("publishing:updates_feed", "publishing:updates_feed_rss", "publishing:rating_changes_feed",
         "publishing:rating_changes_feed_rss", "publishing:law_feed", "publishing:law_feed_rss",
         "publishing:watchlist_feed", "publishing:watchlist_feed_rss", "cases:case_feed",
         "corrections:record_feed")


def _in_countries(section, wanted):
    """Keys (slug or pk) of a section's items that belong to the wanted countries; None: no limit."""
    if wanted is None:
        return None
    codes = [c.upper() for c in wanted]
    from civicspace.cases import selectors as cases
    if section == "updates":
        return set(monitoring.public_updates().filter(country__code__in=codes).values_list("pk", flat=True))
    if section == "laws":
        return set(legislation.bill_list().filter(country__code__in=codes).values_list("pk", flat=True))
    if section == "cases":
        return set(cases.published().filter(country__code__in=codes).values_list("pk", flat=True))
    if section == "countries":
        return set(wanted)
    return None


def enumerate_urls(languages, countries=None, only=None):
    """Every address the mirror renders first (more pages of a list are found on its pages), from the public
    selectors behind the sitemaps plus the filtered lists, feeds and the pages the sitemaps leave out.
    `countries` limits country pages, updates, laws, cases and country filters to those countries; `only` to
    some SECTIONS (the search and Mirrors pages are always there)."""
    wanted = {c.lower() for c in countries} if countries else None
    sections = [s for s in SECTIONS if not only or s in only]
    shared, urls = {}, []
    limits = {section: _in_countries(section, wanted) for section in sections}
    for lang in languages:
        for section in sitemaps.SECTIONS:
            if section not in sections:
                continue
            sitemap = sitemaps.LanguageSection(lang, section, shared)
            for item, _lastmod in sitemap.items():
                name, *args = sitemap.route(item)
                if limits[section] is not None and args[0] not in limits[section]:
                    continue
                urls.append(_reverse(lang, name, *args))
        names = ["search:search", "seo_i18n:manifest"]  # the Mirrors page and the corrections log: in the sitemap
        names += ["findings:latest"] if "findings" in sections else []
        names += list(FEEDS) if "feeds" in sections else []
        urls += [_reverse(lang, name) for name in names]
        if "filters" in sections:
            urls += _filtered_lists(lang, wanted)
    urls.append("/favicon.ico")
    return list(dict.fromkeys(urls))


def _filtered_lists(lang, wanted):
    """One page per single filter value: countries by rating and region; updates by country, region, violation
    type and year; laws by country and region; cases by country; each rating's countries in each edition."""
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    updates = monitoring.public_updates().order_by()
    update_countries = sorted({c.lower() for c in updates.values_list("country__code", flat=True)})
    violations = sorted({v for v in updates.values_list("incidents__types__code", flat=True) if v})
    years = sorted({d.year for d in updates.values_list("date", flat=True) if d})
    law_countries = sorted({c.lower() for c in legislation.bill_list().order_by().values_list("country__code",
                                                                                              flat=True)})
    editions = [e.slug for e in ratings.edition_list()]
    from civicspace.cases import selectors as cases
    case_countries = sorted({c.lower() for c in cases.published().order_by().values_list("country__code",
                                                                                         flat=True)})

    def keep(codes):
        return [c for c in codes if wanted is None or c in wanted]

    urls = []
    urls += [_reverse(lang, "publishing:country_list", query=f"rating={r}") for r in RATING_CODES]
    urls += [_reverse(lang, "publishing:country_list", query=f"region={r}") for r in regions]
    urls += [_reverse(lang, "publishing:update_list", query=f"country={c}") for c in keep(update_countries)]
    urls += [_reverse(lang, "publishing:update_list", query=f"region={r}") for r in regions]
    urls += [_reverse(lang, "publishing:update_list", query=f"violation={v}") for v in violations]
    urls += [_reverse(lang, "publishing:update_list", query=f"date_from={y}-01-01&date_to={y}-12-31")
             for y in years]
    urls += [_reverse(lang, "publishing:law_list", query=f"country={c}") for c in keep(law_countries)]
    urls += [_reverse(lang, "publishing:law_list", query=f"region={r}") for r in regions]
    urls += [_reverse(lang, "cases:case_list", query=f"country={c}") for c in keep(case_countries)]
    urls += [_reverse(lang, "publishing:rating_detail", r, query=f"edition={e}") for r in RATING_CODES
             for e in editions]
    return urls


def _followable(path, key, seeded_paths):
    """More pages of a list (one filter and ?page=N) and a release's zip are rendered when a page links to them."""
    if any(part in path for part in NEVER):
        return False
    keys = [k for k, _v in key]
    if path in seeded_paths and keys and set(keys) <= {*FILTER_KEYS, "page"} and len(keys) <= 2 \
            and (len(keys) == 1 or "page" in keys):
        return True
    return False


# --- rendering --------------------------------------------------------------------------------------------

def _client():
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS and settings.ALLOWED_HOSTS[0] not in ("*",) \
        else "testserver"
    host = host.lstrip(".") or "testserver"
    return Client(SERVER_NAME=host, raise_request_exception=False)


@dataclass
class Page:
    url: str
    path: str
    key: tuple
    file: str = ""
    content_type: str = ""
    body: bytes = b""
    lang: str = ""
    refs: list = field(default_factory=list)  # the items it links to ("update:12"), for incremental rebuilds
    kept: bool = False  # an incremental rebuild left its file as it was


def _fetch(client, url):
    secure = settings.SECURE_SSL_REDIRECT if hasattr(settings, "SECURE_SSL_REDIRECT") else False
    response = client.get(url, secure=bool(secure))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # No response.close() here: the test client closes each response itself (a second close would send
    # request_finished and close the database connection in the middle of a build).
    if response.status_code in (301, 302):  # the address it leads to, when it stays on this site
        location = urlsplit(response.get("Location", ""))
        return response.status_code, location.path + (f"?{location.query}" if location.query else ""), b""
    return response.status_code, response.get("Content-Type", ""), body


def _links(body, path=""):
    for match in ATTR.finditer(body):
        yield _absolute(html.unescape(match.group(3)), path)


def _absolute(link, path):
    """A link relative to its page's query ("?page=2", as list pages write their pagination) made absolute."""
    return f"{path}{link}" if link.startswith("?") and path else link


def _latest_release_zip(pages):
    """The address of the newest release's zip, from the data page (the first release it lists is the newest)."""
    for page in pages.values():
        if page.path.endswith("/data/") and page.content_type.startswith("text/html"):
            for link in _links(page.body.decode("utf-8", "replace")):
                if link.startswith("/") and link.endswith(".zip"):
                    return link
    return None


def filters_digest(seeds):
    """The set of pre-rendered filtered lists (another set changes every list's filter note)."""
    return hashlib.sha256("\n".join(sorted(u for u in seeds if "?" in u)).encode()).hexdigest()


def render_all(options, say, plan=None, seeds=None):
    """Render every address (with a Plan: only those it names, and new ones); more pages of lists are found on
    the pages themselves. ({(path, key): Page}, failed, count, redirects); with a plan, the pages it keeps
    are in the dict too (kept=True, no body)."""
    client = _client()
    seeds = seeds if seeds is not None else enumerate_urls(options.languages, options.countries, options.only)
    seeded_paths = {urlsplit(u).path for u in seeds}
    queue = []
    for url in seeds:
        split = urlsplit(url)
        if plan is None or plan.renders(split.path, _query_key(split.query)):
            queue.append(url)
    again = set()
    if plan is not None:
        # Pages the last build found by following links (a list's feed for one country, say) and renders again.
        seeded = {(urlsplit(u).path, _query_key(urlsplit(u).query)) for u in seeds}
        again = {(path, key) for (path, key) in plan.previous if (path, key) not in seeded
                 and incremental.page_item(path) is None and incremental.page_list(path, key) is None
                 and plan.renders(path, key)}
        queue += [path + (f"?{_site_query(key)}" if key else "") for path, key in sorted(again)]
        say(f"  {len(queue)} of {len(seeds)} addresses to render (and the further pages of the lists among them)")
    seen, pages, failed, redirects = set(), {}, [], {}
    started, count = time.monotonic(), 0
    while queue:
        url = queue.pop(0)
        split = urlsplit(url)
        key = _query_key(split.query)
        if (split.path, key) in seen:
            continue
        seen.add((split.path, key))
        site_url = split.path + (f"?{_site_query(key)}" if key else "")
        status, content_type, body = _fetch(client, site_url)
        count += 1
        if count % 100 == 0:
            say(f"  pages {count} done / {len(queue)} to do ({count / (time.monotonic() - started):.1f} pages/s)")
        if status in (301, 302) and content_type.startswith("/"):  # e.g. /findings/ -> the latest edition
            target = urlsplit(content_type)
            redirects[(split.path, key)] = (target.path, _query_key(target.query))
            queue.insert(0, content_type)
            continue
        if status != 200:
            if (split.path, key) not in again:  # a page found last time that is gone: no longer copied
                failed.append((site_url, status))
            continue
        page = Page(url=site_url, path=split.path, key=key, content_type=content_type, body=body,
                    file=file_for(split.path, key, content_type))
        page.lang = split.path.split("/")[1] if split.path.count("/") > 1 else ""
        pages[(split.path, key)] = page
        if _textual(content_type):
            page.refs = incremental.linked_items(body.decode("utf-8", "replace"))
        if content_type.startswith("text/html"):
            for link in _links(body.decode("utf-8", "replace"), split.path):
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                link_key = _query_key(parts.query)
                if (parts.path, link_key) not in seen and _followable(parts.path, link_key, seeded_paths) \
                        and (plan is None or plan.renders(parts.path, link_key)):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    say(f"  pages {count} done / 0 to do ({count / max(time.monotonic() - started, 1e-6):.1f} pages/s)")
    if plan is not None:  # what the plan does not render stays as the last build wrote it
        for (path, key), (file, content_type, refs) in plan.previous.items():
            if (path, key) not in pages and not plan.renders(path, key):
                pages[(path, key)] = Page(url=path + (f"?{_site_query(key)}" if key else ""), path=path, key=key,
                                          file=file, content_type=content_type, refs=refs, kept=True,
                                          lang=path.split("/")[1] if path.count("/") > 1 else "")
    zip_link = _latest_release_zip(pages)
    if zip_link:
        status, content_type, body = _fetch(client, zip_link)
        if status == 200:
            pages[(zip_link, ())] = Page(url=zip_link, path=zip_link, key=(), content_type=content_type,
                                         body=body, file=file_for(zip_link, (), content_type))
    for source, target in list(redirects.items()):  # a redirect's address links to the page it leads to
        if target in pages:
            pages.setdefault(source, pages[target])
        else:
            del redirects[source]
    return pages, failed, count, redirects


# --- rewriting ----------------------------------------------------------------------------------------------

class Rewriter:
    def __init__(self, pages, out, live_url):
        self.pages, self.out, self.live = pages, out, live_url.rstrip("/")
        self.static = {}  # "/static/x" -> "static/x" copied

    def target(self, link, source_file):
        """The relative address of a link in a mirror file, or the live site's address, or None (leave it)."""
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if parts.path.startswith(settings.STATIC_URL):
            rel = self.static_copy(parts.path)
            if rel:
                return self.relative(rel, source_file) + fragment
            return self.live + link
        page = self.pages.get((parts.path, _query_key(parts.query)))
        if page is None:
            return self.live + link
        return self.relative(page.file, source_file) + fragment

    @staticmethod
    def relative(target_file, source_file):
        return os.path.relpath(target_file, os.path.dirname(source_file) or ".").replace(os.sep, "/")

    def static_copy(self, url_path):
        if url_path in self.static:
            return self.static[url_path]
        name = url_path[len(settings.STATIC_URL):]
        source = Path(settings.STATIC_ROOT) / name if settings.STATIC_ROOT else None
        if source is None or not source.is_file():
            found = finders.find(name)
            source = Path(found) if found else None
        if source is None or not source.is_file():
            self.static[url_path] = None
            return None
        rel = f"static/{name}"
        self.static[url_path] = rel
        destination = self.out / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".css":  # its own url() references: copied, relative already
            text = source.read_text(encoding="utf-8")
            for ref in CSS_URL.findall(text):
                if not ref.startswith(("data:", "http:", "https:", "#", "/")):
                    self.static_copy(os.path.normpath(os.path.join(os.path.dirname(url_path), ref)))
        shutil.copyfile(source, destination)
        return rel

    def rewrite(self, page, note_html):
        text = page.body.decode("utf-8")

        def attr(match):
            value = _absolute(html.unescape(match.group(3)), page.path)
            new = self.target(value, page.file)
            if new is None:
                return match.group(0)
            return f"{match.group(1)}{match.group(2)}{html.escape(new)}{match.group(2)}"

        text = FORM.sub(lambda m: note_html(m.group(0), page), text)
        text = ATTR.sub(attr, text)
        return text


def _form_note(form_html, page, live, pages, rewriter):
    """A form that needs the server becomes a note linking to the live site; a filter form on a list also lists
    the list's pre-rendered single-filter pages, labelled as the form labels them."""
    with translation.override(page.lang or "en"):
        if page.file.endswith("/search/index.html") and page.path.endswith("/search/"):
            return search_index.search_form_html(page)
        live_link = f"{live}{page.url}"
        note = _("This is an offline copy of the site: this form needs the live site.")
        open_live = _("Open this page on the live site")
        parts = [f'<div class="mirror-note" role="note"><p>{html.escape(note)} '
                 f'<a href="{html.escape(live_link)}">{html.escape(open_live)}</a></p>']
        groups = []
        for select in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form_html, re.S):
            name = select.group(1)
            label = re.search(rf'<label\b[^>]*for="id_{re.escape(name)}"[^>]*>(.*?)</label>', form_html, re.S)
            links = []
            for value, text in re.findall(r'<option\b[^>]*value="([^"]*)"[^>]*>(.*?)</option>', select.group(2),
                                          re.S):
                value = html.unescape(value)
                target = pages.get((page.path, _query_key(urlencode({name: value})))) if value else None
                if target is not None:
                    links.append(f'<li><a href="{html.escape(rewriter.relative(target.file, page.file))}">'
                                 f"{text.strip()}</a></li>")
            if links:
                title = re.sub(r"<[^>]+>", "", label.group(1)).strip() if label else name
                groups.append(f"<h3>{title}</h3><ul class=\"mirror-filters\">{''.join(links)}</ul>")
        years = sorted((p for (path, key), p in pages.items() if path == page.path and len(key) == 1
                        and key[0][0] == "year"), key=lambda p: p.key)
        if years:
            links = "".join(f'<li><a href="{html.escape(rewriter.relative(p.file, page.file))}">{p.key[0][1]}</a></li>'
                            for p in years)
            heading = html.escape(_("Updates by year"))
            groups.append(f'<h3>{heading}</h3><ul class="mirror-filters">{links}</ul>')
        if groups:
            summary = html.escape(_("Filtered lists in this copy"))
            parts.append(f'<details class="mirror-filter-list"><summary>{summary}</summary>{"".join(groups)}</details>')
        parts.append("</div>")
        return "".join(parts)


# --- the build ----------------------------------------------------------------------------------------------

def mirror_build(options, *, signing_key):
    """Build (or rebuild) a mirror into options.out. `signing_key`: an Ed25519 private key. Returns a Result.
    With options.incremental, a rebuild renders only the pages a publication changed when the folder's build
    state can tell which (civicspace/mirror/incremental.py), else everything."""
    say = options.progress or (lambda _msg: None)
    out = Path(options.out)
    previous = signing.manifest_read(out) if out.is_dir() else None
    generation = current_generation()
    position = incremental.audit_position()  # before rendering: a later event is seen by the next build
    result = Result(generation=generation)
    settings_used = {"languages": options.languages, "countries": options.countries, "only": options.only,
                     "format": FORMAT}
    if options.incremental and previous and previous.get("generation") == generation and generation is not None \
            and previous.get("options") == settings_used:
        say(f"Publication generation {generation} unchanged since the last build: nothing to render.")
        result.skipped = True
        result.files = len(previous["files"])
        return result
    started = time.monotonic()
    seeds = enumerate_urls(options.languages, options.countries, options.only)
    state_meta = {"code": incremental.code_version(),
                  "settings": incremental.settings_digest({**settings_used, "pagefind": options.pagefind},
                                                          live_url())}
    filters = filters_digest(seeds)
    plan = None
    if options.incremental:
        plan, result.reason = incremental.plan_make(incremental.state_read(out) if previous else None,
                                                    meta=state_meta, filters=filters, say=say)
        if plan is None:
            say(f"Full build: {result.reason}.")
    result.full = plan is None
    say(f"Rendering the public site in {', '.join(options.languages)} (generation {generation}) ...")
    pages, failed, rendered, redirects = render_all(options, say, plan=plan, seeds=seeds)
    result.rendered, result.failed = rendered, failed
    result.rendered_urls = sorted(p.url for p in unique(pages) if not p.kept)
    result.pages = sum(1 for p in unique(pages) if p.content_type.startswith("text/html"))
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".mirror-", dir=out.parent))
    old = (previous or {}).get("files", {}) if options.incremental else {}
    try:
        rewriter = Rewriter(pages, staging, live_url())
        own_host = re.compile(r"https?://" + re.escape(_client().defaults["SERVER_NAME"]) + r"(?![\w.:-])")
        for page in unique(pages):
            if not page.kept:
                _page_write(page, staging, rewriter, own_host, pages)
        _write_root(staging, options.languages)
        fresh = [p for p in unique(pages) if not p.kept]
        vanished = set()
        if plan is not None:
            now = {p.file for p in unique(pages)}
            vanished = {file for file, _ctype, _refs in plan.previous.values() if file not in now}
        search_index.write_fallback_indexes(staging, fresh, options.languages,
                                            merge_from=out if plan is not None else None,
                                            replaced={p.file for p in fresh} | vanished)
        if options.pagefind and plan is None:
            result.search = search_index.run_pagefind(staging, say)
        # Keep unchanged files as they were (their time stamps too); replace changed ones; drop vanished ones.
        known = {}
        new_files = set(signing.listed_files(staging))
        if plan is not None:  # the files of kept pages are the last build's, as its manifest lists them
            kept_files = {p.file for p in unique(pages) if p.kept}
            known.update({rel: (entry["sha256"], entry["size"]) for rel, entry in old.items()
                          if rel in kept_files})
        for rel in sorted(new_files):
            digest = signing.file_digest(staging / rel)
            size = (staging / rel).stat().st_size
            known[rel] = (digest, size)
            target = out / rel
            if rel in old and old[rel]["sha256"] == digest and target.is_file():
                result.kept += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)
            result.written += 1
        if plan is None:
            doomed = [rel for rel in signing.listed_files(out) if rel not in new_files]
        else:
            doomed = [rel for rel in sorted(vanished) if (out / rel).is_file()]
            result.kept += len([p for p in unique(pages) if p.kept])
        for rel in doomed:
            (out / rel).unlink()
            result.removed += 1
        _remove_empty_dirs(out)
        if options.pagefind and plan is not None:  # Pagefind indexes the whole folder again
            shutil.rmtree(out / "pagefind", ignore_errors=True)
            result.search = search_index.run_pagefind(out, say)
            for rel in [r for r in known if r.startswith("pagefind/")]:
                del known[rel]
        elif plan is not None:
            result.search = "fallback only"
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    meta = {"format": FORMAT, "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "generation": generation, "live_url": live_url(), "options": settings_used}
    manifest = signing.manifest_write(out, meta=meta, private_key=signing_key, known=known)
    incremental.state_write(out, meta=state_meta, pages=pages, redirects=redirects, filters=filters,
                            position=position)
    result.files = len(manifest["files"])
    result.seconds = time.monotonic() - started
    return result


def _page_write(page, staging, rewriter, own_host, pages):
    destination = staging / page.file
    destination.parent.mkdir(parents=True, exist_ok=True)
    if _textual(page.content_type):  # absolute addresses built from the request: the live site's
        page.body = own_host.sub(live_url(), page.body.decode("utf-8")).encode("utf-8")
    if page.content_type.startswith("text/html"):
        text = rewriter.rewrite(page, lambda form, p: _form_note(form, p, rewriter.live, pages, rewriter))
        if not page.key and not page.path.endswith("/search/"):  # indexed for search: each page once
            text = MAIN.sub("<main data-pagefind-body", text, count=1)
        destination.write_text(text, encoding="utf-8")
    else:
        destination.write_bytes(page.body)


def _textual(content_type):
    return content_type.startswith("text/") or any(t in content_type for t in ("xml", "json", "manifest"))


def unique(pages):
    """Each rendered page once (a redirect's address shares the page it leads to)."""
    return list({id(page): page for page in pages.values()}.values())


def _remove_empty_dirs(root):
    for directory in sorted((p for p in Path(root).rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(directory.iterdir()):
            directory.rmdir()


def _write_root(out, languages):
    """index.html at the root (links to each language's home page, no JavaScript) and the search script."""
    links = []
    for lang in languages:
        info = translation.get_language_info(lang)
        links.append(f'<li><a href="{lang}/index.html" lang="{lang}" hreflang="{lang}">{html.escape(info["name_local"])}'
                     "</a></li>")
    with translation.override(languages[0]):
        title = _("Civic Space Monitor")
    (out / "index.html").write_text(
        f'<!doctype html>\n<html lang="{languages[0]}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        f'</head><body><main>'
        f"<h1>{html.escape(title)}</h1><ul>{''.join(links)}</ul></main></body></html>\n", encoding="utf-8")
    shutil.copyfile(ASSETS / "mirror-search.js", out / "mirror-search.js")
