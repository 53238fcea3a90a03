from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from civicspace.findings.report import ReportError, render_report
from civicspace.findings.views import complete_edition, edition_context
from civicspace.ratings.selectors import editions as ratings


class Command(BaseCommand):
    help = "Print the findings of a rating edition as a PDF (per language), with Debian's Chromium."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="edition slug, e.g. 2025-12")
        parser.add_argument("--lang", action="append", choices=[c for c, _ in settings.LANGUAGES],
                            help="language (repeat for several; default: all five)")
        parser.add_argument("--out", help="output file (one language only); default var/reports/")

    def handle(self, *args, edition, lang, out, **options):
        langs = lang or [c for c, _ in settings.LANGUAGES]
        if out and len(langs) > 1:
            raise CommandError("--out: give one --lang with --out")
        editions = ratings.edition_list()
        try:
            chosen = complete_edition(edition, editions)
        except Http404:
            raise CommandError(f"--edition: no complete rating edition '{edition}' "
                               f"(have: {', '.join(e.slug for e in editions if e.is_complete)})") from None
        for index, code in enumerate(langs, start=1):
            self.stdout.write(f"[{index}/{len(langs)}] {chosen.slug} {code} ...")
            with translation.override(code):
                context = edition_context(chosen, editions)
                try:
                    path = render_report(edition=chosen, lang=code, context=context, out=out)
                except ReportError as exc:
                    raise CommandError(str(exc)) from exc
            self.stdout.write(f"      {path}")
