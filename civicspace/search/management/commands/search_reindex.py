"""civicspace search_reindex [--dirty]: rebuild the search index (all of it, or only the records marked dirty)."""
from django.core.management.base import BaseCommand

from civicspace.search import services


class Command(BaseCommand):
    help = "Rebuild the full-text search index: every public record, or with --dirty only those marked dirty."

    def add_arguments(self, parser):
        parser.add_argument("--dirty", action="store_true",
                            help="only the records marked dirty since the last run (the periodic job)")

    def handle(self, *args, dirty=False, **options):
        if dirty:
            count = services.index_rebuild_dirty()
            self.stdout.write(f"search: re-indexed {count} dirty record(s)")
            return
        step = {"last": -1}

        def progress(done, total, label):
            percent = done * 100 // total
            if percent != step["last"] and (percent % 5 == 0 or done == total):
                step["last"] = percent
                self.stdout.write(f"search: {done}/{total} records ({percent}%) {label}")

        documents = services.index_rebuild_all(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"search: index rebuilt, {documents} document(s)"))
