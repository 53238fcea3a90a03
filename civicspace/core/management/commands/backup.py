from django.core.management.base import BaseCommand, CommandError

from civicspace.core.backups import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the whole database into FILE (a new file): an SQLite database file in embedded mode, a pg_dump "
            "custom-format file on PostgreSQL. Consistent while the site runs. Restore with `civicspace restore FILE`.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            kind = backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup of the {kind} database written to {file}. It contains everything, confidential "
                          f"sources included: keep it encrypted and off the server.")
