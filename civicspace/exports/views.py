"""The public data page: every release with its changelog summary and downloads, and the release files."""
import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import services

CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json",
                 ".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
                 ".zip": "application/zip"}


@require_safe
def data_index(request):
    releases = services.list_releases()
    return render(request, "exports/data_index.html", {
        "releases": releases, "latest": releases[0] if releases else None,
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
