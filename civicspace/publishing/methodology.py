"""The public methodology page (generated from the active methodology version) and the rating changes of
one edition with the panel's rationales."""
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from civicspace.methodology import config as methodology_config
from civicspace.methodology.bands import BANDS
from civicspace.ratings.selectors import editions as ratings
from civicspace.ratings.labels import INDICATOR_NAMES, STREAM_NAMES
from civicspace.ratings.selectors.public import edition_changes_explained, methodology_transition


def _in(texts, lang):
    return texts.get(lang) or texts.get("en", "")


@require_safe
def methodology_page(request):
    lang = get_language() or "en"
    m = methodology_config.load()
    total = sum(s.weight for s in m.streams.values())
    return render(request, "publishing/methodology.html", {
        "m": m,
        "transition": methodology_transition(m),
        "bands": BANDS,
        "indicators": [(code, INDICATOR_NAMES.get(code, code)) for code in m.indicators],
        "streams": [(s, STREAM_NAMES.get(s.code, s.code), s.weight / total) for s in m.streams.values()],
        "indices": [(rule, [INDICATOR_NAMES.get(i, i) for i in rule.indicators]) for rule in m.indices.values()],
        "questions": [(q, INDICATOR_NAMES.get(q.indicator, q.indicator), _in(q.text, lang)) for q in m.questions],
        "answers": [(value, _in(texts, lang)) for value, texts in sorted(m.answers.items())],
        "changelog": [(entry, _in(entry["changes"], lang)) for entry in reversed(m.changelog)],
        "majority_percent": round(m.decisions.majority * 100),
        "interval_percent": round(m.uncertainty.interval * 100),
        "sensitivity_percent": round(m.sensitivity_weight_change * 100),
    })


@require_safe
def edition_changes(request, slug):
    editions = ratings.edition_list()
    edition = next((e for e in editions if e.slug == slug), None)
    if edition is None:
        raise Http404("No such edition")
    # Changes are counted against the previous complete edition, as on the home page and in the findings.
    previous = ratings.edition_previous_complete(editions, edition)
    changes, unchanged, errata = edition_changes_explained(edition, previous)
    return render(request, "publishing/edition_changes.html", {
        "edition": edition, "previous": previous, "changes": changes, "unchanged": unchanged,
        "errata": errata, "editions": editions,
    })
