"""A probe, not part of `make bench`: would the release's export reach its floor (3x the database's own dump) if
the database made the text? Measured on the table that is 45% of the export, the incidents, on a benchmark
database (DATABASE_URL, DJANGO_SETTINGS_MODULE=bench.settings): `python bench/export_in_db.py`. Prints one
JSON object, seconds:

- dump_table: the database's own copy of the incidents table as it is stored (PostgreSQL COPY TO; SQLite
  every row read by the sqlite3 module: what the .dump reads);
- python: the product's path, `exports.services.write_table` of `exports.selectors.incidents()` (read the
  values, apply the rules, merge the lists, check every row, write CSV and JSON);
- in_db: the same rows with the same rules made into CSV and JSON by the database: on PostgreSQL two COPY
  statements (CSV, and row_to_json one object per line) over one SELECT applying the rules; on SQLite one
  SELECT building each row's CSV line and JSON object with SQL string functions. Without the checks, so an
  underestimate of what the export would take.

The rules are written again here, in SQL, for the measurement only (the export keeps them once, in Python, in
exports/selectors.py): the languages a row is shown in (the update's original language and reviewed
translations, read from its JSON status), the place only where Incident.shown_place allows it, the four
many-to-many lists sorted as Python sorts them, confidential sources never cited.
Run it at scale 0.1: it reads both JSON files whole to check that they hold the same rows (same_rows).
Result of 2026-12-07 at scale 0.1 (47,668 incidents): see bench/report.py REASONS.
"""
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "civicspace"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def _rule_columns(postgres):
    """(name, kind, SQL) of each column of the incidents table over the published incidents `b` joined to their
    update `u` and country `c`; lists as text joined with ';' (NULL when empty)."""
    from civicspace.core.text import LANGS
    from civicspace.monitoring.models import Incident

    def reviewed(lang):
        return (f"(u.translation_status ->> '{lang}') = 'reviewed'" if postgres
                else f"json_extract(u.translation_status, '$.{lang}') = 'reviewed'")

    def shown(lang):
        return f"(u.original_language = '{lang}' OR {reviewed(lang)})"

    hidden = [v for v, _label in Incident.PlacePrecision.choices if not Incident.shown_place(True, v)]
    place_shown = "b.place_precision NOT IN (" + ", ".join(f"'{v}'" for v in hidden) + ")"
    original_place = "CASE u.original_language " + " ".join(f"WHEN '{lang}' THEN b.place_{lang}" for lang in LANGS) + " END"

    def codes(relation):
        if postgres:  # joined to the lists of every incident, aggregated once (faster than a subquery per row)
            return f"r_{relation}.v"
        return (f"(SELECT group_concat(v, ';') FROM (SELECT t.code AS v FROM monitoring_incident_{relation} x "
                "JOIN monitoring_term t ON t.id = x.term_id WHERE x.incident_id = b.id ORDER BY t.code))")

    sources = "r_sources.v" if postgres else (
        "(SELECT group_concat(v, ';') FROM (SELECT x.source_id AS v FROM monitoring_incident_sources x "
        "JOIN monitoring_source s ON s.id = x.source_id WHERE x.incident_id = b.id AND NOT s.confidential "
        "ORDER BY x.source_id))")
    texts = [(f"{field}_{lang}", field, lang) for field in ("place", "description", "outcome") for lang in LANGS]
    return [("id", "int", "b.id"), ("update", "int", "b.update_id"), ("country", "text", "c.code"),
            ("date", "text", "to_char(b.date, 'YYYY-MM-DD')" if postgres else "b.date"),
            ("date_precision", "text", "b.date_precision"),
            ("place", "text", f"CASE WHEN {place_shown} THEN NULLIF({original_place}, '') END"),
            ("place_precision", "text", "b.place_precision"),
            *[(name, "text", f"CASE WHEN {shown(lang)}{' AND ' + place_shown if field == 'place' else ''} "
                             f"THEN NULLIF(b.{name}, '') END") for name, field, lang in texts],
            *[(relation, "list", codes(relation)) for relation in ("types", "freedoms", "perpetrators")],
            ("sources", "ints", sources)]


FROM = ("FROM monitoring_incident b JOIN monitoring_update u ON u.id = b.update_id "
        "JOIN countries_country c ON c.id = u.country_id {joins}WHERE u.status = 'published'")
LISTS_POSTGRES = "".join(
    f"LEFT JOIN (SELECT x.incident_id, string_agg(t.code, ';' ORDER BY t.code COLLATE \"C\") AS v "
    f"FROM monitoring_incident_{relation} x JOIN monitoring_term t ON t.id = x.term_id GROUP BY x.incident_id) "
    f"r_{relation} ON r_{relation}.incident_id = b.id " for relation in ("types", "freedoms", "perpetrators")) + (
    "LEFT JOIN (SELECT x.incident_id, string_agg(x.source_id::text, ';' ORDER BY x.source_id) AS v "
    "FROM monitoring_incident_sources x JOIN monitoring_source s ON s.id = x.source_id WHERE NOT s.confidential "
    "GROUP BY x.incident_id) r_sources ON r_sources.incident_id = b.id ")


def in_db_postgres(cursor, directory):
    columns = _rule_columns(True)
    plain = ", ".join(f'{sql} AS "{name}"' for name, _kind, sql in columns)
    arrays = ", ".join(
        f"""COALESCE(string_to_array({sql}, ';'){'::int[]' if kind == 'ints' else ''}, '{{}}') AS "{name}\""""
        if kind in ("list", "ints") else f'{sql} AS "{name}"' for name, kind, sql in columns)
    where = FROM.format(joins=LISTS_POSTGRES)
    cursor.execute("SET jit = off")  # its compilation alone took a second of a 3-second statement
    started = time.perf_counter()
    for name, sql, options in (
            ("csv", f"SELECT {plain} {where} ORDER BY b.id", "FORMAT csv, HEADER"),
            # One object per line, as it comes: CSV with a quote and a delimiter no JSON text holds raw.
            ("json", f"SELECT row_to_json(j) FROM (SELECT {arrays} {where} ORDER BY b.id) j",
             "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'")):
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH ({options})") as copy, open(directory / name, "wb") as out:
            for block in copy:
                out.write(block)
    return time.perf_counter() - started


def in_db_sqlite(connection, directory):
    columns = _rule_columns(False)

    def csv_cell(kind, x):
        if kind in ("list", "ints"):
            return f"COALESCE({x}, '')"
        if kind == "int":
            return f"COALESCE(CAST({x} AS TEXT), '')"
        special = f"instr({x}, ',') + instr({x}, '\"') + instr({x}, char(10)) + instr({x}, char(13)) > 0"
        return f"CASE WHEN {x} IS NULL THEN '' WHEN {special} THEN '\"' || replace({x}, '\"', '\"\"') || '\"' ELSE {x} END"

    def json_value(kind, x):
        return {"int": f"COALESCE(CAST({x} AS TEXT), 'null')", "text": f"json_quote({x})",
                "list": f"CASE WHEN {x} IS NULL THEN '[]' ELSE '[\"' || replace({x}, ';', '\",\"') || '\"]' END",
                "ints": f"CASE WHEN {x} IS NULL THEN '[]' ELSE '[' || replace({x}, ';', ',') || ']' END"}[kind]

    # The values once, in a subquery SQLite does not flatten (OFFSET), then each row's CSV line and JSON object.
    inner = ", ".join(f"{sql} AS v{i}" for i, (_name, _kind, sql) in enumerate(columns))
    line = " || ',' || ".join(csv_cell(kind, f"v{i}") for i, (_name, kind, _sql) in enumerate(columns))
    obj = "'{' || " + " || ',' || ".join(f"'\"{name}\":' || {json_value(kind, f'v{i}')}"
                                         for i, (name, kind, _sql) in enumerate(columns)) + " || '}'"
    sql = f"SELECT {line}, {obj} FROM (SELECT {inner} {FROM.format(joins='')} ORDER BY b.id LIMIT -1 OFFSET 0)"
    started = time.perf_counter()
    with open(directory / "csv", "w", newline="") as csv_out, open(directory / "json", "w") as json_out:
        csv_out.write(",".join(name for name, _kind, _sql in columns) + "\r\n")
        cursor = connection.execute(sql)
        while rows := cursor.fetchmany(5_000):
            lines, objects = zip(*rows)
            csv_out.write("\r\n".join(lines) + "\r\n")
            json_out.write("".join(f"{o}\n" for o in objects))
    return time.perf_counter() - started


def measure():
    """The three timings (see the module's docstring) and whether the database's text holds the same rows."""
    from django.db import connection, transaction

    from civicspace.exports import codebook, selectors, services

    postgres = connection.vendor == "postgresql"
    table = next(t for t in codebook.TABLES if t.name == "incidents")
    result = {"database": connection.vendor}
    with tempfile.TemporaryDirectory() as tmp, transaction.atomic():
        directory = Path(tmp)
        connection.ensure_connection()
        started = time.perf_counter()
        if postgres:
            with connection.cursor() as cursor, cursor.cursor.copy("COPY monitoring_incident TO STDOUT") as copy, \
                    open(directory / "dump", "wb") as out:
                for block in copy:
                    out.write(block)
        else:
            for _row in connection.connection.execute("SELECT * FROM monitoring_incident"):
                pass
        result["dump_table"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        # Its foreign keys point into tables not written here: checked as the export does, not resolved.
        result["rows"] = services.write_table(directory, table, selectors.incidents(), checks=services._Checks())
        result["python"] = round(time.perf_counter() - started, 3)
        if postgres:
            with connection.cursor() as cursor:
                result["in_db"] = round(in_db_postgres(cursor.cursor, directory), 3)
        else:
            result["in_db"] = round(in_db_sqlite(connection.connection, directory), 3)
        result["same_rows"] = _same(directory)
    return result


def main():
    import django

    django.setup()
    print(json.dumps(measure()))


def _same(directory):
    """The text made by the database holds the rows the product wrote (CSV cells; JSON values)."""
    import csv

    with open(directory / "incidents.csv", newline="") as a, open(directory / "csv", newline="") as b:
        if list(csv.reader(a)) != list(csv.reader(b)):
            return "csv differs"
    with open(directory / "incidents.json") as a, open(directory / "json") as b:
        if json.load(a) != [json.loads(line) for line in b]:
            return "json differs"
    return True


if __name__ == "__main__":
    main()
