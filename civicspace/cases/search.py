"""Search documents of a published case, one per site language, with what its public page shows: the title
(a public name or the description of the person), the description, the summary, the charges and the notes of the
verified events. Built from the public selectors only, so a confidential name is never indexed."""
from django.http import Http404
from django.utils import translation

from . import presentation, selectors


def case_documents(pk):
    from civicspace.search import text as search_text
    from civicspace.search.engine import LANGS
    from civicspace.search.models import Kind, SearchDocument

    try:
        case = selectors.case_public_get(pk)
    except Http404:
        return []
    documents = []
    for lang in LANGS:
        with translation.override(lang):
            title = presentation.title(case)
            parts = [presentation.description(case), case.summary,
                     *[f"{c.provision} {c.description}" for c in case.public_charges],
                     *[e.sentence_text for e in case.public_events], *[e.note for e in case.public_events]]
            url = case.get_absolute_url()
        documents.append(SearchDocument(
            kind=Kind.CASE, object_id=case.pk, language=lang, text_language=lang,
            title=search_text.clean(title), text=search_text.clean("\n\n".join(p for p in parts if p)), url=url,
            country_id=case.country_id, date=case.rule.since, date_precision=case.rule.since_precision or ""))
    return documents
