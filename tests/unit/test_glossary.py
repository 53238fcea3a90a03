"""Every translation follows its language's glossary (civicspace/locale/glossary/<lang>.toml).

A string whose English matches a term's `en` must contain one of the term's required words and none of its
forbidden ones: in the gettext catalogues, the taxonomy labels, the region names, the methodology versions and the
demo content (civicspace/data/demo, <app>/demo).
"""
import ast
import csv
import json
import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "civicspace"
LANGS = ["ru", "fr", "es", "ar"]


def read_po(path):
    """(msgctxt, English, [translations]) for each entry of a .po file (a small reader: no dependency)."""
    entries, current, key = [], {}, None

    def flush():
        if current.get("msgid"):
            english = current["msgid"] + ("\n" + current["msgid_plural"] if "msgid_plural" in current else "")
            entries.append((current.get("msgctxt"), english,
                            [v for k, v in current.items() if k.startswith("msgstr")]))
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            key = None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
    flush()
    return entries


def _translated_dicts(value, lang):
    """Every {"en": ..., "<lang>": ...} text in a JSON document."""
    if isinstance(value, dict):
        if isinstance(value.get("en"), str) and isinstance(value.get(lang), str):
            yield value
        for child in value.values():
            yield from _translated_dicts(child, lang)
    elif isinstance(value, list):
        for child in value:
            yield from _translated_dicts(child, lang)


def pairs(lang):
    """(where, msgctxt, English, translation) for every translated string of the language."""
    po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    for context, english, translations in read_po(po):
        for text in translations:
            yield f"django.po {english[:60]!r}", context, english, text
    for name, en_col, col in [("taxonomy.csv", "label_en", f"label_{lang}"), ("regions.csv", "name_en", f"name_{lang}")]:
        with open(ROOT / "data" / "reference" / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield f"{name} {row[en_col]!r}", None, row[en_col], row[col]
    documents = [*sorted((ROOT / "methodology" / "versions").glob("*.json")),
                 *sorted((ROOT / "data" / "demo").glob("*.json")), *sorted(ROOT.glob("*/demo/*.json"))]
    for path in documents:
        for item in _translated_dicts(json.loads(path.read_text(encoding="utf-8")), lang):
            yield f"{path.name} {item['en'][:60]!r}", None, item["en"], item[lang]


def normalise(text, lang):
    text = text.casefold()
    if lang == "ar":  # the short vowels, shadda and sukun are optional in Arabic; tatweel is decoration
        text = "".join(c for c in unicodedata.normalize("NFD", text)
                       if not ("\u064b" <= c <= "\u0652" or c == "\u0640"))
        text = unicodedata.normalize("NFC", text)
    return text


def glossary(lang):
    with open(ROOT / "locale" / "glossary" / f"{lang}.toml", "rb") as f:
        return tomllib.load(f)["term"]


@pytest.mark.parametrize("lang", LANGS)
def test_translations_follow_the_glossary(lang):
    terms = glossary(lang)
    problems = []
    for where, context, english, text in pairs(lang):
        if not text:
            continue
        translated = normalise(text, lang)
        for term in terms:
            if "context" in term and term["context"] != context:
                continue
            if not re.search(term["en"], english, re.I):
                continue
            required = [normalise(word, lang) for word in term.get("required", [])]
            if required and not any(word in translated for word in required):
                problems.append(f"{where}: {text!r} lacks {term['required']} ({term['note']})")
            # `unless_en`: the English names the forbidden word's own meaning too (signals and indices in one
            # sentence): then the forbidden word is that meaning's translation, not a mistranslation.
            allowed = "unless_en" in term and re.search(term["unless_en"], english, re.I)
            for word in [] if allowed else term.get("forbidden", []):
                word = normalise(word, lang)
                found = re.search(word, translated) if word.startswith("^") else word in translated
                if found:
                    problems.append(f"{where}: {text!r} uses forbidden {word!r} ({term['note']})")
    assert not problems, f"{len(problems)} glossary problems in {lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_terms_are_well_formed(lang):
    for term in glossary(lang):
        re.compile(term["en"])
        assert term.get("required") or term.get("forbidden"), term
        assert term.get("note"), term


def _messages(lang):
    """The translated text of every catalogue entry but the header, without placeholders, tags and addresses."""
    po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    for _context, english, translations in read_po(po):
        for text in translations:
            yield english, re.sub(r"%\(\w+\)[sd]|<[^>]+>|https?://\S+|\{[^}]*\}", "", text)


def test_french_punctuation_has_its_no_break_space():
    """« : », « ; », « ? », « ! » take a no-break space before them in French (a plain space lets the line break
    before the colon; none at all is English typography)."""
    bad = [english for english, text in _messages("fr")
           if re.search(r"[:;?!](?=\s|$)", re.sub(r"[\u00a0\u202f][:;?!]", "", text))]
    assert not bad, bad[:20]


def test_arabic_text_uses_arabic_punctuation():
    """Arabic text takes «،», «؛» and «؟», not the Latin comma, semicolon and question mark."""
    bad = [english for english, text in _messages("ar")
           if re.search(r"[\u0600-\u06ff]\s?[,;?]|[,;?]\s?[\u0600-\u06ff]", text)]
    assert not bad, bad[:20]
