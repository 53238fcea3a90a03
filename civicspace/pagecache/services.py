"""The publication generation: which version of the public content cached pages belong to.

The database row (models.PublicationGeneration) is the source of truth: every change to public content bumps it
in its own transaction (apps.py), so a rollback undoes the bump. A cached page is looked up with the generation
from the *generation store* instead, so that a cache hit costs no database round trip:

- "cache" (production: Redis, shared by every worker and app server; the test settings: the in-process cache of
  the one test process): one key in the page cache's own backend;
- "file" (embedded mode: the cache is in-process, but gunicorn runs several workers): one small file per
  database under PAGE_CACHE_GENERATION_DIR, read on every hit (a few microseconds, no database);
- "database": no store, the row is read on every hit (the behaviour before issue 17).

Never a stale page after a publication, in any worker:
1. The bump registers `publish_generation` to run when its transaction commits (once per transaction). That
   copies the committed value into the store while holding the row's lock (SELECT ... FOR UPDATE on PostgreSQL;
   SQLite has one writer at a time): publishers are serialised with each other and with bumps, so the store is
   only ever written a newer value, never an older one out of order.
2. A cold store (first request, Redis restarted, file removed) is filled from the primary with an *add* (only
   if still empty): a filler that read an old value loses against the publication that wrote the new one.
3. A page is stored under generation g only if the database it was rendered from had reached g
   (`store_allowed`): a read replica that has not replayed a publication yet cannot put an old page under the
   new generation. Without a replica that check is free (it is the same database).
4. A bump takes max(value + 1, microseconds since 1970): a value is never used twice, even after a rollback or a
   flushed row, so an entry stored under a generation that was rolled back is never served later.
So once a publication's transaction has committed and its on-commit callbacks have run (before its request
answers), every worker looks pages up under the new generation.
Inside a transaction that bumped the generation and has not committed yet (a request's atomic block, the test
suite's per-test transaction), this connection reads the row itself: it sees its own change at once.
"""
import hashlib
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from .models import PublicationGeneration

logger = logging.getLogger(__name__)

TABLE = PublicationGeneration._meta.db_table
CACHE_KEY = "pagecache:generation"
STORES = ("cache", "file", "database")


def _read(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _primary():
    return router.db_for_write(PublicationGeneration)


def current_generation():
    """The row itself: one indexed read; None when the row is missing (a flushed or half-built database: no
    caching). Read from the database the page itself reads (the replica for anonymous visitors in production,
    see core/dbrouting.py)."""
    return _read(router.db_for_read(PublicationGeneration))


def fresh_value():
    """A value that no earlier generation of this database used (microseconds since 1970)."""
    return int(time.time() * 1_000_000)


# Stores ---------------------------------------------------------------------------------------------------------

def store_kind():
    kind = settings.PAGE_CACHE_GENERATION_STORE
    if kind not in STORES:
        raise ValueError(f"PAGE_CACHE_GENERATION_STORE must be one of {', '.join(STORES)}, not {kind!r}")
    return kind


_IDENTITIES = {}


def _database_identity(alias):
    params = connections[alias].settings_dict
    text = "|".join(str(params.get(k) or "") for k in ("ENGINE", "NAME", "HOST", "PORT"))
    identity = _IDENTITIES.get(text)
    if identity is None:  # remembered: it is computed on every cached hit
        identity = _IDENTITIES[text] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return identity


class CacheStore:
    """One key in the page cache's backend (Redis in production). It never expires: pages expire on their own
    (PAGE_CACHE_SECONDS), which bounds what a failed write to an unreachable Redis could leave behind."""

    def __init__(self, cache, alias):
        self.cache, self.key = cache, f"{CACHE_KEY}:{_database_identity(alias)}"

    def get(self):
        return self.cache.get(self.key)

    def add(self, value):
        self.cache.add(self.key, value, None)

    def put(self, value):
        if value is None:
            self.cache.delete(self.key)
        else:
            self.cache.set(self.key, value, None)


class FileStore:
    """One file per database: written whole and renamed into place, read whole (no torn values)."""

    def __init__(self, directory, alias):
        self.directory = Path(directory)
        self.path = self.directory / f"generation-{_database_identity(alias)}"

    def get(self):
        # os.open/os.read: a third of the time of open() with its buffered file object, on every cached hit.
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            text = os.read(fd, 64)
        finally:
            os.close(fd)
        return int(text) if text.strip().isdigit() else None

    def _temporary(self, value):
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{self.path.name}.{os.getpid()}.{time.monotonic_ns()}"
        temporary.write_bytes(str(value).encode())
        return temporary

    def add(self, value):
        temporary = self._temporary(value)
        try:
            os.link(temporary, self.path)  # fails when the file exists: only an empty store is filled
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)

    def put(self, value):
        if value is None:
            self.path.unlink(missing_ok=True)
        else:
            os.replace(self._temporary(value), self.path)


_FILE_STORES = {}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def generation_store(alias=None):
    """The store for the primary database; None for "database"."""
    alias = alias or _primary()
    kind = store_kind()
    if kind == "cache":
        return CacheStore(page_cache(), alias)
    if kind == "file":
        directory = str(settings.PAGE_CACHE_GENERATION_DIR)
        key = (directory, _database_identity(alias))
        store = _FILE_STORES.get(key)
        if store is None:  # one object per directory and database (it holds nothing but its path)
            store = _FILE_STORES[key] = FileStore(directory, alias)
        return store
    return None


# Bump and publish -----------------------------------------------------------------------------------------------

def publish_generation(using=None):
    """Copy the committed generation into the store, under the row's lock (see the module docstring)."""
    using = using or _primary()
    store = generation_store(using)
    if store is None:
        return
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.features.has_select_for_update:
                cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1 FOR UPDATE")
            else:  # SQLite: a write takes the database's only write lock
                cursor.execute(f"UPDATE {TABLE} SET value = value WHERE id = 1")
                cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
            row = cursor.fetchone()
        try:
            store.put(row[0] if row else None)
        except Exception:  # Redis or the file system failing after the publication committed
            # An empty store is refilled from the database by the next reader: better than the old generation.
            logger.exception("page cache: could not store generation %s; emptying the store", row)
            try:
                store.put(None)
            except Exception:
                logger.exception("page cache: could not empty the generation store either (pages may be stale "
                                 "for PAGE_CACHE_SECONDS)")


def _publish_pending(connection):
    """True when this connection's open transaction bumped the generation (its publication is pending)."""
    if not connection.in_atomic_block:
        return False
    return any(func is _publish_default for _sids, func, _robust in connection.run_on_commit)


def _publish_default():
    publish_generation(DEFAULT_DB_ALIAS)


def generation_bump():
    """Start a new generation. Runs inside the caller's transaction, so readers of the database see the new
    generation exactly when they see the change (and a rollback undoes it); the store follows on commit."""
    connection = connections[DEFAULT_DB_ALIAS]
    now = fresh_value()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = CASE WHEN value + 1 > %s THEN value + 1 ELSE %s END "
                       f"WHERE id = 1", [now, now])
        if cursor.rowcount == 0:  # the row was flushed: start again from a value never used before
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (1, %s)", [now])
    # Once per transaction: a callback already registered in this savepoint or an enclosing one will run.
    current = set(connection.savepoint_ids)
    if not any(func is _publish_default and set(sids) <= current for sids, func, _robust in
               connection.run_on_commit):
        # robust: the publication has committed; a failing store must not turn its request into a 500 nor skip
        # the other commit hooks (the search index's).
        transaction.on_commit(_publish_default, using=DEFAULT_DB_ALIAS, robust=True)


def served_generation():
    """The generation cached pages are looked up under: from the store (no database round trip), filled from the
    primary when the store is empty; None means no caching (the row is missing)."""
    store = generation_store(DEFAULT_DB_ALIAS)
    if store is None or _publish_pending(connections[DEFAULT_DB_ALIAS]):
        return _read(DEFAULT_DB_ALIAS) if store is not None else current_generation()
    value = store.get()
    if value is None:
        value = _read(DEFAULT_DB_ALIAS)
        if value is None:
            return None
        store.add(value)
        value = store.get() or value
    return value


def store_allowed(generation):
    """May a page rendered now be stored under `generation`? Only when the database the page was read from has
    reached that generation: free without a read replica (the page was read from the primary after the value
    was committed), one indexed read of the replica otherwise."""
    alias = router.db_for_read(PublicationGeneration)
    if alias == DEFAULT_DB_ALIAS:
        return True
    seen = _read(alias)
    return seen is not None and seen >= generation


def publication_changed(sender=None, **kwargs):
    """Signal receiver (post_save, post_delete, m2m_changed of public models; search index changes)."""
    if kwargs.get("raw"):  # fixtures loading
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: once, after the change
    generation_bump()
