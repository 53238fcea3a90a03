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
