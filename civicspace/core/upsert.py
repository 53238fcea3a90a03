"""Writes for loaders and importers: idempotent upserts for reference data (a second load of the same data
changes and reports nothing), and bulk inserts of validated rows (COPY on PostgreSQL, executemany on SQLite)."""
import contextlib
import gc
import itertools
from dataclasses import dataclass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def upsert(model, lookup, values, report):
    """Create or update one row, saving only the fields whose value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        report.created += 1
        return
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1


# --- bulk writes ----------------------------------------------------------------------------------------------
# For importers that have already validated every row (core/csvfiles: all errors collected first, then all rows
# or nothing): the rows go to the database in bulk, inside the caller's transaction, without building a model
# instance per row. No save(), no signal, no history row: the caller applies what save() would (cleaning,
# coarsening) before, and records its one audit event.

def _adapter(field, connection):
    """The function turning a Python value of `field` into what the database driver takes (connection.ops)."""
    ops = connection.ops
    kind = field.get_internal_type()
    if connection.vendor == "postgresql" and kind in ("DateField", "DateTimeField"):
        return None  # the backend passes them unchanged; COPY's write_row dumps dates and datetimes itself
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if kind == "JSONField":
        return lambda value: ops.adapt_json_value(value, field.encoder)
    return None


def bulk_insert(model, columns, rows, *, batch_size=5_000, using=None):
    """Insert `rows` (an iterable of tuples, one value per name in `columns`: model field names or attnames,
    e.g. "update_id") into `model`'s table inside the caller's transaction: COPY FROM STDIN on PostgreSQL,
    executemany in batches on SQLite. Values are adapted with connection.ops (dates, datetimes, JSON,
    decimals). Explicit ids are written as given; call reset_sequences() afterwards on PostgreSQL. Returns the
    number of rows written."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[using or DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_insert() runs inside the caller's transaction (transaction.atomic())")
    fields = [model._meta.get_field(name) for name in columns]
    adapters = [(i, a) for i, a in enumerate(_adapter(f, connection) for f in fields) if a is not None]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)

    def adapted(batch):
        if not adapters:
            return batch
        out = []
        for row in batch:
            row = list(row)
            for i, adapt in adapters:
                if row[i] is not None:
                    row[i] = adapt(row[i])
            out.append(row)
        return out

    rows = iter(rows)
    batches = iter(lambda: list(itertools.islice(rows, batch_size)), [])  # lists of rows until none is left
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write = copy.write_row
                for batch in ([rows] if not adapters else batches):  # nothing to adapt: rows straight to COPY
                    for values in adapted(batch):
                        write(values)
                        written += 1
            return written
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        for batch in batches:
            cursor.executemany(sql, adapted(batch))
            written += len(batch)
    return written


def _sequence(cursor, connection, model):
    table = model._meta.db_table
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), model._meta.pk.column])
    return cursor.fetchone()[0]


def next_ids(model, count, *, using=None):
    """`count` new primary keys for `model` that no other writer will take (PostgreSQL: drawn from the table's
    sequence; SQLite: after the largest id ever used, the caller's transaction holding the write lock)."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[using or DEFAULT_DB_ALIAS]
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = _sequence(cursor, connection, model)
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            return [value for (value,) in cursor.fetchall()]
        # AUTOINCREMENT tables never reuse an id, even a deleted one: start after sqlite_sequence's too. A
        # write first, so that this transaction holds SQLite's write lock before it reads the largest id (the
        # embedded settings' IMMEDIATE transactions take it at BEGIN already; a DEFERRED one takes it here).
        cursor.execute(f"UPDATE {connection.ops.quote_name(table)} SET {pk} = {pk} WHERE 0")
        cursor.execute(f"SELECT MAX({pk}) FROM {connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(largest, found[0] if found else 0) + 1
    return list(range(start, start + count))


def reset_sequences(models, *, using=None):
    """After rows were written with explicit ids on PostgreSQL: move each table's sequence past its largest
    id (never backwards, so ids other transactions drew meanwhile stay unique). SQLite needs nothing."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            sequence = _sequence(cursor, connection, model)
            if not sequence:
                continue
            cursor.execute(f"SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)}")
            largest = cursor.fetchone()[0]
            if largest is None:
                continue
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last_value, is_called = cursor.fetchone()
            if largest > last_value or (largest == last_value and not is_called):
                cursor.execute("SELECT setval(%s, %s)", [sequence, largest])


@contextlib.contextmanager
def without_cyclic_gc():
    """For bulk work that allocates hundreds of thousands of small objects and frees none until it ends (an
    import's checks, an index batch): each allocation burst made Python's cyclic collector walk the whole heap
    again, costing more than the work. Reference counting still frees as usual; the collector is turned on
    again only by whoever turned it off (process-wide: for bulk paths, not per request)."""
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Measured on the benchmark's import (2026-12-07, 380,000 keys in 12 constraints): PostgreSQL checks about
# 3.6 µs per key per row at commit, and re-adding a key reads the whole table at about 0.45 µs per row. Below
# 20,000 new rows the row-by-row checks cost under 0.15 s: not worth locking the tables for.
BULK_KEYS_MIN_ROWS = 20_000


@contextlib.contextmanager
def foreign_keys_checked_at_the_end(models, *, rows, min_rows=None, using=None, lock_timeout_ms=3000):
    """For a bulk write of `rows` new rows into `models`' tables on PostgreSQL, inside the caller's transaction:
    the tables' foreign keys are dropped before and added back after the write, so that PostgreSQL checks them
    with one join per key over the whole table instead of one lookup per key per row at commit (its manual,
    "Populating a Database": "Remove Foreign Key Constraints"; pg_restore does the same). Each key comes back
    with its own definition (pg_get_constraintdef). A row that breaks one fails the re-add, and the transaction
    with it: the all-or-nothing of the write is kept.

    The price is the locks: from the drop to the commit, the tables are locked against readers and the tables
    they point to against writers. So it is done only when it pays: on PostgreSQL, when the new rows are at
    least as many as the rows already there (pg_class's estimate; the re-add reads all of them) and at least
    min_rows (BULK_KEYS_MIN_ROWS). If the locks are not granted within lock_timeout_ms (a long reader, a writer
    of a referenced table), or if this transaction wrote rows into these tables before, the keys are left in
    place and checked row by row, as without this. Yields True when the keys were dropped; if the write then
    fails, the caller's transaction is marked for rollback (never committed without its keys)."""
    from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction

    connection = connections[using or DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_at_the_end() runs inside the caller's transaction")
    tables = [model._meta.db_table for model in models]
    if connection.vendor != "postgresql" or rows < (BULK_KEYS_MIN_ROWS if min_rows is None else min_rows):
        yield False
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(GREATEST(reltuples, 0)), 0) FROM pg_class "
                       "WHERE oid = ANY(%s::regclass[])", [tables])
        if rows < cursor.fetchone()[0]:
            yield False
            return
        cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
                       [tables])
        keys = cursor.fetchall()
        quote = connection.ops.quote_name
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: a refused lock leaves the keys alone
                cursor.execute(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
                for table, name, _definition in keys:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
        except OperationalError as error:
            # Not granted within the timeout, a deadlock, or rows this transaction wrote earlier whose keys are
            # still to be checked ("pending trigger events"): the keys stay.
            if getattr(error.__cause__, "sqlstate", None) not in ("55P03", "40P01", "55006"):
                raise
            yield False
            return
    try:
        yield True
    except BaseException:
        # The write failed: the keys are not added back, so this transaction must never commit, even if the
        # caller catches the error inside it (rolling it back brings the dropped keys back).
        transaction.set_rollback(True, using=connection.alias)
        raise
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
