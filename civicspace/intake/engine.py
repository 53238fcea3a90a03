"""The intake assistant's suggestions for one text. Pure Python (no Django), offline, deterministic.

`suggest(text, ...)` returns plain data: the language, the countries, the text's own date, incidents (one per
distinct event), laws with the stage the text reports, and Watchlist or rating mentions. Every suggestion carries
its evidence (the sentence it came from, as character offsets into the text) and a confidence between 0 and 1.

The rules are deliberately simple and the vocabulary is data (lexicons/): a sentence that names an act
("detained", "обыск", "allanaron", "اعتقال") becomes an incident candidate; the victims named in the same clause
(or sentence) give the victim types and counts and decide the violation code (detention of a journalist vs of a
protester, act_types.csv); candidates with the same codes and a compatible date are one event.
"""
import datetime as dt
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .lexicon import LANGS, fold, lexicons, tokenize

# Parameters chosen by leave-one-out on the development set (see README and `civicspace intake tune`).
DEFAULTS = {
    "country_ratio": 0.7,  # keep a country whose score is at least this share of the best country's score
    "headline_weight": 3.0,  # mentions in the headline (first line) count this many times
    "adjective_weight": 0.5,  # an adjective or demonym counts less than a name ("French broadcaster")
    "place_weight": 1.0,  # a capital, city or region
}

VICTIM_GROUPS = {"journalist": "media", "media_outlet": "media", "blogger": "media", "protester": "protest"}
FREEDOM_BY_VICTIM = {"journalist": "expression", "media_outlet": "expression", "blogger": "expression",
                     "protester": "peaceful_assembly"}
FREEDOM_BY_TYPE = {
    "protest_disruption": "peaceful_assembly", "protest_prevented": "peaceful_assembly",
    "protesters_detained": "peaceful_assembly", "excessive_force": "peaceful_assembly",
    "protesters_killed": "peaceful_assembly", "protest_facilitated": "peaceful_assembly",
    "journalist_detained": "expression", "journalist_attacked": "expression", "journalist_killed": "expression",
    "censorship": "expression", "internet_shutdown": "expression", "defamation_charges": "expression",
    "smear_campaign": "expression", "surveillance": "expression", "self_censorship": "expression",
    "intimidation": "expression",
}
POSITIVE = {"positive_court_ruling", "release", "positive_law_change", "registration_restored", "acquittal",
            "protest_facilitated"}
ORG_VICTIMS = {"media_outlet", "cso"}
# Words that join two victims ("a journalist and a newspaper"); _clauses has its own, that join two clauses.
LIST_JOINERS = {"en": {"and", "or"}, "ru": {"и", "или"}, "fr": {"et", "ou"}, "es": {"y", "e", "o"}, "ar": {"و"}}
DEFENDERS = {"hrd", "woman_hrd", "environmental_defender", "lawyer", "trade_unionist", "lgbtqi", "cso"}
PERSON_ACTS = {"detain", "attack", "kill", "travel_ban", "release", "acquit", "sentence", "prosecute", "defamation"}
ORG_ACTS = {"liquidate", "seal", "censor", "block", "foreign_agent", "suspend"}


@dataclass
class Evidence:
    start: int
    end: int

    def as_dict(self, text):
        return {"start": self.start, "end": self.end, "sentence": text[self.start:self.end]}


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list
    line: int  # 0 for the first line (the headline)


def split_sentences(text):
    """Sentences with their tokens: split at line breaks and at . ! ? ؟ followed by a space."""
    sentences = []
    all_tokens = tokenize(text)
    bounds = []
    line = 0
    pos = 0
    for m in re.finditer(r"\n+|(?<=[.!?؟…])[\"»”']?\s+(?=[\"«“A-ZА-ЯЁÀ-ÖØ-Þ\u0600-\u06ff0-9¿¡(])", text):
        bounds.append((pos, m.start(), line))
        if "\n" in m.group():
            line += 1
        pos = m.end()
    bounds.append((pos, len(text), line))
    ti = 0
    for start, end, line_no in bounds:
        while ti < len(all_tokens) and all_tokens[ti].start < start:
            ti += 1
        toks = []
        while ti < len(all_tokens) and all_tokens[ti].end <= end:
            toks.append(all_tokens[ti])
            ti += 1
        if toks:
            sentences.append(Sentence(start, end, toks, line_no))
    return sentences


# --- language -----------------------------------------------------------------------------------------------------
_DETECTOR = None


def detect_language(text):
    """(code, confidence). lingua (offline, restricted to the five languages); a script count if it is absent."""
    global _DETECTOR
    sample = text[:5000]
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - lingua is a declared dependency
        Language = None
    if Language is not None:
        if _DETECTOR is None:
            _DETECTOR = LanguageDetectorBuilder.from_languages(
                Language.ENGLISH, Language.RUSSIAN, Language.FRENCH, Language.SPANISH, Language.ARABIC).build()
        values = _DETECTOR.compute_language_confidence_values(sample)
        if values:
            best = values[0]
            return best.language.iso_code_639_1.name.lower(), round(best.value, 2)
    arabic = sum("\u0600" <= c <= "\u06ff" for c in sample)
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in sample)
    if arabic > cyrillic and arabic > 20:
        return "ar", 0.6
    if cyrillic > 20:
        return "ru", 0.6
    return "en", 0.3


# --- dates --------------------------------------------------------------------------------------------------------
@dataclass
class FoundDate:
    value: dt.date
    precision: str  # "day" or "month"
    start: int
    end: int
    has_year: bool = True


def _alternation(forms):
    return "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))


def find_dates(text, lang, *, reference=None):
    """Dates written in the text (folded for matching; offsets are the text's). Dates without a year take the
    reference date's year (the latest such date not after the reference)."""
    lex = lexicons()
    folded = fold(text)
    months = dict(lex["months"][lang])
    if lang != "en":
        months.update({k: v for k, v in lex["months"]["en"].items() if len(k) > 3})
    month_re = _alternation(months)
    found = []

    def add(m, year, month, day, precision="day", has_year=True):
        try:
            value = dt.date(int(year), int(month), int(day))
        except ValueError:
            return
        if not 1990 <= value.year <= 2100:
            return
        found.append(FoundDate(value, precision, m.start(), m.end(), has_year))

    sep = r"[\s\-/.,]*"
    patterns = [
        (rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}})\b", lambda m: add(m, m[1], m[2], m[3])),
        (r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b", lambda m: add(m, m[3], m[2], m[1])),
        # Year first with slashes or dots ("2024/04/30", "2024.04.30"), as Arabic and East Asian sites write it.
        (r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b", lambda m: add(m, m[1], m[2], m[3])),
        (rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?{sep}(?:de\s+)?({month_re})(?:\s*[/-]\s*[^\W\d]+(?:\s[^\W\d]+)?)?"
         rf"{sep}(?:de\s+|del\s+)?(?:year\s+|года?\s+)?(\d{{4}})(?:م)?\b",  # "2018م": AD in Arabic
         lambda m: add(m, m[3], months[m[2]], m[1])),
        (rf"(?<!\w)({month_re})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+|\s*[–-]\s*)(\d{{4}})\b",
         lambda m: add(m, m[3], months[m[1]], m[2])),
    ]
    taken = []
    for regex, action in patterns:
        for m in re.finditer(regex, folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            before = len(found)
            action(m)
            if len(found) > before:
                taken.append((m.start(), m.end()))
    # Month and year ("in January 2024", "в феврале 2024 года", "شباط/فيفري 2023").
    for m in re.finditer(rf"(?<!\w)({month_re})(?:\s*/\s*[^\W\d]+)?{sep}(?:de\s+|del\s+)?(\d{{4}})\b", folded):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        add(m, m[2], months[m[1]], 1, "month")
        taken.append((m.start(), m.end()))
    # Day and month without a year ("On February 22", "9 июля", "el 14 de diciembre", "في 6 مارس").
    if reference:
        day_month = [
            rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?({month_re})(?!\w)",
            rf"(?<!\w)({month_re})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{{4}})",
        ]
        for k, regex in enumerate(day_month):
            for m in re.finditer(regex, folded):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                day, month = (m[1], months[m[2]]) if k == 0 else (m[2], months[m[1]])
                year = reference.year
                try:
                    if dt.date(year, month, int(day)) > reference:
                        year -= 1
                except ValueError:
                    continue
                add(m, year, month, day, has_year=False)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def relative_date(sentence_tokens, lang, reference):
    """'yesterday', 'сегодня', 'el viernes', 'الأربعاء' in a sentence, resolved against the reference date."""
    if not reference:
        return None
    lex = lexicons()
    norms = [t.norm for t in sentence_tokens]
    joined = " " + " ".join(norms) + " "
    for form, offset in sorted(lex["relative_days"][lang].items(), key=lambda kv: -len(kv[0])):
        key = " " + " ".join(t.norm for t in tokenize(form)) + " "
        if key.strip() and key in joined:
            return reference + dt.timedelta(days=offset)
    weekdays = lex["weekdays"][lang]
    for tok in sentence_tokens:
        for form in tok.variants:
            if form in weekdays:
                back = (reference.weekday() - weekdays[form]) % 7
                return reference - dt.timedelta(days=back)
    return None


def _dateline_prefix(lang):
    weekdays = _alternation(lexicons()["weekdays"][lang])
    return re.compile(
        r"^[\W_]*(?:(?:by|автор|par|por|بقلم)\W+[^\W\d_][\w.'’ -]{0,40}[,|–—-]\s*)?"
        r"(?:(?:[^\W\d_][\w.'’ -]{0,30})[,،]\s*)?"
        r"(?:(?:publish(?:ed)?\s+(?:date|on)|(?:posted|published)\s+by\s+[^\W\d_][\w.'’ -]{0,40}?\s+on|publie\s+le|publicado(?:\s+el)?|fecha\s+de\s+publicacion|опубликовано|"
        r"дата(?:\s+публикации)?|date|تاريخ(?:\s+النشر)?|في)\W*)?"
        rf"(?:(?:{weekdays})\W*)?(?:\d{{1,2}}[:.]\d{{2}}\s*[,|–—-]?\s*)?$", re.IGNORECASE)


def published_date(text, lang, *, source_date=None):
    """The text's own date: the date line given with it, else a full date that heads a line (a dateline such as
    "New York, March 1, 2021 –", "Publicado: mayo 27, 2025", "09/07/2020 - 13:01", "11:49, 19 апреля 2018")."""
    if source_date:
        return {"value": source_date.isoformat(), "confidence": 0.95, "evidence": None}
    head = text[:1500]
    # A line that is only a date with a two-digit year, day first, perhaps with the time: "16/12/22 21:21",
    # "27.09.17" (news sites' and NGOs' own date lines).
    short = re.search(r"(?m)^[ \t]*(\d{1,2})([./])(\d{1,2})\2(\d{2})(?:[ \t,|–-]+\d{1,2}:\d{2})?[ \t]*$", head)
    # A news agency's dateline: place, short date and agency between slashes ("Баку/15.11.22/Turan:").
    short = short or re.search(r"(?m)^[ \t]*[^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+)?/(\d{1,2})(\.)(\d{1,2})\.(\d{2})/",
                               head)
    full = [f for f in find_dates(head, lang) if f.precision == "day"]
    if short and not any(f.start < short.start() for f in full):
        try:
            value = dt.date(2000 + int(short[4]), int(short[3]), int(short[1]))
        except ValueError:
            value = None
        if value:
            return {"value": value.isoformat(), "confidence": 0.7,
                    "evidence": Evidence(short.start(), short.end()), "span": (short.start(1), short.end(4))}
    today = _alternation(f for f, offset in lexicons()["relative_days"][lang].items() if offset == 0)
    weekdays = _alternation(lexicons()["weekdays"][lang])
    for found in full:
        line_start, line_end = _line_of(head, found)
        prefix = fold(head[line_start:found.start])
        title_dash = re.match(r"^[^,.:;\d]{0,40}[–—-]\s*$", prefix)
        # "مساء اليوم الاثنين، 29 يوليوز 2024", "today, Monday 29 July 2024": the text says the date is today.
        said_today = today and re.search(rf"(?<!\w)(?:{today})\W+(?:(?:{weekdays})\W+)?$", prefix)
        # "Редакция PRESS 11 февраля, 2026 10:55": a short label, the date and the time make a line of their own.
        rest = head[found.end:line_end]
        date_line = (re.match(r"^[^\W\d_][^.!?:;\d]{0,30}$", prefix)
                     and re.match(r"^[\s,|–—-]*\d{1,2}[:.]\d{2}\s*$", rest))
        # "Haïti standard, le 8 février 2024.-": an outlet's dateline with an article, closed by a dash.
        date_line = date_line or (re.match(r"^[^\W\d_][\w.'’ -]{0,30}[,،]\s*(?:le|el|on)\s+$", prefix)
                                  and re.match(r"^\s*\.?\s*[–—-]", rest))
        # A date that begins a line inside a hard-wrapped sentence ("...the arrest on\n12 January, 2018 in
        # Galkayo.") is no dateline.
        previous_line = head[:max(0, line_start - 1)].rsplit("\n", 1)[-1].rstrip()
        if (previous_line[-1:].isalpha() or previous_line.endswith(",")) and not prefix.strip() \
                and rest.lstrip()[:1].islower() and not re.search(r"\d{1,2}:\d{2}", rest):
            continue
        # "This article was first published on the Gulf Centre's site on 13 February 2019", "نشر ... بتاريخ".
        published_on = re.search(r"(?:\bpublished|\bpublie|\bpublicado|опубликован|نشر)[^.!?\n]{0,90}?"
                                 r"(?:\bon|\ble|\bel|بتاريخ|في)\W*$", prefix)
        if _dateline_prefix(lang).match(prefix) or title_dash or said_today or date_line or published_on:
            value = _weekday_order(found, head, prefix, lang)
            return {"value": value.isoformat(), "confidence": 0.8,
                    "evidence": Evidence(line_start, line_end),
                    "span": (found.start, found.end)}
    # A statement signed at its end with a place and a date ("الخرطوم 21 يوليو 2018م", "Paris, le 3 mars 2021"):
    # a line of its own, only when nothing at the top dates the text.
    tail_start = max(0, len(text) - 400)
    tail = text[tail_start:]
    for found in reversed([f for f in find_dates(tail, lang) if f.precision == "day"]):
        line_start, line_end = _line_of(tail, found)
        if (re.fullmatch(r"(?:[A-ZÀ-ÝА-ЯЁ\u0621-\u064a][^\W\d_]*[ ,،'’-]*){1,3}(?:(?:le|el|on|في)\s+)?",
                         tail[line_start:found.start])
                and re.fullmatch(r"[\s.,،]*", tail[found.end:line_end])):
            return {"value": found.value.isoformat(), "confidence": 0.7,
                    "evidence": Evidence(tail_start + line_start, tail_start + line_end),
                    "span": (tail_start + found.start, tail_start + found.end)}
    return {"value": None, "confidence": 0.5, "evidence": None}


def _line_of(text, found):
    """(start, end) of the line of `text` that holds the date `found`."""
    end = text.find("\n", found.end)
    return text.rfind("\n", 0, found.start) + 1, len(text) if end == -1 else end


def _weekday_order(found, text, prefix, lang):
    """A numeric date read day first ("11/09/2021") whose weekday beside it ("ثلاثاء, 11/09/2021") says it is
    written month first: the month-first reading."""
    value = found.value
    if not re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}", text[found.start:found.end]):
        return value
    named = [day for form, day in lexicons()["weekdays"][lang].items()
             if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", prefix)
             or (form.startswith("ال") and re.search(rf"(?<!\w){re.escape(form[2:])}(?!\w)", prefix))]
    if not named or value.weekday() == named[0] or value.day > 12:
        return value
    swapped = dt.date(value.year, value.day, value.month)
    return swapped if swapped.weekday() == named[0] else value


# --- countries ----------------------------------------------------------------------------------------------------
def dateline_span(text):
    """The place of a dateline at the start of a paragraph ("Guatemala City, May 21, 2021 —"): reporters'
    locations, not where events happened."""
    spans = []
    for m in re.finditer(r"(?m)^\(?([^\W\d][\w .'’-]{1,30}?)\)?\s*[,–—-]\s*(?=.{0,25}\d{4}|\s*(?:[-–—]|\())", text):
        spans.append((m.start(1), m.end(1)))
    for m in re.finditer(r"(?m)^\(([^\W\d][\w .'’-]{1,30}?)\)", text):
        spans.append((m.start(1), m.end(1)))
    # An agency's dateline in capitals: "MADRID, 2 May. (EUROPA PRESS) -", "DAKAR, 3 juin (AFP) -".
    for m in re.finditer(r"(?m)^([A-ZÀ-ÝА-ЯЁ][A-ZÀ-ÝА-ЯЁ .'’-]{1,30}),", text):
        spans.append((m.start(1), m.end(1)))
    return spans


def _outlet_number(tokens, index, lang):
    """A country name followed by a small number that is not a day of a date ("France 24", not "Беларуси 14
    июля")."""
    if index >= len(tokens) or not tokens[index].norm.isdigit() or int(tokens[index].norm) >= 100:
        return False
    months = lexicons()["months"]
    following = tokens[index + 1].norm if index + 1 < len(tokens) else ""
    return following not in months[lang] and following not in months["en"]


EMBASSY_OF = {"of", "de", "del", "du", "d"}


def _place_is_venue(m, tokens, lang, lx, every):
    """Whether a capital or city named in a sentence is where something happens."""
    after = tokens[m.last] if m.last < len(tokens) else None
    if lx != lang:
        return False  # English place names in another language's text: "Honor Colorado" is a party
    before = [t.norm for t in tokens[max(0, m.first - 2):m.first]]
    if (after is not None and after.norm == "based") or before == ["based", "in"]:
        return False  # "a New York-based group", "based in Paris": where an organisation sits
    if (lang in ("fr", "es", "ru") and after is not None and after.text[:1].isupper()
            and after.start - tokens[m.last - 1].end == 1 and not any(e.first == m.last for e in every)):
        return False  # a first name: "el presidente Santiago Peña" (French, Spanish and Russian write "tribunal
        # de Dakar", "суд Бишкека": a place is not followed by a capitalised word)
    return True


def source_country(source_url):
    """The country whose own top-level domain the source address is under (lagaceta.com.ar, 24.kg), or None."""
    host = urlsplit(source_url or "").hostname or ""
    suffix = host.rstrip(".").rsplit(".", 1)[-1] if "." in host else ""
    return lexicons()["domains"].get(suffix)


def suggest_countries(text, lang, sentences, params, *, source_url=None):
    lex, lex_contexts, lex_perpetrators, lex_victims = (lexicons()[name] for name in (
        "countries", "contexts", "perpetrators", "victims"))
    skip = dateline_span(text)
    scores, evidence, shared, dateline_evidence = {}, {}, [], {}
    masked = []  # each sentence's tokens without organisation names, kept for the leaders' fallback below
    langs = [lang] + [x for x in ("en",) if x != lang]
    for sentence in sentences:
        seen = set()
        tokens = _masked(sentence.tokens, lang)
        masked.append(tokens)
        found = set()  # token indexes of the text language's matches: "Sudán del Sur" is not also "Sudan"
        # "the Saudi embassy", "السفارة السعودية", "посольство США": a country's embassy is where it is present,
        # not where the events happen; nor is a neighbour's border ("near the Turkish border", "الحدود التركية").
        contexts = lex_contexts[lang].find(tokens)
        embassies = [m for m in contexts if m.key in ("embassy", "border")]
        # "in solidarity with Gaza", "pro-Palestinian", "against the war in Ukraine", "تضامنا مع قطاع غزة": the
        # cause a protest is for is not where it happens.
        causes = [m for m in contexts if m.key == "cause"]
        # "مصطفى السويد", "محمد المصري": after a first name, a country's name or adjective is a family name.
        first_names = {m.last for m in contexts if m.key == "first_name"}
        # "Kuwaiti intelligence", "السلطات الكويتية", "белорусские силовики": the state actor's adjective says where
        # it acts, as much as the country's name does.
        found_actors = lex_perpetrators[lang].find(tokens)
        actors = [m for m in found_actors if m.key not in ("non_state_actor", "unknown")]
        # "مليشيات الحوثي الإيرانية", "Iranian-backed militias": an armed group's label says who backs it, not
        # where it acts.
        groups_armed = [m for m in found_actors if m.key == "non_state_actor"]
        # "the German daily Die Welt", "la chaîne française", "صحيفة لوموند الفرنسية": an outlet's nationality is
        # not where the events happen.
        outlets = [m for m in lex_victims[lang].find(tokens) if m.key == "media_outlet"]
        for lx in langs:
            longest, every = lex[lx].find_both(tokens)
            places = {p.key for p in longest
                      if p.kind in ("capital", "city") and _place_is_venue(p, tokens, lang, lx, every)}
            # The first place at most two words after a cause ("solidarity with the Gaza Strip") is its object.
            caused = set()
            for c in causes:
                following = [m.first for m in longest if 0 <= m.first - c.last <= 2]
                if following:
                    caused.add(min(following))
            for m in longest:
                if any(s <= m.start and m.end <= e for s, e in skip):
                    # A dateline says where the text was written; it counts only when nothing else names a
                    # country ("El Salvador, 27 de enero de 2026 (APES).—" above a report on Soyapango).
                    if lx == lang and m.kind != "adjective":
                        dateline_evidence.setdefault(m.key, Evidence(sentence.start, sentence.end))
                    continue
                if any(m.first == e.last or e.first == m.last
                       or (m.first == e.last + 1 and tokens[e.last].norm in EMBASSY_OF) for e in embassies):
                    continue  # "Turkish embassy", "السفارة السعودية", "ambassade de France"; not "embassy in Baku"
                if m.first in first_names or m.first in caused:
                    continue
                if m.kind in ("capital", "city") and not _place_is_venue(m, tokens, lang, lx, every):
                    continue
                span = range(m.first, m.last)
                if lx == lang:
                    found.update(span)
                elif found.intersection(span):
                    continue
                if m.kind == "name" and _outlet_number(tokens, m.last, lang):
                    continue  # an outlet's name ("France 24", "France 3"), not the country
                if m.kind != "adjective" and not any(t.text[:1].isupper() or not t.text[:1].isalpha()
                                                     or "\u0600" <= t.text[:1] <= "\u06ff"
                                                     for t in tokens[m.first:m.last]):
                    continue  # names of places are written with a capital: "des grenades" is not Grenada
                if (m.key, m.first) in seen:
                    continue
                seen.add((m.key, m.first))
                weight = {"adjective": params["adjective_weight"], "capital": params["place_weight"],
                          "city": params["place_weight"]}.get(m.kind, 1.0)
                if (lang == "ar" and m.kind == "name" and m.last - m.first == 1 and m.first > 0
                        and tokens[m.first].norm.startswith("ال") and tokens[m.first - 1].norm.startswith("ال")):
                    # "الشكوى السعودية", "الحكومة السعودية": after a definite noun, السعودية is the adjective
                    # (Saudi), not the country.
                    weight = params["adjective_weight"]
                if m.kind == "adjective" and any(0 <= m.first - a.last <= 2 or 0 <= a.first - m.last <= 1
                                                 for a in groups_armed):
                    continue
                if m.kind == "adjective" and any(
                        0 <= o.first - m.last <= 2 or (lang == "ar" and 0 <= m.first - o.last <= 3) for o in outlets):
                    continue
                # A state actor's adjective counts as the name (above), unless the sentence names another country's
                # place: "Russian police in Melitopol", "Israeli soldiers in Ramallah" say who acted, not where.
                if m.kind == "adjective" and not places - {m.key} and any(
                        a.first - m.last in (0, 1) or m.first - a.last in (0, 1) for a in actors):
                    weight = 1.0
                if sentence.line == 0:
                    weight *= params["headline_weight"]
                if lx != lang:
                    weight *= 0.5
                # "Georgia" is a country and a US state: a word that names places in two countries counts, once
                # the rest of the text is read, for the one with more other evidence (the country when none).
                rivals = {a.key: a.kind for a in every if (a.first, a.last) == (m.first, m.last) and a.key != m.key}
                if rivals:
                    shared.append(({m.key: m.kind, **rivals}, weight, Evidence(sentence.start, sentence.end)))
                    continue
                scores[m.key] = scores.get(m.key, 0) + weight
                evidence.setdefault(m.key, Evidence(sentence.start, sentence.end))
    for kinds, weight, where in shared:
        key = max(sorted(kinds), key=lambda k: (scores.get(k, 0), kinds[k] == "name"))
        scores[key] = scores.get(key, 0) + weight
        evidence.setdefault(key, where)
    if not scores and len(dateline_evidence) == 1:
        (code, where), = dateline_evidence.items()
        return [{"code": code, "confidence": 0.5, "evidence": where}]
    if not scores:
        # Nothing in the text names a country: its leaders or unique institutions may ("President Bola Tinubu",
        # "the Knesset"), else the source's own domain ("bnkomi.ru", "lagaceta.com.ar").
        named = {}
        for sentence, tokens in zip(sentences, masked):
            for m in lexicons()["leaders"][lang].find(tokens):
                named.setdefault(m.key, Evidence(sentence.start, sentence.end))
        if len(named) == 1:
            (code, where), = named.items()
            return [{"code": code, "confidence": 0.45, "evidence": where}]
        code = source_country(source_url)
        return [{"code": code, "confidence": 0.4, "evidence": None, "from_source": True}] if code else []
    best = max(scores.values())
    chosen = [code for code, score in scores.items() if score >= params["country_ratio"] * best]
    total = sum(scores.values())
    return sorted(({"code": code, "confidence": round(min(0.99, scores[code] / total + 0.2), 2),
                    "evidence": evidence[code]} for code in chosen), key=lambda c: -c["confidence"])


# --- incidents ----------------------------------------------------------------------------------------------------
NUMBER = re.compile(r"^\d{1,6}$")
# Words for spans of time (folded: accents and hamzas aside): a number before one counts time, not victims.
TIME_UNITS = {fold(w) for w in (
    "hours days weeks months years heures jours semaines mois ans années horas días semanas meses años "
    "часов часа дней дня недель недели месяцев месяца лет года ساعة ساعات يوما أيام أسابيع أشهر شهرا سنوات سنة "
    "عاما أعوام").split()}


def _count_before(tokens, index, lang):
    """A count just before a victim word: digits, number words, 'a dozen', 'more than 400', 'по меньшей мере
    пять', 'ستة'."""
    numbers = lexicons()["numbers"][lang]
    for back in (1, 2, 3):
        j = index - back
        if j < 0:
            break
        tok = tokens[j]
        if any(form in TIME_UNITS for form in tok.variants):
            return None  # "suspend pour huit jours le journal": the number counts days, not outlets
        digits = tok.norm.replace(".", "").replace(",", "")
        if NUMBER.match(digits):
            value = int(digits)
            if 1900 <= value <= 2100:
                return None
            return value if value > 0 else None
        for form in tok.variants:
            if form in numbers:
                return numbers[form]
    return None


def _count_after(tokens, index, lang):
    """Arabic puts the number after the noun in some constructions (صحفيين اثنين); also '15 صحافياً'."""
    numbers = lexicons()["numbers"][lang]
    if index + 1 < len(tokens):
        for form in tokens[index + 1].variants:
            if form in numbers and lang == "ar":
                return numbers[form]
    return None


NAME_WORD = re.compile(r"^[A-ZА-ЯЁ][a-zа-яёáéíóúñçèêëïîôöüłśżź'’-]+$")


def _names_near(sentence, text):
    """Capitalised two- or three-word sequences in a sentence (people's names, to be checked and kept
    confidential by default)."""
    names, run = [], []
    for i, tok in enumerate(sentence.tokens):
        if NAME_WORD.match(tok.text) and i > 0:
            gap_ok = run and text[run[-1].end:tok.start].strip() == ""
            if run and not gap_ok:
                if 2 <= len(run) <= 3:
                    names.append(text[run[0].start:run[-1].end])
                run = []
            run.append(tok)
        else:
            if 2 <= len(run) <= 3:
                names.append(text[run[0].start:run[-1].end])
            run = []
    if 2 <= len(run) <= 3:
        names.append(text[run[0].start:run[-1].end])
    return names


def _clauses(sentence, lang):
    """Split a sentence's tokens at coordinating words so 'raided three outlets and arrested seven journalists'
    gives two clauses."""
    joiners = {"en": {"and", "while"}, "ru": {"и", "а"}, "fr": {"et"}, "es": {"y", "e"}, "ar": set()}[lang]
    clauses, current = [], []
    for tok in sentence.tokens:
        if tok.norm in joiners and current:
            clauses.append(current)
            current = []
            continue
        if lang == "ar" and tok.norm.startswith("و") and len(tok.norm) > 4 and current:
            clauses.append(current)
            current = []
        current.append(tok)
    if current:
        clauses.append(current)
    return clauses


def _joined_clauses(clauses, acts, victims):
    """A part without an act joins the next part, or the one before: "a journalist and a lawyer were detained",
    "detained a journalist and a lawyer" are one act on two victims. Each part is matched once."""
    joined, with_act = [], []
    for clause in clauses:
        has_act = bool(acts.find(clause))
        if joined and (not with_act[-1] or (not has_act and victims.find(clause))):
            joined[-1] = joined[-1] + clause
            with_act[-1] = with_act[-1] or has_act
        else:
            joined.append(clause)
            with_act.append(has_act)
    return joined


@dataclass
class Candidate:
    acts: list
    types: set
    victims: dict  # code -> count or None
    perpetrators: set
    date: object  # (date, precision) or None
    place: str
    evidence: Evidence
    names: list = field(default_factory=list)
    confidence: float = 0.5


def _masked(tokens, lang):
    masks = lexicons()["masks"][lang].find(tokens)
    hidden = set()
    for m in masks:
        hidden.update(range(m.first, m.last))
    return [t for i, t in enumerate(tokens) if i not in hidden]


# A name in quotation marks that starts with a capital: «Бумага», "Союз информированных граждан", “Stand News”.
QUOTED_NAME = re.compile(r"[«\"“„](?=[^\W\d_])(?=[A-ZА-ЯЁÀ-Ý])[^«»\"“”„\n]{1,60}[»\"”]")


# The name of a charge in quotation marks after the word for a charge: «призывы к массовым беспорядкам»,
# بتهمة "التهديد بالتشهير", charged with "spreading false news". Its words name what the person is accused of,
# not acts done to them (and a title's words after "titled" are what an article is about).
CHARGE_QUOTE = re.compile(
    r"(?:charged\s+with|charges?\s+of|accused\s+of|convicted\s+of|обвинени\w*\s+в|статье?\s+[^\n«\"“„]{0,30}?|"
    r"accus[ée]+s?\s+d[e']|inculp[ée]+s?\s+d[e']|chefs?\s+d[e']|acusad[oa]s?\s+de|cargos?\s+de|delitos?\s+de|"
    r"بتهم[ةه]?|تهم[ةه]?|بجريم[ةه]|"
    # ... and the title of an article, a book or a song: «L'assassinat crapuleux du Colonel...» is no killing.
    r"intitul[ée]+s?|titled|entitled|headlined|под\s+(?:названием|заголовком)|titulad[oa]s?|bajo\s+el\s+t[ií]tulo|"
    r"بعنوان)\s*[«\"“„]([^«»\"“”„\n]{1,200})[»\"”“]", re.IGNORECASE)


FIRSTLOOK_DIR = Path(__file__).resolve().parent / "firstlook"
WEAK_CODES_FILE = FIRSTLOOK_DIR / "weak_codes.json"


@functools.cache
def weak_codes():
    """{"violation_types": [...], "victims": [...]}: the codes `civicspace intake weak-codes --write` found right
    less often than its chosen threshold on texts the assistant had not seen (firstlook/README.md)."""
    if not WEAK_CODES_FILE.exists():
        return {}
    data = json.loads(WEAK_CODES_FILE.read_text(encoding="utf-8"))
    return {key: list(entry["codes"]) for key, entry in data.items()}


def suggest_incidents(text, lang, sentences, countries, reference, params, *, dateline=None):
    lex = lexicons()
    act_types = lex["act_types"]
    # The text's own date (a dateline) is when it was written, not when its events happened.
    dates = [d for d in find_dates(text, lang, reference=reference) if (d.start, d.end) != dateline]
    places = lex["countries"][lang]
    candidates = []
    previous_victims = {}
    charges = [(q.start(1), q.end(1)) for q in CHARGE_QUOTE.finditer(text)]
    masked = [[t for t in _masked(sentence.tokens, lang) if not any(s <= t.start and t.end <= e for s, e in charges)]
              for sentence in sentences]
    victim_matches = [lex["victims"][lang].find(tokens) for tokens in masked]
    # An act with no victim anywhere before it ("Stand News to shut down after police raid, arrests" as a
    # headline) takes the group the text speaks of most (media, protest), not "anyone else" (a defender).
    mentions = Counter(VICTIM_GROUPS.get(m.key, "other") for found in victim_matches for m in found)
    text_group = mentions.most_common(1)[0][0] if mentions else "other"
    for sentence, tokens, found_victims in zip(sentences, masked, victim_matches):
        if not tokens:
            continue
        sentence_victims = {}
        # "according to his lawyer", "Hasanli's lawyer, Zibeyda Sadygova, told CPJ": the lawyer is the source of
        # the report, not a victim (a lawyer who is detained is named as one without such a word beside it).
        cues = [(m.first, m.last) for m in lex["sources"][lang].find(tokens)]
        names = [(q.start(), q.end()) for q in QUOTED_NAME.finditer(text, sentence.start, sentence.end)]
        for m in found_victims:
            if any(start <= m.start and m.end <= end for start, end in names):
                continue  # a word of a quoted name: the outlet "Союз информированных граждан" is no citizen
            if m.key == "lawyer" and any(-4 <= m.first - last <= 2 or 0 <= first - m.last <= 3
                                         for first, last in cues):
                continue
            # "journalists of Diario de Cuba", "reporters with outlet Proekt": the outlet employs them (not "a
            # journalist and a newspaper").
            if m.key == "media_outlet" and any(
                    v.key in ("journalist", "blogger") and 0 <= m.first - v.last <= 4
                    and not any(t.norm in LIST_JOINERS[lang] for t in tokens[v.last:m.first])
                    for v in found_victims):
                continue
            count = _count_before(tokens, m.first, lang) or _count_after(tokens, m.last - 1, lang)
            prior = sentence_victims.get(m.key)
            sentence_victims[m.key] = max(filter(None, [prior, count]), default=None)
        # "Turkish authorities should investigate", "calls on Nigerian authorities to": whom a demand addresses
        # is not who acted.
        demands = lex["modals"][lang].find(tokens)
        perpetrators = {m.key for m in lex["perpetrators"][lang].find(tokens)
                        if not any(0 <= d.first - m.last <= 2 or 0 <= m.first - d.last <= 2 for d in demands)}
        sentence_dates = [d for d in dates if sentence.start <= d.start < sentence.end]
        rel = relative_date(tokens, lang, reference)
        place = ""
        for m in places.find(tokens):
            if m.kind in ("capital", "city"):
                place = text[m.start:m.end]
                break
        protest_context = any(m.key == "protest" for m in lex["contexts"][lang].find(tokens))
        modal_ends = [m.last for m in demands]
        # "MFWA condemns the assault, arrest and harassment of journalists": a reaction restates events the text
        # reports elsewhere; the acts after it in its sentence are not new events.
        # "The law provides for up to two years in prison", "Il prévoit de punir d'un an d'emprisonnement": what
        # a law provides describes the law; the acts after it in its sentence did not happen.
        reaction_at = min((m.first for name in ("reactions", "provisions") for m in lex[name][lang].find(tokens)),
                          default=None)
        clauses = _joined_clauses(_clauses(Sentence(sentence.start, sentence.end, tokens, sentence.line), lang),
                                  lex["acts"][lang], lex["victims"][lang])
        for clause in clauses:
            clause_index = {id(t): k for k, t in enumerate(tokens)}
            acts, unreal = [], set()
            for m in lex["acts"][lang].find(clause):
                position = clause_index[id(clause[m.first])]
                # "must release", "calls for the release", "ينبغي الإفراج": a demand, not an event.
                if any(0 <= position - end <= 4 for end in modal_ends):
                    unreal.add(m.key)
                    continue
                if reaction_at is not None and position >= reaction_at:
                    continue
                acts.append(m.key)
            # "could be sentenced to up to eight years in prison": the term belongs to the act that is not real.
            acts = [act for act in acts if act not in unreal]
            if not acts:
                continue
            if "acquit" in acts:  # "acquitted of her final tax evasion charge": the charge is what ended; "the
                # court ruled that they were acquitted": the ruling is the acquittal
                acts = [act for act in acts if act not in ("prosecute", "sentence")]
                if "detain" in acts:  # "interpellé puis tabassé avant d'être relaxé": let go, not acquitted
                    acts = ["release" if act == "acquit" else act for act in acts]
            victims = {}
            for m in lex["victims"][lang].find(clause):
                if m.key in sentence_victims:  # not one left out above (a quoted name, a lawyer who reports)
                    victims[m.key] = sentence_victims[m.key]
            if not victims:
                victims = dict(sentence_victims) or dict(previous_victims)
            if "hrd" in victims and "woman_hrd" in victims:
                victims.pop("hrd")
            if protest_context and "ordinary_citizen" in victims and "protester" not in victims:
                victims["protester"] = victims.pop("ordinary_citizen")
            # Activists detained at a protest are detained protesters ("militants interpellés lors d'une marche").
            if protest_context and set(acts) == {"detain"} and set(victims) == {"hrd"}:
                victims = {"protester": victims["hrd"]}
            people = {v for v in victims if v not in ORG_VICTIMS}
            orgs = {v for v in victims if v in ORG_VICTIMS}
            if people and orgs and set(acts) <= PERSON_ACTS:
                # Only people are detained or attacked: an outlet or NGO beside the act is not its victim.
                victims = {v: c for v, c in victims.items() if v in people}
            elif people and orgs and set(acts) <= ORG_ACTS:
                victims = {v: c for v, c in victims.items() if v in orgs}
            groups = {VICTIM_GROUPS.get(v, "other") for v in victims} or {text_group}
            if "other" in groups and not DEFENDERS & set(victims):
                # An opposition member, a resident, an academic: no defender, so not a defender's code. Held
                # beside journalists: the journalists' code alone; in a text about a protest: a protester's;
                # otherwise the act's own code only where it has one for anyone ("prosecute", "raid").
                groups.discard("other")
                if not groups and (protest_context or text_group == "protest"):
                    groups.add("protest")
            types = set()
            for act in acts:
                if (act, "*") in act_types:
                    types.update(act_types[(act, "*")])
                    continue
                for group in groups:
                    types.update(act_types.get((act, group), ()))
            if not types:
                continue
            clause_start = clause[0].start
            clause_dates = [d for d in sentence_dates if d.start >= clause_start - 60] or sentence_dates
            date = None
            if clause_dates:
                d = clause_dates[0]
                date = (d.value, d.precision)
            elif rel:
                date = (rel, "day")
            candidates.append(Candidate(acts, types, victims, perpetrators, date, place,
                                        Evidence(sentence.start, sentence.end), _names_near(sentence, text),
                                        confidence=0.7 if victims else 0.45))
        if sentence_victims:
            previous_victims = sentence_victims
    # One incident per distinct event: same codes, compatible dates.
    merged = []
    for cand in candidates:
        for inc in merged:
            same_types = inc.types == cand.types or (inc.types & cand.types and (
                set(inc.victims) & set(cand.victims) or not inc.victims or not cand.victims))
            compatible = inc.date is None or cand.date is None or inc.date[0] == cand.date[0] or (
                "month" in (inc.date[1], cand.date[1]) and inc.date[0].replace(day=1) == cand.date[0].replace(day=1))
            if same_types and compatible:
                inc.types |= cand.types
                for k, v in cand.victims.items():
                    inc.victims[k] = max(filter(None, [inc.victims.get(k), v]), default=None)
                inc.perpetrators |= cand.perpetrators
                if inc.date is None or (cand.date and inc.date[1] == "month" and cand.date[1] == "day"):
                    inc.date = cand.date
                inc.place = inc.place or cand.place
                inc.names += [n for n in cand.names if n not in inc.names]
                inc.confidence = min(0.95, inc.confidence + 0.1)
                break
        else:
            merged.append(cand)
    country = countries[0]["code"] if countries else None
    weak = weak_codes() if params.get("withhold_weak_codes", True) else {}
    incidents = []
    for inc in merged:
        # Codes the assistant was usually wrong about on texts it had not seen are offered, not pre-selected; an
        # incident keeps its only violation codes (it cannot be saved without one), and an organisation that is
        # dissolved, sealed, blocked or labelled stays its victim.
        weak_types = inc.types & set(weak.get("violation_types", ()))
        types = inc.types - weak_types or inc.types
        victims = {v: c for v, c in inc.victims.items()
                   if v not in weak.get("victims", ()) or (v in ORG_VICTIMS and ORG_ACTS & set(inc.acts))}
        also_possible = {"violation_types": sorted(inc.types - types),
                         "victims": sorted(set(inc.victims) - set(victims))}
        freedoms = {FREEDOM_BY_VICTIM[v] for v in victims if v in FREEDOM_BY_VICTIM}
        freedoms |= {FREEDOM_BY_TYPE[t] for t in types if t in FREEDOM_BY_TYPE}
        if not freedoms:
            freedoms = {"association"}
        incidents.append({
            "date": inc.date[0].isoformat() if inc.date else None,
            "date_precision": inc.date[1] if inc.date else None,
            "place": inc.place,
            "place_precision": "city" if inc.place else "country",
            "country_iso3": country,
            "violation_types": sorted(types),
            "freedoms": sorted(freedoms),
            "victims": [{"type": v, "count": c} for v, c in sorted(victims.items())],
            "also_possible": {key: codes for key, codes in also_possible.items() if codes},
            "perpetrators": sorted(inc.perpetrators),
            "names": inc.names,
            "confidence": round(inc.confidence, 2),
            "evidence": inc.evidence,
        })
    return incidents


# --- laws and Watchlist -------------------------------------------------------------------------------------------
DIRECTION_WORDS = {
    "restrictive": ["repress", "restrict", "foreign agent", "иностранн", "ограничи", "репресс", "liberticide",
                    "restrictiv", "attentatoire", "represiv", "mordaza", "تقييد", "قمع", "decri", "critiqu",
                    "криминализ", "криминализ", "censure", "censura"],
    "enabling": ["protect", "decriminali", "guarantee", "защит", "garanti", "protege", "حماية"],
}


def suggest_laws(text, lang, sentences, countries):
    lex = lexicons()
    laws = []
    country = countries[0]["code"] if countries else None
    for sentence in sentences:
        tokens = sentence.tokens
        nouns = lex["laws"][lang].find(tokens)
        if not nouns:
            continue
        stages = lex["stages"][lang].find(tokens)
        # Every stage the sentence reports ("approved by the committee on Monday and passed on Wednesday").
        named = list(dict.fromkeys(m.key for m in stages if m.key != "drafted"))
        if not named and not any(m.key == "drafted" for m in stages) and len(nouns) == 1 and \
                nouns[0].last - nouns[0].first == 1:
            continue  # a bare "law" without a stage or "draft" is usually a mention, not a bill
        noun = nouns[0]
        end = min(len(tokens), noun.last + 8)
        name = text[tokens[noun.first].start:tokens[end - 1].end]
        lowered = fold(text[sentence.start:sentence.end])
        direction = None
        for label, words in DIRECTION_WORDS.items():
            if any(w in lowered for w in words):
                direction = label
                break
        dates = find_dates(text[sentence.start:sentence.end], lang)
        for stage in named or [None]:
            laws.append({"country_iso3": country, "name": name.strip(), "stage": stage, "direction": direction,
                         "stage_date": dates[0].value.isoformat()[:7 if dates[0].precision == "month" else 10]
                         if dates and stage else None,
                         "confidence": 0.7 if stage else 0.4, "evidence": Evidence(sentence.start, sentence.end)})
    # One entry per (name start, stage): the same bill named twice with no new stage is one suggestion.
    unique, seen = [], set()
    for law in laws:
        key = (law["stage"], fold(law["name"])[:20])
        if key in seen or (law["stage"] is None and any(x["stage"] is None for x in unique)):
            continue
        seen.add(key)
        unique.append(law)
    return unique


def suggest_watchlist(text, lang, sentences):
    lex = lexicons()["watchlist"]
    found = []
    for sentence in sentences:
        matches = lex[lang].find(sentence.tokens) + (lex["en"].find(sentence.tokens) if lang != "en" else [])
        if any(m.key == "watchlist" for m in matches) or len({m.key for m in matches}) > 1:
            found.append({"text": text[sentence.start:sentence.end].strip(), "confidence": 0.6,
                          "evidence": Evidence(sentence.start, sentence.end)})
    return found[:3]


# --- everything ---------------------------------------------------------------------------------------------------
def suggest(text, *, source_date=None, source_url=None, language=None, params=None):
    """All suggestions for a text. `source_date` is a date known from outside the text (a site's metadata),
    `source_url` its address (its country-code domain names the country when the text names none); `language`
    forces the language. Returns plain data (Evidence objects for offsets; see as_dict)."""
    params = {**DEFAULTS, **(params or {})}
    lang, lang_conf = (language, 1.0) if language else detect_language(text)
    if lang not in LANGS:
        lang = "en"
    sentences = split_sentences(text)
    published = published_date(text, lang, source_date=source_date)
    reference = dt.date.fromisoformat(published["value"]) if published["value"] else None
    countries = suggest_countries(text, lang, sentences, params, source_url=source_url)
    incidents = suggest_incidents(text, lang, sentences, countries, reference, params,
                                  dateline=published.pop("span", None))
    return {
        "language": {"value": lang, "confidence": lang_conf},
        "countries": countries,
        "published_date": published,
        "incidents": incidents,
        "laws": suggest_laws(text, lang, sentences, countries),
        "watchlist": suggest_watchlist(text, lang, sentences),
    }


def as_plain(result, text):
    """The suggestions with evidence spelled out (JSON-ready)."""
    def conv(value):
        if isinstance(value, Evidence):
            return value.as_dict(text)
        if isinstance(value, dict):
            return {k: conv(v) for k, v in value.items()}
        if isinstance(value, list):
            return [conv(v) for v in value]
        return value
    return conv(result)
