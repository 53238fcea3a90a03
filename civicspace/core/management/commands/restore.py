from django.core.management.base import BaseCommand, CommandError

from civicspace.core.backups import BackupError, restore


class Command(BaseCommand):
    help = ("Replace the whole database with a backup made by `civicspace backup`. All or nothing: a backup that "
            "is damaged or of the other kind of database is refused and nothing changes.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, file, interactive=True, **options):
        if interactive:
            answer = input(f"This replaces everything in the database with {file}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            kind = restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Cached pages and figures describe the database before the restore.
        from django.core.cache import cache

        cache.clear()
        self.stdout.write(f"The {kind} database now holds the backup {file} (search index included).")
