"""Loading the intake lexicons (data files in lexicons/, provenance in lexicons/README.md) and matching them.

Pure Python: no Django. A lexicon pattern is a sequence of words. A word ending in `*` matches any token that
starts with it, a word ending in `~` any token that starts with it and has at most three more letters (Russian
and Arabic word forms: Беларусь → Беларуси, مصري → المصرية), and `_` skips up to three tokens. Matching is on
normalised tokens: lower case, French and Spanish accents removed, ё → е, Arabic diacritics removed and alef,
ta marbuta and alef maqsura unified; Arabic tokens are also tried without their clitics (و ف ب ل ك and ال).
A pattern written in capitals of at most four letters (US, DRC, UAE) matches only in capitals.
"""
import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
LANGS = ("en", "ru", "fr", "es", "ar")

ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic diacritics (shadda, harakat, tanwin) are combining marks, not \w: inside a word they must not split it
# (عُمان, عمّان), so a token runs over them and they are stripped from its normal form.
TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+", re.UNICODE)


def fold(text):
    """Normalise text without changing its length (so offsets stay valid)."""
    text = text.translate(ARABIC_INDIC)
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if low in "أإآٱ":
            low = "ا"
        elif low == "ة":
            low = "ه"
        elif low == "ى":
            low = "ي"
        elif low == "ё":
            low = "е"
        elif "\u00c0" <= ch <= "\u024f":
            base = unicodedata.normalize("NFD", low)[0]
            low = base if base.isalpha() else low
        elif ch in "\u2019\u02bc`":
            low = "'"
        out.append(low)
    return "".join(out)


def _strip_diacritics(token):
    return ARABIC_DIACRITICS.sub("", token)


def arabic_variants(token):
    """The token and its forms without leading clitics (و/ف, then ب/ل/ك, then ال)."""
    forms = [token]
    current = token
    if len(current) > 3 and current[0] in "وف":
        current = current[1:]
        forms.append(current)
    if len(current) > 3 and current[0] in "بلك":
        if current.startswith("لل") and len(current) > 4:
            forms.append("ال" + current[2:])
            current = current[2:]
            forms.append(current)
        else:
            current = current[1:]
            forms.append(current)
    if current.startswith("ال") and len(current) > 4:
        forms.append(current[2:])
    return tuple(dict.fromkeys(forms))


@dataclass(frozen=True)
class Token:
    text: str  # as written
    norm: str
    variants: tuple
    start: int
    end: int


def tokenize(text):
    folded = fold(text)
    tokens = []
    for m in TOKEN.finditer(folded):
        norm = _strip_diacritics(m.group())
        if not norm:
            continue
        variants = arabic_variants(norm) if any("\u0600" <= c <= "\u06ff" for c in norm) else (norm,)
        tokens.append(Token(text[m.start():m.end()], norm, variants, m.start(), m.end()))
    return tokens


def _pattern_core(norm):
    """An Arabic pattern word is written as in running text; match it on its form without the article."""
    for prefix in ("وال", "بال", "لل", "ال"):
        if norm.startswith(prefix) and len(norm) - len(prefix) >= 3:
            return norm[len(prefix):]
    return norm


@dataclass(frozen=True)
class Word:
    stem: str
    mode: str  # "exact", "prefix", "short" (at most three more letters) or "gap"
    case_sensitive: str = ""
    article: bool = False  # an Arabic word that matches only with its article (الرياض, not رياض)


def _has_article(token):
    return any(form.startswith("ال") for form in token.variants)


def compile_pattern(pattern, *, keep_article=False):
    words = []
    for raw in pattern.split():
        if raw == "_":
            words.append(Word("", "gap"))
            continue
        mode = "exact"
        if raw.endswith("*"):
            mode, raw = "prefix", raw[:-1]
        elif raw.endswith("~"):
            mode, raw = "short", raw[:-1]
        cased = raw if (raw.replace(".", "").isupper() and len(raw.replace(".", "")) <= 4
                        and raw.replace(".", "").isalpha() and raw.isascii()) else ""
        for tok in tokenize(raw):
            core = _pattern_core(tok.norm)
            words.append(Word(core, mode if tok.end == len(raw) else "exact",
                              tok.text if cased else "", keep_article and core != tok.norm))
    return tuple(words)


def _word_matches(word, token):
    if word.case_sensitive:
        return token.text == word.case_sensitive
    if word.article and not _has_article(token):
        return False
    for form in token.variants:
        if word.mode == "exact" and form == word.stem:
            return True
        if word.mode == "prefix" and form.startswith(word.stem):
            return True
        if word.mode == "short" and form.startswith(word.stem) and len(form) - len(word.stem) <= 3:
            return True
    return False


def match_at(words, tokens, i):
    """Return the index after the match of `words` starting at tokens[i], or None."""
    if not words:
        return i
    word = words[0]
    if word.mode == "gap":
        for skip in range(0, 4):
            end = match_at(words[1:], tokens, i + skip)
            if end is not None:
                return end
        return None
    if i >= len(tokens) or not _word_matches(word, tokens[i]):
        return None
    return match_at(words[1:], tokens, i + 1)


@dataclass(frozen=True)
class Match:
    key: str
    kind: str
    first: int  # token index
    last: int  # token index after the match
    start: int  # character offsets in the text
    end: int


class Lexicon:
    """Patterns of one language, each with a key (a code) and a kind."""

    def __init__(self, entries, *, keep_article=False):
        self.entries = [(key, kind, compile_pattern(pattern, keep_article=keep_article))
                        for key, kind, pattern in entries]
        self.by_first = {}
        for entry in self.entries:
            if entry[2]:
                self.by_first.setdefault(entry[2][0].stem[:2], []).append(entry)

    def find(self, tokens, *, longest=True):
        """The matches in tokens: where matches overlap, only the longest (longest=False: every match)."""
        kept, every = self.find_both(tokens)
        return kept if longest else every

    def find_both(self, tokens):
        """(the longest matches, every match) from one pass over the tokens."""
        found = []
        for i, token in enumerate(tokens):
            candidates = []
            for form in token.variants:
                candidates.extend(self.by_first.get(form[:2], ()))
            for key, kind, words in dict.fromkeys(candidates):
                end = match_at(words, tokens, i)
                if end is not None and end > i:
                    specific = sum(len(w.stem) for w in words)
                    found.append((Match(key, kind, i, end, tokens[i].start, tokens[end - 1].end), specific))
        every = [m for m, _specific in found]
        # Longest match wins where matches overlap ("روسيا البيضاء" is Belarus, not Russia); of two as long, the
        # more specific pattern ("активистк*", a woman, before "активист*").
        found.sort(key=lambda pair: (-(pair[0].last - pair[0].first), pair[0].first, -pair[1]))
        taken, kept = set(), []
        for m, _specific in found:
            span = set(range(m.first, m.last))
            if span & taken:
                continue
            taken |= span
            kept.append(m)
        return sorted(kept, key=lambda m: m.first), every


# Country-code top-level domains sold as generic names (.tv, .io, .co, .fm, .ly...) or given away free (.tk, .ml,
# .ga, .cf, .gq): a site under one of them says nothing about its country.
GENERIC_CCTLDS = frozenset(
    "ag ai bz cc cf co cx dj fm ga gg gl gq im io la ly ml ms nu pw sh so st tk to tv vc ws".split())


def country_domains(iso2):
    """A country's own top-level domains: its ISO 3166 alpha-2 code (and .uk beside .gb), less generic ones."""
    if not iso2:
        return []
    domains = [iso2.lower()] + (["uk"] if iso2.upper() == "GB" else [])
    return [d for d in domains if d not in GENERIC_CCTLDS]


def _read(name):
    with open(LEXICON_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _expand(cell):
    return [part.strip() for part in cell.split("/") if part.strip()]


RUSSIAN_ADJECTIVE_ENDINGS = ("ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой")


def _russian_stem(word):
    """A word of a Russian country name as a pattern that matches its declined forms: Беларусь → Беларуси,
    Россия → России, and adjectives by their stem (Южная Корея → в Южной Корее, Соединенные Штаты → Соединенных
    Штатах); short words and words in capitals (США) are kept as they are. Each part of a hyphenated name declines
    (Гвинея-Бисау → в Гвинее-Бисау)."""
    if len(word) <= 3 or word.isupper():
        return word
    if len(word) >= 5 and word.endswith(RUSSIAN_ADJECTIVE_ENDINGS):
        return word[:-2] + "~"
    if len(word) > 4 and word[-1] in "аяьйеоиы":
        return word[:-1] + "~"
    return word + "~"


@functools.lru_cache(maxsize=None)
def lexicons():
    """Every lexicon, per language: {"countries": {lang: Lexicon}, ...} plus plain tables."""
    data = {name: {lang: [] for lang in LANGS} for name in
            ("countries", "acts", "victims", "perpetrators", "stages", "laws", "watchlist", "masks", "modals",
             "reactions", "provisions", "sources", "contexts", "leaders")}
    for row in _read("country_names.csv"):
        words = row["name"].split()
        if row["lang"] in ("ru",):
            words = [_russian_stem(part) for w in words for part in w.split("-") if part]
        data["countries"][row["lang"]].append((row["code"], "name", " ".join(words)))
    for row in _read("country_forms.csv"):
        data["countries"][row["lang"]].append((row["code"], row["kind"], row["pattern"]))
    for name, key in (("acts", "act"), ("victims", "victim"), ("perpetrators", "perpetrator"),
                      ("stages", "stage")):
        for row in _read(f"{name}.csv"):
            data[name][row["lang"]].append((row[key], name, row["pattern"]))
    for row in _read("law_nouns.csv"):
        data["laws"][row["lang"]].append((row["kind"], "law", row["pattern"]))
    for row in _read("watchlist.csv"):
        data["watchlist"][row["lang"]].append((row["kind"], "watchlist", row["pattern"]))
    # Word lists of one column: what matters is that a pattern matches, not which.
    for name, key in (("masks", "mask"), ("modals", "modal"), ("reactions", "reaction"), ("provisions", "provision"),
                      ("sources", "source")):
        for row in _read(f"{name}.csv"):
            data[name][row["lang"]].append((key, key, row["pattern"]))
    for row in _read("leaders.csv"):
        data["leaders"][row["lang"]].append((row["code"], "leader", row["pattern"]))
    for row in _read("contexts.csv"):
        data["contexts"][row["lang"]].append((row["context"], "context", row["pattern"]))
    # A place's name written with the Arabic article matches only with it: without it, الرياض, الجزائر, المغرب
    # are common words and first names (رياض "gardens", Riad; جزائر "islands"; مغرب "sunset").
    result = {name: {lang: Lexicon(entries, keep_article=name in ("countries", "leaders"))
                     for lang, entries in per_lang.items()}
              for name, per_lang in data.items()}

    def table(name, key, value):
        out = {lang: {} for lang in LANGS}
        for row in _read(name):
            for form in _expand(row[key]):
                for tok in [fold(form)]:
                    out[row["lang"]][tok] = int(row[value])
        return out

    result["months"] = table("months.csv", "form", "month")
    result["weekdays"] = table("weekdays.csv", "form", "weekday")
    result["relative_days"] = table("relative_days.csv", "form", "offset")
    result["numbers"] = table("numbers.csv", "form", "value")
    # One act may carry several codes ("sentence": a negative court ruling and legal harassment), "/"-separated.
    result["domains"] = {row["suffix"]: row["code"] for row in _read("domains.csv")}
    result["act_types"] = {(row["act"], row["victim_group"]): tuple(_expand(row["code"]))
                           for row in _read("act_types.csv")}
    return result
