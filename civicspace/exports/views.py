"""The public data page: every release with its changelog summary and downloads, and the release files."""
import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from civicspace.ratings.selectors import editions as ratings

from . import services

CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json",
                 ".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
                 ".zip": "application/zip"}


def _temporal_coverage():
    """The months the ratings cover, as an ISO 8601 interval (e.g. 2020-12/2025-12) for the Dataset markup."""
    editions = ratings.edition_list()
    if not editions:
        return ""
    dates = sorted(e.published for e in editions)
    return f"{dates[0]:%Y-%m}/{dates[-1]:%Y-%m}"


@require_safe
def data_index(request):
    releases = services.list_releases()
    return render(request, "exports/data_index.html", {
        "releases": releases, "latest": releases[0] if releases else None,
        "temporal": _temporal_coverage() if releases else "",
    })


@require_safe
def release_detail(request, version):
    """One release: what it holds (every table and file), what changed, how to cite it."""
    release = next((r for r in services.list_releases() if r["version"] == version), None)
    if release is None:
        raise Http404("No such release")
    return render(request, "exports/release_detail.html", {
        "release": release, "resources": release["package"].get("resources", []),
        "temporal": _temporal_coverage(),
    })


@require_safe
def release_file(request, version, filename):
    path = services.release_file(version, filename)
    if path is None:
        raise Http404("No such file")
    content_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(open(path, "rb"), content_type=content_type, as_attachment=path.suffix == ".zip",
                            filename=path.name)
    # Release files are documents, never active content of the site.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
