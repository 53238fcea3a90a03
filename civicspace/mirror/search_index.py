"""Search in a mirror without a server.

Two indexes, both loaded only when the reader searches on the mirror's search page:
- Pagefind (npm registry, pinned in pagefind/package-lock.json): per-language indexes (from each page's
  `<html lang>`) with stemming, used when the mirror is served over HTTP(S). Its WebAssembly is fetched, which
  browsers refuse from file://.
- A small per-language word list (search/index-<lang>.js, a script so that it loads from file:// too): every
  word of a query must begin a word of the page (prefix match), titles first.
"""
import html
import json
import re
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _

from . import builder

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
MAIN_TEXT = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
SCRIPT = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
WORD = re.compile(r"\w+", re.U)
MAX_WORDS = 600
PAGEFIND = Path(__file__).resolve().parent / "pagefind" / "node_modules" / ".bin" / "pagefind"


def _text(fragment):
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", SCRIPT.sub(" ", fragment)))).strip()


def search_form_html(page):
    """The mirror's search form (replaces the site's server-side one on /<lang>/search/)."""
    root = "../" * (page.file.count("/"))
    no_script = _("Searching this copy needs JavaScript. Without it, every page is reachable from the lists: "
                  "countries, updates, laws and the Watchlist.")
    return (
        f'<form class="mirror-search" role="search" id="mirror-search" action="#" data-root="{root}">'
        f'<label for="mirror-q">{html.escape(_("Search this copy"))}</label> '
        f'<input type="search" id="mirror-q" name="q" required> '
        f'<button type="submit">{html.escape(_("Search"))}</button></form>'
        f'<p id="mirror-search-status" role="status" aria-live="polite"></p>'
        f'<ol id="mirror-search-results" class="mirror-search-results"></ol>'
        f"<noscript><p>{html.escape(no_script)}</p></noscript>"
        f'<script src="{root}mirror-search.js" defer></script>')


def _entries(pages, lang):
    rows = []
    for page in pages:
        if page.lang != lang or page.key or page.kept or not page.content_type.startswith("text/html") \
                or page.path.endswith("/search/"):
            continue
        body = page.body.decode("utf-8", "replace")
        title = _text(TITLE.search(body).group(1)) if TITLE.search(body) else page.file
        title = title.rsplit(" · ", 1)[0]
        main = MAIN_TEXT.search(body)
        text = _text(main.group(1)) if main else ""
        words = []
        for word in WORD.findall(f"{title} {text}".lower()):
            if len(word) > 1 and word not in words:
                words.append(word)
            if len(words) >= MAX_WORDS:
                break
        rows.append([page.file, title, text[:200], " ".join(words)])
    return rows


def _read_index(path):
    """The rows of an index written by write_fallback_indexes ([] when missing or unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text[text.index("]=", text.index("MIRROR_SEARCH_INDEX[")) + 2:].rstrip().rstrip(";"))
    except (OSError, ValueError):
        return []


def write_fallback_indexes(out, pages, languages, *, merge_from=None, replaced=()):
    """search/index-<lang>.js for `pages` (Page objects); with merge_from (the mirror being rebuilt), its rows
    stay except those of the `replaced` files."""
    directory = out / "search"
    directory.mkdir(parents=True, exist_ok=True)
    pages = builder.unique(pages) if isinstance(pages, dict) else list(pages)
    replaced = set(replaced)
    for lang in languages:
        rows = _entries(pages, lang)
        if merge_from is not None:
            rows += [row for row in _read_index(Path(merge_from) / "search" / f"index-{lang}.js")
                     if row[0] not in replaced]
        rows.sort(key=lambda r: r[0])
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        (directory / f"index-{lang}.js").write_text(
            "window.MIRROR_SEARCH_INDEX=window.MIRROR_SEARCH_INDEX||{};"
            f"window.MIRROR_SEARCH_INDEX[{json.dumps(lang)}]={data};\n", encoding="utf-8")


def run_pagefind(out, say):
    """Index the built folder with Pagefind (one index per language, from <html lang>). Returns what was done."""
    if not PAGEFIND.exists():
        say("Pagefind is not installed (make pagefind): the mirror gets the small word index only.")
        return "fallback only (pagefind not installed)"
    completed = subprocess.run([str(PAGEFIND), "--site", str(out), "--output-subdir", "pagefind",
                                "--keep-index-url"],
                               capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        say(f"Pagefind failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
        return "fallback only (pagefind failed)"
    return "pagefind + fallback"
