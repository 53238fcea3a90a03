"""The data release: every public table as CSV and JSON, a Frictionless data package descriptor, a changelog
against the previous release, a codebook and a zip of it all.

A release is built in a temporary directory next to its final place, checked (every row as it is written, and
`frictionless` on the descriptor and a sample of each table), and only then renamed to
`<releases dir>/<version>/`: either the whole release is there or none of it. Tables stream: rows go from the
selectors' chunked (server-side on PostgreSQL) cursors through the CSV and JSON writers into the files, and each
finished file into the zip, without a table ever held in memory.
"""
import contextlib
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import operator
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
import zipfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import codebook, selectors

VERSION_RE = re.compile(r"^\d{4}\.\d{2}\.\d{2}(?:\.\d{1,4})?$")
PACKAGE_NAME = "civic-space-monitor"
CHANGELOG = "changelog.json"
DESCRIPTOR = "datapackage.json"


class ExportError(Exception):
    pass


def releases_dir():
    return Path(getattr(settings, "EXPORT_RELEASES_DIR", None) or Path(settings.VAR_DIR) / "releases")


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def zip_name(version):
    return f"{PACKAGE_NAME}-{version}.zip"


def release_versions(directory):
    """Versions of the complete releases in a directory, newest first (temporary directories are ignored)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    versions = [p.name for p in directory.iterdir()
                if p.is_dir() and VERSION_RE.match(p.name) and (p / DESCRIPTOR).is_file()]
    return sorted(versions, key=version_key, reverse=True)


def next_version(directory, today):
    """Date-based: 2026.11.27, then 2026.11.27.2, 2026.11.27.3 … for further releases on the same day."""
    base = today.strftime("%Y.%m.%d")
    taken = {p.name for p in Path(directory).iterdir()} if Path(directory).is_dir() else set()
    if base not in taken:
        return base
    n = 2
    while f"{base}.{n}" in taken:
        n += 1
    return f"{base}.{n}"


# --- values -------------------------------------------------------------------------------------------------

def _utc(value):
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def json_value(value):
    if isinstance(value, dt.datetime):
        return _utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    if value == "":
        return None
    return value


def _json_default(value):
    """What the JSON encoder cannot encode itself, as json_value gives it."""
    if isinstance(value, (dt.date, Decimal)):
        return json_value(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encoder(item_separator):
    """A JSON encoder of one value to text, as json.dumps(ensure_ascii=False) with this item separator: the C
    one where Python has it (json.dump with an indent uses the pure-Python encoder, which was the slowest part
    of the export)."""
    if json.encoder.c_make_encoder is not None:
        make = json.encoder.c_make_encoder(None, _json_default, json.encoder.encode_basestring, None, ": ",
                                           item_separator, False, False, True)
        return lambda value: "".join(make(value, 0))
    return json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": "), default=_json_default).encode


# Types csv.writer writes as csv_value would (None as "", numbers and text with str()); any other goes through
# csv_value.
_CSV_AS_IS = frozenset({str, int, float, Decimal, type(None)})
def _csv_list(value):
    return ";".join(map(str, value))


_CSV_CONVERT = {dt.date: dt.date.isoformat, dt.datetime: _utc, list: _csv_list, tuple: _csv_list,
                bool: lambda value: "true" if value else "false"}
# Scalars are encoded together as a list with "\n" between them (an encoded scalar never holds a raw newline:
# JSON escapes it), then split and given their keys; a list column is encoded on its own, indented.
_SCALARS = _encoder("\n")


class TableWriter:
    """Writes one table's CSV and JSON files, a chunk of rows at a time (nothing else is held): the same bytes as
    csv.writer + csv_value and json.dump(indent=1, ensure_ascii=False) + json_value of the whole table.

    A chunk is turned into columns once (zip, in C) and encoded a column at a time: a CSV column whose values
    are all of the types csv.writer writes as they are is not looked at in Python; the JSON of every scalar
    value of the chunk is one call of the C encoder, split into values and put into a per-row template with
    %-formatting; only list columns (a few codes or ids per row) are assembled row by row."""

    def __init__(self, directory, table):
        self.table = table
        self.names = [f.name for f in table.fields]
        self.csv_path = directory / f"{table.name}.csv"
        self.json_path = directory / f"{table.name}.json"
        self._csv_file = open(self.csv_path, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self._json_file = open(self.json_path, "w", encoding="utf-8", buffering=1 << 20)
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(self.names)
        self.count = 0
        keys = [json.dumps(name, ensure_ascii=False) + ": " for name in self.names]
        self._template = " {\n  " + ",\n  ".join(key.replace("%", "%%") + "%s" for key in keys) + "\n }"
        self._scalars = [i for i, f in enumerate(table.fields) if f.type != "list"]
        self._lists = [i for i, f in enumerate(table.fields) if f.type == "list"]

    @staticmethod
    def _csv_column(column):
        if _CSV_AS_IS.issuperset(map(type, column)):
            return column
        return [v if (t := type(v)) in _CSV_AS_IS else _CSV_CONVERT.get(t, csv_value)(v) for v in column]

    def _json_scalars(self, columns, count):
        """The JSON of every scalar column, each a list of `count` encoded values ("" as null)."""
        if not self._scalars:
            return {}
        # Encoded with "\n" between the values (an encoded scalar never holds a raw newline: JSON escapes it).
        text = "\n" + _SCALARS(list(itertools.chain.from_iterable(columns[i] for i in self._scalars)))[1:-1] + "\n"
        # "" is published as null: a value that is exactly "" sits between two newlines (twice: str.replace does
        # not see overlapping matches, so a run of them is done every other one at a time).
        text = text.replace('\n""\n', "\nnull\n").replace('\n""\n', "\nnull\n")
        parts = text[1:-1].split("\n")
        return {i: parts[n * count:(n + 1) * count] for n, i in enumerate(self._scalars)}

    @staticmethod
    def _json_list_column(column):
        """Each value of a list column as json.dump(indent=1) writes it inside a row: its items one per line."""
        items = list(itertools.chain.from_iterable(value for value in column if value))
        parts = _SCALARS(items)[1:-1].split("\n") if items else []
        out, at = [], 0
        for value in column:
            if value:
                n = len(value)
                out.append("[\n   " + ",\n   ".join(parts[at:at + n]) + "\n  ]")
                at += n
            else:
                out.append("null" if value is None else "[]")
        return out

    def write(self, rows, columns=None):
        """A chunk of rows: tuples of values in the order of the table's fields (`columns`: the same values as
        columns, when the caller has them)."""
        if not rows:
            return
        columns = columns if columns is not None else list(zip(*rows))
        self._csv.writerows(zip(*map(self._csv_column, columns)))
        encoded = self._json_scalars(columns, len(rows))
        for i in self._lists:
            encoded[i] = self._json_list_column(columns[i])
        text = ",\n".join(map(self._template.__mod__, zip(*[encoded[i] for i in range(len(columns))])))
        self._json_file.write(("[\n" if self.count == 0 else ",\n") + text)
        self.count += len(rows)

    def close(self):
        self._json_file.write("[]\n" if self.count == 0 else "\n]\n")
        self._csv_file.close()
        self._json_file.close()

    def abort(self):
        self._csv_file.close()
        self._json_file.close()


class _Checks:
    """The cheap half of validation, on every row as it is written, a chunk of rows at a time with set
    operations: required fields, enums, bounds, primary key uniqueness and foreign keys (frictionless checks
    types and formats on a sample, see validate_package). Keys of tables that others reference are kept; other
    primary keys of several columns are kept as their hash."""

    LIMIT = 20

    def __init__(self):
        self.keys = {}  # table name -> set of keys (tables referenced by a foreign key)
        self.pending = []  # (table, fields, resource, values): references to a table not written yet
        self.errors = []
        self.referenced = {resource for table in codebook.TABLES for _f, resource, _r in table.foreign_keys}

    def error(self, message):
        if len(self.errors) < self.LIMIT:
            self.errors.append(message)

    def table(self, table, ordered=False):
        return _TableChecks(self, table, ordered)

    def finish(self):
        for table, fields, resource, values in self.pending:
            missing = values - self.keys.get(resource, set())
            for value in sorted(missing, key=str)[:3]:
                self.error(f"{table}: {', '.join(fields)} {value!r} is not in {resource} (foreign-key)")
        if self.errors:
            lines = "\n".join(f"  - {e}" for e in self.errors)
            raise ExportError(f"the data package is not valid; no release was made:\n{lines}")


_BLANK = frozenset({None, ""})


class _TableChecks:
    def __init__(self, checks, table, ordered=False):
        self.checks, self.name = checks, table.name
        index = {f.name: i for i, f in enumerate(table.fields)}
        self.required = [(i, f.name) for i, f in enumerate(table.fields) if f.required]
        self.enums = [(i, f.name, frozenset(f.enum) | _BLANK) for i, f in enumerate(table.fields) if f.enum]
        self.bounds = [(i, f.name, f.minimum, f.maximum) for i, f in enumerate(table.fields)
                       if f.minimum is not None or f.maximum is not None]
        self.pk = [index[n] for n in table.primary_key]
        self.keep = table.name in checks.referenced
        # Rows in increasing key order need no set of keys to be unique: each key is larger than the one before.
        self.ordered, self.last = ordered, None
        self.seen = set()
        self.foreign = []
        for fields, resource, _ref in table.foreign_keys:
            done = resource in checks.keys
            values = set()
            if not done:
                checks.pending.append((table.name, fields, resource, values))
            self.foreign.append(([index[f] for f in fields], fields, resource, done, values))
        self.rows = 0

    @staticmethod
    def _column(columns, indexes):
        if len(indexes) == 1:
            return columns[indexes[0]]
        return list(zip(*[columns[i] for i in indexes]))

    def __call__(self, rows, columns=None):
        columns = columns if columns is not None else list(zip(*rows))
        error = self.checks.error
        first = self.rows + 1
        self.rows += len(rows)
        for i, name in self.required:
            column = columns[i]
            if None in column or "" in column:
                n = next(n for n, v in enumerate(column) if v is None or v == "")
                error(f"{self.name} row {first + n}: {name} is required (constraint-error)")
        for i, name, enum in self.enums:
            bad = set(columns[i]) - enum
            if bad:
                error(f"{self.name}: {name} {sorted(map(repr, bad))[:3]} not one of {sorted(enum - _BLANK)} "
                      "(constraint-error)")
        for i, name, low, high in self.bounds:
            numbers = [v for v in columns[i] if v is not None and v != ""]
            if numbers and ((low is not None and min(numbers) < low) or (high is not None and max(numbers) > high)):
                error(f"{self.name}: {name} out of bounds {low}-{high} (constraint-error)")
        keys = self._column(columns, self.pk)
        if self.ordered:
            try:
                increasing = ((self.last is None or self.last < keys[0])
                              and all(map(operator.lt, keys, keys[1:])))
            except TypeError:  # a missing key (None), reported as required
                increasing = False
            if not increasing:
                error(f"{self.name}: the primary keys of rows {first}-{self.rows} are not increasing, or not "
                      "unique (primary-key)")
            self.last = keys[-1]
            if self.keep:
                self.seen.update(keys)
            return self._foreign(columns)
        if not self.keep and len(self.pk) > 1:
            keys = [hash(k) for k in keys]
        before = len(self.seen)
        self.seen.update(keys)
        if len(self.seen) - before != len(keys):
            error(f"{self.name}: a primary key is not unique among rows {first}-{self.rows} (primary-key)")
        self._foreign(columns)

    def _foreign(self, columns):
        for indexes, fields, resource, done, pending in self.foreign:
            refs = set(self._column(columns, indexes))
            refs.discard(None)
            error = self.checks.error
            if len(indexes) > 1:
                refs = {ref for ref in refs if None not in ref}
            if not done:
                pending |= refs
            else:
                missing = refs - self.checks.keys[resource]
                if missing:
                    error(f"{self.name}: {', '.join(fields)} {sorted(map(repr, missing))[:3]} not in {resource} "
                          "(foreign-key)")

    def close(self):
        if self.keep:
            self.checks.keys[self.name] = self.seen
        self.seen = None


# --- the zip, written beside the files --------------------------------------------------------------------

class _Zipper:
    """Adds finished files to the release's zip in a thread of its own (deflate and sha256 let go of the GIL), so
    that compressing one table overlaps with writing the next; notes each file's size and sha256 on the way."""

    CHUNK = 1 << 20
    # zlib level 4 rather than the default 6: measured on the scale-0.1 bench release (127 MB of files), 0.57 s
    # of CPU instead of 0.91 s for a zip 14% larger (8.7 MB instead of 7.6 MB); levels 1-3 save only another
    # 0.15-0.2 s but are 40-55% larger again (12.2-13.5 MB): not worth it for a file people download.
    LEVEL = 4

    def __init__(self, target, folder):
        self.target, self.folder = target, folder
        self.digests = {}  # file name -> (bytes, sha256 hex)
        self._queue = queue.Queue()
        self._error = None
        self._archive = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=self.LEVEL,
                                        allowZip64=True)
        self._thread = threading.Thread(target=self._run, name="export-zip", daemon=True)
        self._thread.start()

    def add(self, path):
        self._queue.put(path)

    def _run(self):
        while True:
            path = self._queue.get()
            try:
                if path is None:
                    return
                if self._error is None:
                    self._write(path)
            except BaseException as exc:  # reported by wait()
                self._error = exc
            finally:
                self._queue.task_done()

    def _write(self, path):
        info = zipfile.ZipInfo.from_file(path, arcname=f"{self.folder}/{path.name}")
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = self.LEVEL  # ZipFile.open(info, "w") takes the level from the ZipInfo
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as src, self._archive.open(info, "w", force_zip64=info.file_size > 1 << 30) as dst:
            while chunk := src.read(self.CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        self.digests[path.name] = (size, digest.hexdigest())

    def wait(self):
        self._queue.join()
        if self._error is not None:
            raise self._error

    def close(self):
        self.wait()
        self._queue.put(None)
        self._thread.join()
        self._archive.close()

    def abort(self):
        self._error = self._error or ExportError("aborted")
        self._queue.put(None)
        self._thread.join()
        self._archive.close()


# --- progress -----------------------------------------------------------------------------------------------

class Progress:
    """Progress of an export on a stream (the command's stderr): one line per phase, and per table the rows done
    and the rate, rewritten in place on a terminal at most every half second, or a line every 10 s elsewhere (a
    log, a pipe), so that the output stays a few lines long."""

    def __init__(self, stream=None, enabled=True):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = 0.5 if self.tty else 10.0

    def say(self, message):
        if self.enabled:
            self.stream.write(message + "\n")
            self.stream.flush()

    def table(self, label):
        return _TableProgress(self, label)


class _TableProgress:
    def __init__(self, progress, label):
        self.progress, self.label = progress, label
        self.started = self.shown = time.monotonic()
        if progress.enabled:
            progress.stream.write(f"{label} ..." + ("" if progress.tty else "\n"))
            progress.stream.flush()

    def rows(self, done):
        now = time.monotonic()
        if self.progress.enabled and now - self.shown >= self.progress.every:
            self.shown = now
            self._show(done, now, final=False)

    def _show(self, done, now, final):
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0
        text = f"{self.label}: {done:,} rows" + (f" in {elapsed:.1f} s" if final else "") + f" ({rate:,.0f} rows/s)"
        stream = self.progress.stream
        if self.progress.tty:
            stream.write(f"\r\033[K{text}" + ("\n" if final else ""))
        else:
            stream.write(("" if final else "  ") + text + "\n")
        stream.flush()

    def done(self, count):
        if self.progress.enabled:
            self._show(count, time.monotonic(), final=True)


def _progress(progress):
    """Progress from what export_release is given: a Progress, a callable taking a message (lines only), or None."""
    if isinstance(progress, Progress):
        return progress
    if progress is None:
        return Progress(enabled=False)

    class _Lines(io.StringIO):
        def flush(self):
            text = self.getvalue()
            if "\n" in text:
                *lines, rest = text.split("\n")
                for line in lines:
                    progress(line)
                self.seek(0)
                self.truncate()
                self.write(rest)

    return Progress(_Lines(), enabled=True)


CHUNK = 1_000  # rows written (and checked) at a time


def write_table(directory, table, rows, *, checks=None, progress=None):
    """Write one table's CSV and JSON files from `rows`: a selectors.Rows (tuples in the schema's order) or an
    iterable of dicts with exactly the schema's columns; return the number of rows."""
    names = [f.name for f in table.fields]
    own_checks = checks is None
    checks = checks or _Checks()
    check = checks.table(table, ordered=getattr(rows, "ordered", False))
    writer = TableWriter(directory, table)
    shown = progress.table(table.name) if progress else None
    try:
        if isinstance(rows, selectors.Rows):
            if rows.columns != names:
                raise ExportError(f"{table.name}: the selector's columns {rows.columns} differ from the schema {names}")
            values = iter(rows)
        else:
            key_tuple = tuple(names)

            def values_of(row):
                if tuple(row) != key_tuple:
                    raise ExportError(f"{table.name}: the selector's columns {list(row)} differ from the schema "
                                      f"{names}")
                return tuple(row.values())
            values = map(values_of, rows)
        while chunk := list(itertools.islice(values, CHUNK)):
            columns = list(zip(*chunk))  # once, for the checks and both writers
            if len(columns) != len(names) or len(chunk[0]) != len(names):
                raise ExportError(f"{table.name}: rows of {len(chunk[0])} values, not {len(names)}")
            check(chunk, columns)
            writer.write(chunk, columns)
            if shown is not None:
                shown.rows(writer.count)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    check.close()
    if shown is not None:
        shown.done(writer.count)
    if own_checks:
        checks.finish()
    return writer.count


# --- changelog ----------------------------------------------------------------------------------------------
# Computed from the CSV files of the two releases, read row by row: what is kept in memory is a 16-byte digest
# per incident and per update of the previous release (and the references of what changed), never a table.

_MASK = (1 << 128) - 1


def _hash(*parts):
    return int.from_bytes(hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).digest(), "big")


def _csv_rows(directory, name):
    """(header index, rows) of one table of a release; no rows when the release has no such table."""
    path = Path(directory) / f"{name}.csv"
    if not path.is_file():
        return {}, iter(())

    def rows():
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            yield from reader

    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    return {name: i for i, name in enumerate(header)}, rows()


def _incident_stream(directory):
    """(id, digest of everything published about it: its row, victims, types and sources, reference) for every
    incident of a release. Victims and types are summed as a multiset (their order does not matter)."""
    index, rows = _csv_rows(directory, "sources")
    sources = {}
    if rows is not None:
        i_id = index.get("id")
        for row in rows:
            sources[row[i_id]] = "\x1e".join(v for k, v in enumerate(row) if k != i_id)
    extra = {}
    index, rows = _csv_rows(directory, "victims")
    if index:
        i_id, i_incident = index["id"], index["incident"]
        for row in rows:
            key = int(row[i_incident])
            extra[key] = (extra.get(key, 0) + _hash("victim", *(v for k, v in enumerate(row) if k != i_id))) & _MASK
    index, rows = _csv_rows(directory, "incident_types")
    if index:
        i_incident, i_vocabulary, i_code = index["incident"], index["vocabulary"], index["code"]
        for row in rows:
            key = int(row[i_incident])
            extra[key] = (extra.get(key, 0) + _hash("type", row[i_vocabulary], row[i_code])) & _MASK
    index, rows = _csv_rows(directory, "incidents")
    if not index:
        return
    i_id, i_update, i_country, i_date = index["id"], index["update"], index["country"], index["date"]
    i_sources = index.get("sources")
    for row in rows:
        pk = int(row[i_id])
        cited = [sources.get(s, "") for s in row[i_sources].split(";") if s] if i_sources is not None else []
        digest = _hash("\x1d".join(row), "\x1d".join(cited), str(extra.pop(pk, 0)))
        yield pk, digest, {"id": pk, "update": int(row[i_update]), "country": row[i_country], "date": row[i_date]}


def _update_stream(directory):
    index, rows = _csv_rows(directory, "updates")
    if not index:
        return
    i_id, i_country, i_date = index["id"], index["country"], index["date"]
    for row in rows:
        pk = int(row[i_id])
        yield pk, _hash(*row), {"id": pk, "country": row[i_country], "date": row[i_date]}


def _added_corrected_gone(previous_dir, current_dir, stream):
    before = {pk: digest for pk, digest, _ref in stream(previous_dir)}
    added, corrected = [], []
    for pk, digest, ref in stream(current_dir):
        old = before.pop(pk, None)
        if old is None:
            added.append(ref)
        elif old != digest:
            corrected.append(ref)
    gone = [ref for pk, _digest, ref in stream(previous_dir) if pk in before] if before else []
    by_id = lambda ref: ref["id"]  # noqa: E731
    return sorted(added, key=by_id), sorted(corrected, key=by_id), sorted(gone, key=by_id)


def _ratings(directory):
    index, rows = _csv_rows(directory, "ratings")
    out = {}
    for row in rows:
        score = row[index["score"]]
        out[(row[index["edition"]], row[index["country"]])] = {"rating": row[index["rating"]],
                                                              "score": float(score) if score else None}
    return out


def compute_changelog(previous_dir, current_dir, *, version, previous_version):
    empty = {"added": [], "corrected": [], "retracted": []}
    changelog = {"version": version, "previous_version": previous_version,
                 "ratings": {"changed": [], "added": [], "removed": []},
                 "incidents": dict(empty), "updates": dict(empty)}
    if previous_dir is not None:
        before, after = _ratings(previous_dir), _ratings(current_dir)
        for key in sorted(after):
            new = after[key]
            old = before.get(key)
            if old is None:
                changelog["ratings"]["added"].append({"edition": key[0], "country": key[1], "rating": new["rating"],
                                                      "score": new["score"]})
            elif (old["rating"], old["score"]) != (new["rating"], new["score"]):
                changelog["ratings"]["changed"].append({
                    "edition": key[0], "country": key[1],
                    "before": {"rating": old["rating"], "score": old["score"]},
                    "after": {"rating": new["rating"], "score": new["score"]}})
        changelog["ratings"]["removed"] = [{"edition": k[0], "country": k[1], "rating": before[k]["rating"],
                                            "score": before[k]["score"]} for k in sorted(before) if k not in after]
        for what, stream in (("incidents", _incident_stream), ("updates", _update_stream)):
            added, corrected, gone = _added_corrected_gone(previous_dir, current_dir, stream)
            changelog[what] = {"added": added, "corrected": corrected, "retracted": gone}
    changelog["summary"] = {
        "ratings_changed": len(changelog["ratings"]["changed"]),
        "ratings_added": len(changelog["ratings"]["added"]),
        "ratings_removed": len(changelog["ratings"]["removed"]),
        **{f"{what}_{kind}": len(changelog[what][kind]) for what in ("incidents", "updates")
           for kind in ("added", "corrected", "retracted")},
    }
    return changelog


# --- descriptor and validation ------------------------------------------------------------------------------

def _rating_sources(rows):
    editions_by_url = {}
    for row in rows:
        editions_by_url.setdefault(row["source_url"], set()).add(row["edition"])
    return [codebook.CIVICUS_MONITOR] + [
        {"title": f"CIVICUS Monitor ratings read from this source (editions {', '.join(sorted(eds))})", "path": url}
        for url, eds in sorted(editions_by_url.items())]


def build_descriptor(directory, *, version, created, tables, digests):
    """The datapackage.json; `digests`: {file name: (bytes, sha256)} measured as the files were written."""
    resources = []
    for table in codebook.TABLES:
        path = directory / f"{table.name}.csv"
        size, sha256 = digests[path.name]  # computed by the zip's thread as each file was written
        resource = {
            "name": table.name, "title": table.title, "description": table.description,
            "path": path.name, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": size, "hash": f"sha256:{sha256}",
            "schema": table.schema(),
        }
        if table.name == "ratings":
            resource["sources"] = _rating_sources(tables["ratings"])
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "Civic Space Monitor open data",
        "description": (
            "Civic space in 198 countries and territories: the CIVICUS Monitor's published ratings by edition, "
            "published updates and incidents documented by research partners, laws affecting civic space and "
            "their stages, the Watchlist, and the taxonomy they use. Each table is also given as JSON "
            "(<table>.json); codebook.md explains every table and field; changelog.json lists what changed "
            "since the previous release."),
        "version": version,
        "created": created,
        "keywords": ["civic space", "human rights", "freedom of association", "freedom of peaceful assembly",
                     "freedom of expression"],
        "licenses": [codebook.LICENSE],
        "sources": [
            codebook.CIVICUS_MONITOR,
            {"title": "Civic Space Monitor: updates and incidents documented by research partners and verified "
                      "by editors; laws and their stages; Watchlist editions"},
            {"title": "ISO 3166-1 country codes and names (django-countries); CIVICUS regions",
             "path": "https://www.iso.org/iso-3166-country-codes.html"},
        ],
        "resources": resources,
    }


SAMPLE_ROWS = 500


def validate_package(descriptor_path, *, sample_rows=SAMPLE_ROWS):
    """Frictionless on the descriptor (every schema, the package's metadata) and on the first `sample_rows` rows
    of every table (types, formats, constraints as frictionless reads them). Every row was already checked while
    it was written (required fields, enums, bounds, primary and foreign keys: _Checks), and the files' sizes and
    hashes are the ones measured while zipping them: reading the whole release again with frictionless took
    longer than writing it (the whole package at ten times today's volume, 1.3 GB, would take minutes).
    `sample_rows=None` validates everything, foreign keys included (the tests do)."""
    import frictionless

    descriptor_path = Path(descriptor_path)
    if sample_rows is None:
        report = frictionless.validate(str(descriptor_path))
        reports = [report]
    else:
        package = json.loads(descriptor_path.read_text(encoding="utf-8"))
        reports = [frictionless.Package.validate_descriptor(package)]
        if reports[0].valid:
            for resource in package["resources"]:
                sample = {k: v for k, v in resource.items() if k not in ("bytes", "hash")}
                sample["schema"] = {k: v for k, v in resource["schema"].items() if k != "foreignKeys"}
                reports.append(frictionless.Resource(sample, basepath=str(descriptor_path.parent))
                               .validate(limit_rows=sample_rows))
    problems = []
    for report in reports:
        if not report.valid:
            found = report.flatten(["type", "note", "message"])[:20] if report.tasks else []
            problems += found or [[e.type, "", e.message] for e in report.errors[:20]]
    if problems:
        lines = "\n".join(f"  - {p[-1]}" for p in problems[:20])
        raise ExportError(f"the data package is not valid; no release was made:\n{lines}")
    return reports


# --- the export ---------------------------------------------------------------------------------------------

def export_release(out=None, *, destination=None, progress=None, now=None):
    """Write a complete release under `out` (default: the releases directory), or into `destination` itself
    when given (a new or empty folder; the changelog is still computed against the latest release under
    `out`); return its directory. `progress`: a Progress (the command's), or a callable given each line.

    Every table streams from the database (values read in chunks; on PostgreSQL a server-side cursor) through
    the CSV and JSON writers into its files, checked row by row; each finished file is zipped in a thread
    beside the next table's writing. Memory holds one chunk of rows and the keys foreign keys point to."""
    progress = _progress(progress)
    directory = Path(out) if out else releases_dir()
    directory.mkdir(parents=True, exist_ok=True)
    if destination is not None:
        destination = Path(destination).resolve()
        if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
            raise ExportError(f"--out: {destination} exists and is not an empty folder")
        destination.parent.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    previous = release_versions(directory)
    previous_version = previous[0] if previous else None
    version = next_version(directory, timezone.localdate(now))
    tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=destination.parent if destination else directory))
    zipper = None
    try:
        zipper = _Zipper(tmp / zip_name(version), f"{PACKAGE_NAME}-{version}")
        tables, counts, checks = {}, {}, _Checks()
        # One transaction, so that every table is read from the same state of the database (SQLite reads a
        # snapshot; PostgreSQL needs repeatable read, set when this is the outermost transaction; it also keeps
        # the server-side cursors open).
        with _read_transaction():
            for n, table in enumerate(codebook.TABLES, start=1):
                rows = getattr(selectors, table.name)()
                if table.name == "ratings":
                    rows = tables["ratings"] = list(rows)  # small; its sources go into the descriptor
                counts[table.name] = write_table(tmp, table, rows, checks=checks,
                                                 progress=_Labelled(progress, f"[{n}/{len(codebook.TABLES)}]"))
                zipper.add(tmp / f"{table.name}.csv")
                zipper.add(tmp / f"{table.name}.json")
        checks.finish()
        progress.say(f"changelog against {previous_version or '(no previous release)'} ...")
        changelog = compute_changelog(directory / previous_version if previous_version else None, tmp,
                                      version=version, previous_version=previous_version)
        changelog["created"] = _utc(now)
        (tmp / CHANGELOG).write_text(json.dumps(changelog, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        progress.say("datapackage.json ...")
        zipper.wait()
        package = build_descriptor(tmp, version=version, created=_utc(now), tables=tables, digests=zipper.digests)
        (tmp / DESCRIPTOR).write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        progress.say(f"validating with frictionless (the descriptor and {SAMPLE_ROWS} rows of each table; every "
                     "row was checked while written) ...")
        validate_package(tmp / DESCRIPTOR)
        progress.say("codebook ...")
        markdown = codebook.render_markdown_codebook(package, changelog, counts)
        (tmp / "codebook.md").write_text(markdown, encoding="utf-8")
        (tmp / "codebook.html").write_text(codebook.render_html_codebook(package, markdown), encoding="utf-8")
        progress.say("zip ...")
        for name in (CHANGELOG, DESCRIPTOR, "codebook.md", "codebook.html"):
            zipper.add(tmp / name)
        zipper.close()
        zipper = None
        os.chmod(tmp, 0o755)  # mkdtemp made it private
        final = destination or directory / version
        try:
            if destination is not None and destination.exists():
                destination.rmdir()  # empty, checked above
            os.rename(tmp, final)
        except OSError as exc:
            raise ExportError(f"cannot move the release into {final}: {exc}") from exc
    except BaseException:
        if zipper is not None:
            zipper.abort()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress.say(f"release {version}: {final}")
    return final


@contextlib.contextmanager
def _read_transaction():
    """A transaction that reads one state of the database. On SQLite a deferred one: the embedded settings begin
    transactions IMMEDIATE, which takes the write lock, and an export of the full volume would hold it (and
    block every writer, or wait for one) for as long as it runs; a deferred transaction's first read pins a
    snapshot (WAL) without it. On PostgreSQL, repeatable read."""
    outermost = not connection.in_atomic_block
    connection.ensure_connection()  # Django sets transaction_mode when it connects: a fresh command has not yet
    mode = getattr(connection, "transaction_mode", None)
    if outermost and connection.vendor == "sqlite" and mode is not None:
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield
    finally:
        if mode is not None:
            connection.transaction_mode = mode


class _Labelled:
    """A Progress whose table lines start with "[n/N]"."""

    def __init__(self, progress, prefix):
        self.progress, self.prefix = progress, prefix

    def table(self, name):
        return self.progress.table(f"{self.prefix} {name}")


# --- reading releases (the data page) -----------------------------------------------------------------------

def release_info(directory, version):
    path = Path(directory) / version
    try:
        package = json.loads((path / DESCRIPTOR).read_text(encoding="utf-8"))
        changelog = json.loads((path / CHANGELOG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    created = package.get("created", "")
    try:
        created_at = dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        created_at = None
    return {"version": version, "created": created_at, "changelog": changelog, "package": package,
            "summary": changelog.get("summary", {}), "previous_version": changelog.get("previous_version"),
            "zip": zip_name(version) if (path / zip_name(version)).is_file() else None}


def list_releases(directory=None):
    directory = Path(directory) if directory else releases_dir()
    return [info for info in (release_info(directory, v) for v in release_versions(directory)) if info]


def release_file(version, filename, directory=None):
    """The path of one file of a release, or None: only plain files directly inside a release directory."""
    directory = (Path(directory) if directory else releases_dir()).resolve()
    if not VERSION_RE.match(version or "") or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", filename or ""):
        return None
    release = (directory / version).resolve()
    path = (release / filename).resolve()
    if release.parent != directory or path.parent != release or not path.is_file():
        return None
    return path
