"""Backing up and restoring the whole database, as one file, for the two databases the product runs on.

SQLite (embedded mode): SQLite's online backup API copies a consistent snapshot while the site keeps serving,
into a plain SQLite file (open it with any SQLite tool). Restoring copies that file back through the same API,
which takes the write lock and replaces the live database's pages in one step: readers see the old database or
the restored one, never a mixture.

PostgreSQL (production): pg_dump's custom format (consistent snapshot, compressed, exact types and sequences);
restoring runs pg_restore --clean in a single transaction, so a failed restore leaves the database as it was.
pg_dump and pg_restore come from Debian's postgresql-client package, of the server's major version or newer.
We do not fall back to Django's dumpdata/loaddata: it does not carry sequences, reads the tables one by one
(not one snapshot while the site writes) and holds everything in memory, which is not a backup to trust.

Both directions write to a temporary file first and move it into place only when complete, and check what
they read: a restore refuses a file that is not a backup of the same kind of database.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _engine(alias):
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def _sqlite_path(alias):
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(name)


def _check_sqlite_file(path):
    """A readable SQLite database that passes its integrity check and has Django's migration table."""
    with open(path, "rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database backup")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{path} is damaged: {result}")
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
            raise BackupError(f"{path} is not a backup of this application (no django_migrations table)")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is damaged: {exc}") from exc
    finally:
        conn.close()


def _pg_env(alias):
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                      ("PGDATABASE", "NAME")):
        if settings.get(name):
            env[key] = str(settings[name])
    return env


def _tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed; on Debian: apt-get install postgresql-client")
    return path


def backup(destination, *, alias="default"):
    """Write the whole database to `destination` (a new file). Returns the kind of database."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    kind = _engine(alias)
    try:
        if kind == "sqlite":
            source = sqlite3.connect(_sqlite_path(alias))
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
            _check_sqlite_file(partial)
        else:
            result = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                     f"--file={partial}"], env=_pg_env(alias), capture_output=True, text=True)
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        os.chmod(partial, 0o600)  # the backup holds everything, confidential sources included
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
    return kind


def restore(source, *, alias="default"):
    """Replace the whole database with the backup in `source`. Returns the kind of database."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    kind = _engine(alias)
    with open(source, "rb") as fh:
        head = fh.read(16)
    if kind == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not an SQLite backup (this database is SQLite)")
        _check_sqlite_file(source)
        connections[alias].close()
        backup_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(alias), timeout=30)
        try:
            backup_conn.backup(live)
        finally:
            live.close()
            backup_conn.close()
    else:
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{source} is not a pg_dump backup (this database is PostgreSQL)")
        connections[alias].close()
        result = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                                 "--single-transaction", "--exit-on-error", f"--dbname={_pg_env(alias)['PGDATABASE']}",
                                 str(source)], env=_pg_env(alias), capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed, nothing was changed: {result.stderr.strip()}")
    return kind
