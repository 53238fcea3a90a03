"""Pure Python text handling for search (no Django, no database): tokens and Snowball stems in the five
languages, the parser of the web-search syntax people know (quotes for phrases, OR, minus to exclude), its
translation into an SQLite FTS5 MATCH expression and into a canonical string for PostgreSQL's
websearch_to_tsquery, and highlighted snippets.

The parser follows websearch_to_tsquery's rules (checked against PostgreSQL 15): words are ANDed; "or"
between two operands is OR (AND binds tighter: `a b or c` is `(a AND b) OR c`); a leading `-` negates the
next operand (`- -a` is `a` again); `"…"` is a phrase, an unterminated quote runs to the end; any other
punctuation only separates words. One difference by design: a branch with nothing but exclusions (`-kloop`)
is dropped, on both databases, instead of matching every document.
"""
import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from html import escape

import snowballstemmer

# Site language -> Snowball algorithm (all five are pure Python in snowballstemmer).
SNOWBALL = {"en": "english", "ru": "russian", "fr": "french", "es": "spanish", "ar": "arabic"}

MAX_QUERY_LENGTH = 256  # characters of the query that are read
MAX_TERMS = 32  # operands kept from one query

# A word: letters and digits, with the combining marks that NFC leaves separate (Arabic harakat, stress
# accents) kept inside the word rather than splitting it.
_MARKS = ("\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff"
          "\ufe20-\ufe2f")
TOKEN_RE = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
# Control characters (NUL included: PostgreSQL refuses it) never reach a query or the index.
_UNSAFE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_local = threading.local()


def _stemmer(lang):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if lang not in stemmers:
        stemmers[lang] = snowballstemmer.stemmer(SNOWBALL.get(lang, "english"))
    return stemmers[lang]


def clean(text):
    """Text without control characters."""
    return _UNSAFE_RE.sub(" ", text or "")


def normalise(word):
    """NFKC, lower case, and without the combining marks NFC could not fold into a letter."""
    word = unicodedata.normalize("NFKC", word).lower()
    if word.isascii():
        return word
    word = unicodedata.normalize("NFC", word)
    return "".join(ch for ch in word if not unicodedata.category(ch).startswith("M"))


# Snowball in pure Python costs ~40 µs a word; words follow Zipf's law, so a bounded memo answers most of them
# (indexing and every search result's snippet stem the same words again and again).
@functools.lru_cache(maxsize=50_000)
def stem(word, lang):
    """The Snowball stem of one word ('' when nothing is left of it)."""
    word = normalise(word)
    if not word:
        return ""
    return _stemmer(lang).stemWord(word)


def tokens(text):
    return TOKEN_RE.findall(text or "")


def has_words(text):
    return any(normalise(t) for t in tokens(text))


def stems(text, lang):
    return [s for s in (stem(t, lang) for t in tokens(text)) if s]


MEMO_WORDS = 500_000  # distinct words of one language a memo holds before it starts again


def stemmed_text(text, lang, memo=None):
    """What is stored in the SQLite FTS5 column: the stems, space-separated, in the text's order.

    `memo` (a dict kept for a whole run, e.g. a rebuild of the index) maps each word as written to its stem,
    per language: every distinct word is normalised and stemmed once per run, not once per occurrence."""
    if memo is None:
        return " ".join(stems(clean(text), lang))
    known = memo.get(lang)
    if known is None or len(known) > MEMO_WORDS:
        known = memo[lang] = {}
    words = TOKEN_RE.findall(clean(text))
    for word in set(words).difference(known):  # only the words this run has not seen yet
        known[word] = stem(word, lang)
    return " ".join(filter(None, map(known.__getitem__, words)))


# ---------------------------------------------------------------------------------------------- queries

@dataclass(frozen=True)
class Term:
    raw: str  # the words as typed (never contains a double quote)
    negated: bool = False
    phrase: bool = False  # typed in quotes


@dataclass
class Query:
    """Branches joined by OR; each branch is terms joined by AND (negated terms exclude)."""

    branches: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.branches

    def positive_terms(self):
        return [t for branch in self.branches for t in branch if not t.negated]

    def websearch(self):
        """A canonical web-search string for PostgreSQL's websearch_to_tsquery: every operand quoted, so only
        the structure this parser found can reach PostgreSQL."""
        return " or ".join(" ".join(("-" if t.negated else "") + f'"{t.raw}"' for t in branch)
                           for branch in self.branches)


def parse(q):
    """Parse what a visitor typed. Never raises; the result may be empty (nothing to search for)."""
    text = clean(q)[:MAX_QUERY_LENGTH]
    items = []  # ("term", Term) | ("or", None)
    negate = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "-":
            negate = not negate
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            raw = text[i + 1:end]
            if has_words(raw):
                items.append(("term", Term(" ".join(raw.split()), negate, True)))
            negate = False
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            raw = text[i:j]
            if raw.lower() == "or" and not negate:
                items.append(("or", None))
            elif has_words(raw):
                items.append(("term", Term(raw, negate)))
                negate = False
            i = j
    # "or" is an operator only between two operands (as in PostgreSQL); elsewhere it is the word "or".
    branches, current, previous_was_term = [], [], False
    for index, (kind, term) in enumerate(items):
        if kind == "or":
            if previous_was_term and index + 1 < len(items):
                branches.append(current)
                current, previous_was_term = [], False
                continue
            term = Term("or")
        current.append(term)
        previous_was_term = True
    branches.append(current)
    kept, count = [], 0
    for branch in branches:
        branch = branch[:max(0, MAX_TERMS - count)]
        count += len(branch)
        if any(not t.negated for t in branch):
            kept.append(branch)
    return Query(kept)


def _fts5_string(stem_list):
    return '"' + " ".join(s.replace('"', '""') for s in stem_list) + '"'


def to_fts5(query, lang):
    """An FTS5 MATCH expression for text stored by stemmed_text(…, lang); '' when nothing can match.

    Every operand is an FTS5 string (double-quoted, quotes doubled), so no user input can be read as FTS5
    syntax (NEAR, column filters, *, ^, parentheses)."""
    branches = []
    for branch in query.branches:
        positive, negative = [], []
        for term in branch:
            stemmed = stems(term.raw, lang)
            if stemmed:
                (negative if term.negated else positive).append(_fts5_string(stemmed))
        if not positive:
            continue
        expression = "(" + " AND ".join(positive) + ")"
        for operand in negative:
            expression = f"({expression} NOT {operand})"
        branches.append(expression)
    return " OR ".join(branches)


# ------------------------------------------------------------------------------------------- highlighting

def highlight(text, wanted, lang, *, size=None, memo=None):
    """HTML: `text` escaped, with each word whose stem is in `wanted` wrapped in <mark>. With `size`, only a
    window of about `size` words around the most matches, with an ellipsis where text was cut. `memo`: a dict
    kept for one `wanted` and `lang` (e.g. one page of results) of word -> whether it is a match."""
    text = clean(text)
    matches = list(TOKEN_RE.finditer(text))
    if not wanted:
        hits = []
    elif memo is None:
        hits = [index for index, m in enumerate(matches) if stem(m.group(), lang) in wanted]
    else:
        hits = []
        for index, m in enumerate(matches):
            word = m.group()
            hit = memo.get(word)
            if hit is None:
                hit = memo[word] = stem(word, lang) in wanted
            if hit:
                hits.append(index)
    start, end = 0, len(matches)
    if size and len(matches) > size:
        best, best_count = 0, -1
        for first in hits or [0]:
            count = sum(1 for h in hits if first <= h < first + size)
            if count > best_count:
                best, best_count = first, count
        start = best - size // 5  # a little context before the first match
        start = 0 if start <= size // 5 else min(start, len(matches) - size)
        end = start + size
    hit_set = set(hits)
    out = []
    position = 0 if start == 0 else matches[start].start()
    if start > 0:
        out.append("… ")
    for index in range(start, end):
        m = matches[index]
        out.append(escape(text[position:m.start()]))
        word = escape(m.group())
        out.append(f"<mark>{word}</mark>" if index in hit_set else word)
        position = m.end()
    if end < len(matches):
        out.append(" …")
    else:
        out.append(escape(text[position:]))
    return "".join(out).strip()


def query_stems(query, lang):
    """The stems of the query's positive terms in `lang`: what a highlight marks."""
    return {s for term in query.positive_terms() for s in stems(term.raw, lang)}
