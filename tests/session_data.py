"""A snapshot of a whole test database, taken once and restored after each transactional test (see the
docstring of tests/conftest.py for how the suite uses it).

SQLite: the snapshot is an in-memory copy made with SQLite's online backup API and written back the same
way (page by page, through the connection, so the live server's own connections see the restored data):
about 0.05 s for the session data (5 MB).

PostgreSQL: every table's rows in COPY's binary format plus every sequence's position. TRUNCATE of all 67
tables alone took 3.6 s here (new files for every table and index), so only the tables a test changed are
restored: a statement-level trigger on each table notes its name in the unlogged table `_snapshot_dirty`
(a plain insert: no unique key, so two racing connections never wait for each other there; a rolled-back
change leaves no note, as it leaves no data). A restore is one transaction: DELETE the noted tables, COPY
their rows back (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit, when every row
is back), set every sequence back, clear the notes.
"""
import sqlite3

# Django's record of applied migrations is not data: flush keeps it, and so does a restore.
KEEP = {"django_migrations"}
# The unlogged table (and trigger, and function) that note which tables a test changed, on PostgreSQL.
DIRTY = "_snapshot_dirty"


class Snapshot:
    """The rows of every table of one database (a Django database alias)."""

    def __init__(self, alias="default"):
        self.alias = alias
        self.vendor = self.connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"no snapshot for {self.vendor} databases")

    @property
    def connection(self):
        # Looked up at each use, never kept: Django's connections are per thread and per async context (the
        # browser suite's Playwright runs an event loop in the test's thread), and a restore must use the
        # connection the test case itself uses, in one transaction.
        from django.db import connections

        return connections[self.alias]

    # --- taking ------------------------------------------------------------------------------------------
    def take(self):
        self.connection.ensure_connection()
        if self.vendor == "sqlite":
            self._copy = sqlite3.connect(":memory:", check_same_thread=False)
            self.connection.connection.backup(self._copy)
        else:
            self._take_postgresql()
        return self

    def _take_postgresql(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname")
            self._tables = [name for (name,) in cursor.fetchall() if name not in KEEP and name != DIRTY]
            self._rows = {}
            for table in self._tables:
                with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                    self._rows[table] = b"".join(bytes(chunk) for chunk in copy)
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
            self._sequences = cursor.fetchall()
            cursor.execute(f'CREATE UNLOGGED TABLE IF NOT EXISTS "{DIRTY}" (name text NOT NULL)')
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {DIRTY}_note() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f'BEGIN INSERT INTO "{DIRTY}" (name) VALUES (TG_TABLE_NAME); RETURN NULL; END $$')
            for table in self._tables:
                cursor.execute(f'DROP TRIGGER IF EXISTS {DIRTY} ON "{table}"')
                cursor.execute(f'CREATE TRIGGER {DIRTY} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                               f"FOR EACH STATEMENT EXECUTE FUNCTION {DIRTY}_note()")

    # --- restoring ---------------------------------------------------------------------------------------
    def restore(self):
        self.connection.ensure_connection()
        if self.vendor == "sqlite":
            self._copy.backup(self.connection.connection)
        else:
            self._restore_postgresql()

    def _restore_postgresql(self):
        from django.db import transaction

        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            cursor.execute(f'SELECT DISTINCT name FROM "{DIRTY}"')
            changed = sorted(name for (name,) in cursor.fetchall() if name in self._rows)
            for table in changed:
                cursor.execute(f'DELETE FROM "{table}"')
            for table in changed:
                if self._rows[table]:
                    with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(self._rows[table])
            if changed and self._sequences:
                cursor.execute("SELECT " + ", ".join(["setval(%s::regclass, %s, %s)"] * len(self._sequences)),
                               [value for name, last_value in self._sequences
                                for value in (f'"{name}"', last_value or 1, last_value is not None)])
            cursor.execute(f'DELETE FROM "{DIRTY}"')
