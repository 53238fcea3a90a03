"""`civicspace job NAME`: queue a background job (production: the task worker runs it; embedded mode: it runs
now, in this process). For cron, systemd timers and operators:

    civicspace job report-pdf --edition 2025-12 --lang en
    civicspace job data-release
    civicspace job scores-recompute        # e.g. after importing new index values
"""
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from civicspace.jobs import tasks
from civicspace.jobs.services import job_enqueue

JOBS = {"report-pdf": tasks.report_pdf, "data-release": tasks.data_release, "scores-recompute": tasks.scores_recompute}


class Command(BaseCommand):
    help = "Queue a background job: report-pdf (--edition, --lang), data-release or scores-recompute."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(JOBS))
        parser.add_argument("--edition", help="report-pdf: the edition slug, e.g. 2025-12")
        parser.add_argument("--lang", default="en", choices=[code for code, _ in settings.LANGUAGES])

    def handle(self, *args, name, edition, lang, **options):
        from django.core.management.base import CommandError

        kwargs = {}
        if name == "report-pdf":
            if not edition:
                raise CommandError("--edition: report-pdf needs the edition, e.g. --edition 2025-12")
            kwargs = {"edition": edition, "lang": lang}
        with transaction.atomic():
            job_enqueue(JOBS[name], **kwargs)
        self.stdout.write(f"Queued {name} {kwargs or ''}".rstrip())
