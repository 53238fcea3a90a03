"""The publication generation: which version of the public content cached pages belong to."""
import time

from django.db import connection, connections, router

from .models import PublicationGeneration

TABLE = PublicationGeneration._meta.db_table


def current_generation():
    """One indexed read; None when the row is missing (a flushed or half-built database: no caching).
    Read from the database the page itself reads (the replica for anonymous visitors in production, see
    core/dbrouting.py): the row changes in the same transaction as the content, so a page rendered from a
    replica that has not replayed a publication yet is never stored under the new generation."""
    with connections[router.db_for_read(PublicationGeneration)].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def fresh_value():
    """A starting value that no earlier generation of this database used (microseconds since 1970)."""
    return int(time.time() * 1_000_000)


def generation_bump():
    """Start a new generation. Runs inside the caller's transaction, so readers see the new generation
    exactly when they see the change (and a rollback undoes it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")
        if cursor.rowcount == 0:  # the row was flushed: start again from a value never used before
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (1, %s)", [fresh_value()])


def publication_changed(sender=None, **kwargs):
    """Signal receiver (post_save, post_delete, m2m_changed of public models; search index changes)."""
    if kwargs.get("raw"):  # fixtures loading
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: once, after the change
    generation_bump()
