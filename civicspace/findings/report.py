"""The printable findings report: the findings page's print layout turned into a PDF by Debian's Chromium
(the same browser the test suite uses), written atomically under var/reports/."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"]


class ReportError(RuntimeError):
    pass


def report_path(slug, lang):
    return settings.VAR_DIR / "reports" / f"findings-{slug}-{lang}.pdf"


def chromium():
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise ReportError("Debian's chromium is needed to print the report (apt-get install chromium)")


def render_report(*, edition, lang, context, out=None):
    """Write the PDF for one edition and language; returns its path. Nothing is left behind on failure."""
    out = Path(out) if out else report_path(edition.slug, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    with translation.override(lang), tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        html.write_text(render_to_string("findings/print.html", context), encoding="utf-8")
        pdf = Path(tmp) / "report.pdf"
        result = subprocess.run(
            [chromium(), *CHROMIUM_ARGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={pdf}", html.as_uri()],
            capture_output=True, text=True, timeout=120)
        if result.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            raise ReportError(f"chromium could not print the report: {result.stderr[-500:]}")
        partial = out.with_suffix(".pdf.part")
        shutil.copyfile(pdf, partial)
        partial.replace(out)
    return out
