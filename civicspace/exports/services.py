"""The data release: every public table as CSV and JSON, a Frictionless data package descriptor, a changelog
against the previous release, a codebook and a zip of it all.

A release is built in a temporary directory next to its final place, checked with `frictionless`, and only
then renamed to `<releases dir>/<version>/`: either the whole release is there or none of it.
"""
import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
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


def write_table(directory, table, rows):
    names = [f.name for f in table.fields]
    for row in rows:
        if list(row) != names:
            raise ExportError(f"{table.name}: the selector's columns {list(row)} differ from the schema {names}")
    with open(directory / f"{table.name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for row in rows:
            writer.writerow([csv_value(row[name]) for name in names])
    with open(directory / f"{table.name}.json", "w", encoding="utf-8") as fh:
        json.dump([{name: json_value(row[name]) for name in names} for row in rows], fh, ensure_ascii=False,
                  indent=1)
        fh.write("\n")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- changelog ----------------------------------------------------------------------------------------------

def _load_tables(directory, names):
    tables = {}
    for name in names:
        path = Path(directory) / f"{name}.json"
        tables[name] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    return tables


def _digest(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _incident_digests(tables):
    """{incident id: digest of everything published about it: its row, victims, types and sources}."""
    victims, types = {}, {}
    for v in tables["victims"]:
        victims.setdefault(v["incident"], []).append({k: val for k, val in v.items() if k != "id"})
    for t in tables["incident_types"]:
        types.setdefault(t["incident"], []).append([t["vocabulary"], t["code"]])
    sources = {s["id"]: {k: val for k, val in s.items() if k != "id"} for s in tables["sources"]}
    out = {}
    for i in tables["incidents"]:
        out[i["id"]] = (_digest({
            "incident": i, "victims": sorted(victims.get(i["id"], []), key=json.dumps),
            "types": sorted(types.get(i["id"], [])),
            "sources": [sources.get(s) for s in i.get("sources") or []],
        }), i)
    return out


def _incident_ref(row):
    return {"id": row["id"], "update": row["update"], "country": row["country"], "date": row["date"]}


def _added_corrected_gone(before, after):
    added = [after[k][1] for k in sorted(after) if k not in before]
    corrected = [after[k][1] for k in sorted(after) if k in before and before[k][0] != after[k][0]]
    gone = [before[k][1] for k in sorted(before) if k not in after]
    return added, corrected, gone


def compute_changelog(previous_dir, current_dir, *, version, previous_version):
    names = ["ratings", "incidents", "incident_types", "victims", "sources", "updates"]
    current = _load_tables(current_dir, names)
    empty = {"added": [], "corrected": [], "retracted": []}
    changelog = {"version": version, "previous_version": previous_version,
                 "ratings": {"changed": [], "added": [], "removed": []},
                 "incidents": dict(empty), "updates": dict(empty)}
    if previous_dir is not None:
        previous = _load_tables(previous_dir, names)

        def by_key(rows):
            return {(r["edition"], r["country"]): r for r in rows}

        before, after = by_key(previous["ratings"]), by_key(current["ratings"])
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

        added, corrected, gone = _added_corrected_gone(_incident_digests(previous), _incident_digests(current))
        changelog["incidents"] = {"added": [_incident_ref(r) for r in added],
                                  "corrected": [_incident_ref(r) for r in corrected],
                                  "retracted": [_incident_ref(r) for r in gone]}

        def update_digests(tables):
            return {u["id"]: (_digest(u), u) for u in tables["updates"]}

        added, corrected, gone = _added_corrected_gone(update_digests(previous), update_digests(current))

        def ref(u):
            return {"id": u["id"], "country": u["country"], "date": u["date"]}

        changelog["updates"] = {"added": [ref(u) for u in added], "corrected": [ref(u) for u in corrected],
                                "retracted": [ref(u) for u in gone]}
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


def build_descriptor(directory, *, version, created, tables):
    resources = []
    for table in codebook.TABLES:
        path = directory / f"{table.name}.csv"
        resource = {
            "name": table.name, "title": table.title, "description": table.description,
            "path": path.name, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "bytes": path.stat().st_size, "hash": f"sha256:{_sha256(path)}",
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


def validate_package(descriptor_path):
    import frictionless

    report = frictionless.validate(str(descriptor_path))
    if not report.valid:
        problems = report.flatten(["type", "note", "message"])[:20] if report.tasks else []
        if not problems:
            problems = [[e.type, "", e.message] for e in report.errors[:20]]
        lines = "\n".join(f"  - {p[-1]}" for p in problems)
        raise ExportError(f"the data package is not valid; no release was made:\n{lines}")
    return report


# --- the export ---------------------------------------------------------------------------------------------

def _zip(directory, version):
    target = directory / zip_name(version)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.iterdir()):
            if path != target and path.is_file():
                archive.write(path, arcname=f"{PACKAGE_NAME}-{version}/{path.name}")
    return target


def export_release(out=None, *, destination=None, progress=None, now=None):
    """Write a complete release under `out` (default: the releases directory), or into `destination` itself
    when given (a new or empty folder; the changelog is still computed against the latest release under
    `out`); return its directory."""
    say = progress or (lambda message: None)
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
    try:
        tables, counts = {}, {}
        # One transaction, so that every table is read from the same state of the database (SQLite reads a
        # snapshot; PostgreSQL needs repeatable read, set when this is the outermost transaction).
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for n, table in enumerate(codebook.TABLES, start=1):
                say(f"[{n}/{len(codebook.TABLES)}] {table.name} ...")
                rows = getattr(selectors, table.name)()
                write_table(tmp, table, rows)
                tables[table.name] = rows
                counts[table.name] = len(rows)
        say(f"changelog against {previous_version or '(no previous release)'} ...")
        changelog = compute_changelog(directory / previous_version if previous_version else None, tmp,
                                      version=version, previous_version=previous_version)
        changelog["created"] = _utc(now)
        (tmp / CHANGELOG).write_text(json.dumps(changelog, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        say("datapackage.json ...")
        package = build_descriptor(tmp, version=version, created=_utc(now), tables=tables)
        (tmp / DESCRIPTOR).write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        say("validating with frictionless ...")
        validate_package(tmp / DESCRIPTOR)
        say("codebook ...")
        markdown = codebook.render_markdown_codebook(package, changelog, counts)
        (tmp / "codebook.md").write_text(markdown, encoding="utf-8")
        (tmp / "codebook.html").write_text(codebook.render_html_codebook(package, markdown), encoding="utf-8")
        say("zip ...")
        _zip(tmp, version)
        os.chmod(tmp, 0o755)  # mkdtemp made it private
        final = destination or directory / version
        try:
            if destination is not None and destination.exists():
                destination.rmdir()  # empty, checked above
            os.rename(tmp, final)
        except OSError as exc:
            raise ExportError(f"cannot move the release into {final}: {exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say(f"release {version}: {final}")
    return final


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
