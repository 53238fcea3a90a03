"""Read-only look-ups for the intake review: suggested laws matched to the bills the monitor already tracks."""
from django.conf import settings

from civicspace.legislation.models import Bill

from .lexicon import fold, tokenize

STOP = {"law", "bill", "draft", "on", "the", "of", "and", "закон", "законопроект", "о", "об", "loi", "projet",
        "de", "la", "le", "sur", "relative", "ley", "proyecto", "del", "el", "قانون", "مشروع"}


def _words(text):
    return {t.variants[-1] for t in tokenize(text or "") if len(t.norm) > 2 and t.norm not in STOP}


def laws_with_bills(laws):
    """Each suggested law with the tracked bill of its country that shares the most title words (at least two),
    or None: the partner then proposes a new bill from the laws workspace."""
    codes = {law["country_iso3"] for law in laws if law.get("country_iso3")}
    bills = list(Bill.objects.filter(country__code__in=codes).select_related("country")) if codes else []
    out = []
    for law in laws:
        words = _words(law["name"]) | _words(law["evidence"]["sentence"])
        best, best_overlap = None, 1
        for bill in bills:
            if bill.country.code != law["country_iso3"]:
                continue
            titles = " ".join(getattr(bill, f"{field}_{lang}") or "" for field in ("short_title", "official_title")
                              for lang, _ in settings.LANGUAGES)
            overlap = len(words & _words(titles))
            if overlap > best_overlap:
                best, best_overlap = bill, overlap
        out.append({**law, "bill": best})
    return out
