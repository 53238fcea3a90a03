import unicodedata


def sort_key(text):
    """A language-neutral sort key: accents ignored, case folded ("Égypte" sorts with "E")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
