"""Text rules shared by every public output: the one language-fallback rule, Markdown sanitising and rendering,
and a language-neutral sort key. Imports no domain."""
import re
import unicodedata

import nh3
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from markdown_it import MarkdownIt


def sort_key(text):
    """A language-neutral sort key: accents ignored, case folded ("Égypte" sorts with "E")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# --- the language-fallback rule ----------------------------------------------------------------------------

LANGS = tuple(code for code, _ in settings.LANGUAGES)
REVIEWED = "reviewed"
ALL_REVIEWED = {code: REVIEWED for code in LANGS}


def public_text(obj, field, *, original, statuses, lang=None, fallbacks=()):
    """(text, language) of a translated field as the public should see it: the reader's language when it is
    the original or its translation is reviewed, otherwise the original (then `fallbacks`, in order).

    The one language-fallback rule of the site: pages, API, feeds, search and exports all read translated text
    through it (directly or through a domain's public selector)."""
    lang = lang or (get_language() or LANGS[0])[:2]
    text = getattr(obj, f"{field}_{lang}", "")
    if text and (lang == original or statuses.get(lang) == REVIEWED):
        return text, lang
    for candidate in (original, *fallbacks):
        text = getattr(obj, f"{field}_{candidate}", "")
        if text:
            return text, candidate
    return "", original


def label_text(obj, field, lang=None):
    """A reference label (country and region names, taxonomy terms, stage notes): curated in every language, so
    every translation counts as reviewed; English when the language has none."""
    return public_text(obj, field, original="en", statuses=ALL_REVIEWED, lang=lang)[0] or getattr(obj, field, "")


def shown_languages(original, statuses):
    """The languages a record is public in: its original and every reviewed translation."""
    return [lang for lang in LANGS if lang == original or (statuses or {}).get(lang) == REVIEWED]


# --- Markdown ------------------------------------------------------------------------------------------------

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "code", "pre",
                "table", "thead", "tbody", "tr", "th", "td", "hr"}
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
_RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<![A-Za-z][^<>]*>|<\?.*?\?>", re.S)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")


def clean_markdown(text):
    """Markdown as it may be stored and published: HTML comments (which a writer takes for hidden notes) and raw
    HTML tags removed, code blocks and inline code left as written. Idempotent."""
    if not text:
        return text or ""
    out, fence = [], None
    chunk = []

    def flush():
        if chunk:
            out.append(_strip_html("".join(chunk)))
            chunk.clear()

    for line in str(text).splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            flush()
            fence = match.group(2)[0] * 3
            out.append(line)
        elif fence is not None:
            out.append(line)
            if line.strip().startswith(fence):
                fence = None
        else:
            chunk.append(line)
    flush()
    return "".join(out)


def _strip_html(text):
    # Inline code spans keep their contents (`<b>` in backticks is text, not HTML).
    parts = re.split(r"(`+[^`]*`+)", text)
    cleaned = []
    for i, part in enumerate(parts):
        if i % 2:
            cleaned.append(part)
            continue
        previous = None
        while previous != part:
            previous = part
            part = _RAW_TAG.sub("", _COMMENT.sub("", part))
        cleaned.append(part)
    return "".join(cleaned)


def render_markdown(text):
    """Sanitised Markdown to safe HTML: comments and raw HTML removed first, markdown-it renders (raw HTML off),
    nh3 sanitises whatever gets through."""
    html = _md.render(clean_markdown(text))
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener nofollow")
    return mark_safe(clean)
