import unicodedata


def sort_key(text):
    """A language-neutral sort key: accents ignored, case folded ("Égypte" sorts with "E")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def public_text(obj, field, *, original, statuses, lang, fallbacks=()):
    """(text, language) of a translated field as the public should see it: the reader's language when it is
    the original or its translation is reviewed, otherwise the original (then `fallbacks`, in order)."""
    text = getattr(obj, f"{field}_{lang}", "")
    if text and (lang == original or statuses.get(lang) == "reviewed"):
        return text, lang
    for candidate in (original, *fallbacks):
        text = getattr(obj, f"{field}_{candidate}", "")
        if text:
            return text, candidate
    return "", original
