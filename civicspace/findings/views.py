"""Public findings pages. Thin: pick the edition, call the selectors, render."""
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from civicspace.publishing.worldmap import world_map
from civicspace.ratings.selectors import editions as ratings
from civicspace.ratings.labels import RATING_NAMES
from civicspace.ratings.models import PublishedRating

from . import charts, selectors
from .report import report_path


def _complete_editions():
    return [e for e in ratings.edition_list() if e.is_complete]


@require_safe
def findings_latest(request):
    editions = _complete_editions()
    if not editions:
        raise Http404
    wanted = request.GET.get("edition")
    chosen = next((e for e in editions if e.slug == wanted), editions[0])
    return redirect("findings:edition", chosen.slug)


def complete_edition(slug, editions):
    edition = next((e for e in editions if e.slug == slug and e.is_complete), None)
    if edition is None:
        raise Http404
    return edition


def edition_context(edition, editions):
    """Everything the findings page and the printed report show for one edition."""
    findings = selectors.edition_findings(edition, editions)
    complete = [e for e in editions if e.is_complete]
    history = ratings.counts_by_edition(list(reversed(complete)))
    changed = {c.country.code: ("up" if c.direction > 0 else "down") for c in findings.changes}
    rows = list(PublishedRating.objects.filter(edition=edition).select_related("country"))
    change_map = world_map(rows)
    for layer in ("shapes", "markers"):
        for item in change_map[layer]:
            item["change"] = changed.get(item["code"], "same")
    return {
        "f": findings, "editions": complete,
        "history_chart": charts.stacked_rows([(e.title, counts) for e, counts in history]),
        "population_chart": charts.stacked_rows([("", {r["code"]: r["people"] for r in findings.world.rows})],
                                                label_width=0),
        "region_chart": charts.stacked_rows([(r["region"].name, r["breakdown"].counts) for r in findings.regions],
                                            label_width=230),
        "violations_chart": charts.horizontal_bars([(charts.short(t["term"].label), t["count"])
                                                    for t in findings.top_violations], label_width=300),
        "change_map": change_map,
        "rating_names": RATING_NAMES,
    }


@require_safe
def findings_edition(request, slug):
    editions = ratings.edition_list()
    edition = complete_edition(slug, editions)
    context = edition_context(edition, editions)
    context["report_available"] = report_path(edition.slug, get_language()).exists()
    return render(request, "findings/edition.html", context)


@require_safe
def findings_compare(request):
    editions = _complete_editions()
    by_slug = {e.slug: e for e in editions}
    before = by_slug.get(request.GET.get("from")) or (editions[-1] if editions else None)
    after = by_slug.get(request.GET.get("to")) or (editions[0] if editions else None)
    if before is None or after is None:
        raise Http404
    return render(request, "findings/compare.html", {"c": selectors.compare(before, after), "editions": editions})


@require_safe
def findings_report(request, slug):
    path = report_path(slug, get_language())
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type="application/pdf", filename=path.name)
