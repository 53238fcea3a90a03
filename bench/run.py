"""The benchmark run behind `make bench`: every result is a ratio of two things measured side by side in the
same run on the same machine, because absolute times on a shared machine are noise.

    python -m bench.run [--label after] [--duration 10] [--skip-postgres] [--skip-io]

Needs the benchmark databases (bench/generate.py; `make bench` builds them once), Debian's nginx and wrk, and
Datasette in var/bench/venv. Writes bench/results/<label>.json, latest.json and latest.md (with the before/after
table when bench/results/before.json exists); raw dumps and exports go to var/bench/raw (never committed).
Servers listen on 127.0.0.1 only and are stopped at the end; every load test stops by itself.
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from bench.generate import BENCH_VAR, DEFAULT_PG_URL, DEFAULT_SEED, ROOT

RESULTS = ROOT / "bench" / "results"
RAW = BENCH_VAR / "raw"
SQLITE_DB = Path(os.environ.get("BENCH_SQLITE", BENCH_VAR / "bench.sqlite3"))
SQLITE_URL = f"sqlite:///{SQLITE_DB}"
PG_URL = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CIVICSPACE = str(ROOT / ".venv" / "bin" / "civicspace")
DATASETTE = str(BENCH_VAR / "venv" / "bin" / "datasette")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
IMPORT_SCALE = float(os.environ.get("BENCH_IMPORT_SCALE", "0.1"))
# Alerts fan-out (issue 19): one publication to this many synthetic subscribers; the sending phase is capped at
# BENCH_ALERTS_SEND_LIMIT e-mails (one SMTP connection each: 100,000 would take most of the run), 0 = all.
ALERTS_SUBSCRIBERS = int(os.environ.get("BENCH_ALERTS_SUBSCRIBERS", "100000"))
ALERTS_SEND_LIMIT = int(os.environ.get("BENCH_ALERTS_SEND_LIMIT", "20000"))
# The application code measured: this checkout, or another one (e.g. a `git worktree` of an older commit, for
# the "before" column; it needs var/static and the compiled .mo files of its own).
CODE_ROOT = Path(os.environ.get("BENCH_CODE_ROOT", ROOT)).resolve()

PAGES = [
    ("home map", "/en/"),
    ("country page", "/en/countries/kgz/"),
    ("updates list, filtered", "/en/updates/?country=kgz&violation=journalist_detained"),
    ("search", "/en/search/?q=journalists+detained"),
]
# Tables the generator writes (the rows of the import benchmark) and that the export publishes.
GENERATED_TABLES = [
    "monitoring_organisation", "monitoring_update", "monitoring_update_freedoms", "monitoring_source",
    "monitoring_incident", "monitoring_incident_freedoms", "monitoring_incident_types",
    "monitoring_incident_perpetrators", "monitoring_victim", "legislation_bill", "legislation_billsource",
    "legislation_stageevent", "legislation_bill_freedoms", "legislation_bill_updates", "legislation_bill_incidents",
    "watchlist_watchlistedition", "watchlist_watchlistentry"]
EXPORTED_TABLES = GENERATED_TABLES + ["countries_region", "countries_country", "ratings_ratingedition",
                                      "ratings_publishedrating", "monitoring_term"]


def say(message):
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(database_url):
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings",
            "PYTHONPATH": f"{CODE_ROOT}:{ROOT}"}


class Server:
    """A server process group started here and stopped here (by its own process group id)."""

    def __init__(self, name, argv, port, env=None, cwd=ROOT, ready_path="/"):
        self.name, self.port = name, port
        log = open(RAW / f"{name}.log", "w")
        self.process = subprocess.Popen(argv, cwd=cwd, env=env or os.environ, stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=30).read()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{name} exited; see {RAW / (name + '.log')}")
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name} did not start on port {port}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_peaks_mb(self):
        """Peak resident memory (VmHWM) of each child of the server's master process."""
        peaks = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) != self.process.pid:
                    continue
                status = (stat.parent / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            if found:
                peaks.append(round(int(found.group(1)) / 1024, 1))
        return sorted(peaks)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def gunicorn(name, database_url):
    port = free_port()
    return Server(name, [GUNICORN, "civicspace.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                         "--timeout", "120", "--chdir", str(CODE_ROOT)], port, env=env_for(database_url),
                  ready_path="/healthz")


def nginx(root):
    port = free_port()
    prefix = BENCH_VAR / "nginx"
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(f"""daemon off;
worker_processes {WORKERS};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  types {{ text/html html; application/json json; }}
  default_type application/octet-stream;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    return Server("nginx", ["nginx", "-c", str(conf), "-p", str(prefix)], port)


def datasette():
    port = free_port()
    # --immutable: how one publishes a read-only data file with Datasette (no locking, counts cached).
    return Server("datasette", [DATASETTE, "serve", "--immutable", str(SQLITE_DB), "-h", "127.0.0.1", "-p", str(port),
                                "--setting", "sql_time_limit_ms", "10000"], port, ready_path="/-/versions.json")


# ------------------------------------------------------------------------------------------------ load

def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        status = response.status
    return status, body, time.perf_counter() - started


def wrk(url, duration):
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", "--timeout", "30s", url],
                         capture_output=True, text=True, check=True).stdout

    def ms(label):
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 3)

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": round(rps, 1), "p50_ms": ms("50%"), "p99_ms": ms("99%"),
            "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1).strip() if socket_errors else None}


def ratio(a, b, digits=4):
    return float(f"{a / b:.{digits}g}") if a and b else None


def compare_load(label, site, limit, duration):
    say(f"  wrk {label}: {site}")
    mine = wrk(site, duration)
    say(f"  wrk {label} (limit): {limit}")
    theirs = wrk(limit, duration)
    return {"site": mine, "limit": theirs, "rps_ratio": ratio(mine["rps"], theirs["rps"]),
            "p50_ratio": ratio(mine["p50_ms"], theirs["p50_ms"]),
            "p99_ratio": ratio(mine["p99_ms"], theirs["p99_ms"])}


def bench_pages(server, static_root, static_server, duration):
    results = {}
    for index, (label, path) in enumerate(PAGES):
        status, body, first = fetch(server.url(path))
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        second = fetch(server.url(path))[2]
        name = f"page-{server.name}-{index}.html"
        (static_root / name).write_bytes(body)  # the same bytes, served by nginx as a file
        result = compare_load(label, server.url(path), static_server.url(f"/{name}"), duration)
        results[label] = {"path": path, "bytes": len(body), "first_request_ms": round(first * 1000, 1),
                          "second_request_ms": round(second * 1000, 1), **result}
    return results


def api_paths(database_url):
    """A published update with about ten incidents (the API detail), found in the benchmark database."""
    sql = ("SELECT u.id FROM monitoring_update u JOIN monitoring_incident i ON i.update_id = u.id "
           "WHERE u.status = 'published' GROUP BY u.id HAVING count(*) BETWEEN 9 AND 12 ORDER BY u.id LIMIT 1")
    if database_url.startswith("sqlite"):
        with sqlite3.connect(SQLITE_DB) as db:
            update_id = db.execute(sql).fetchone()[0]
    else:
        update_id = int(subprocess.run(["psql", database_url, "-Atc", sql], capture_output=True, text=True,
                                       check=True).stdout.strip())
    # The updates list, equivalent work on both sides: the first page of published updates, newest first, walked
    # down the (status, date, id) index with a keyset and no count (the site's after=, Datasette's _next;
    # _nocount, _nofacet and _nosuggest: without them Datasette counts and tries facets over the whole table).
    return [
        ("updates list", "/api/v1/updates?page_size=20&after=",
         f"/{SQLITE_DB.stem}/monitoring_update.json?_size=20&status__exact=published&_sort_desc=date"
         "&_nocount=1&_nofacet=1&_nosuggest=1"),
        ("update detail", f"/api/v1/updates/{update_id}", f"/{SQLITE_DB.stem}/monitoring_update/{update_id}.json"),
        ("country detail", "/api/v1/countries/KGZ", f"/{SQLITE_DB.stem}/countries_country.json?code__exact=KGZ"),
    ]


def bench_api(server, peer, paths, duration):
    results = {}
    for label, path, peer_path in paths:
        for url in (server.url(path), peer.url(peer_path) if peer else None):
            if url:
                status = fetch(url)[0]
                if status != 200:
                    raise RuntimeError(f"{url}: HTTP {status}")
        if peer:
            results[label] = {"path": path, "peer_path": peer_path,
                              **compare_load(label, server.url(path), peer.url(peer_path), duration)}
        else:
            say(f"  wrk {label}: {server.url(path)}")
            results[label] = {"path": path, "site": wrk(server.url(path), duration)}
    return results


# --------------------------------------------------------------------------------------------- in-process

def inproc(task, database_url):
    say(f"  {task} on {database_url.split(':')[0]}")
    out = subprocess.run([PYTHON, str(ROOT / "bench" / "inproc.py"), task], cwd=CODE_ROOT, env=env_for(database_url),
                         capture_output=True, text=True)
    if out.returncode:
        lines = [line for line in out.stderr.strip().splitlines() if line.strip()]
        return {"error": lines[-1][:300] if lines else f"exit {out.returncode}", "stderr": out.stderr[-2000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def keep_stack_section(markdown, path):
    """The production stack's section (`make bench-stack`, bench/stack.py) is measured on its own: a run of this
    harness keeps the one already in `path` rather than dropping it."""
    from bench.stack import BEGIN, END

    old = path.read_text() if path.exists() else ""
    if BEGIN in markdown or BEGIN not in old or END not in old:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + old[old.index(BEGIN):old.index(END) + len(END)] + "\n"


def bench_alerts(subscribers, send_limit):
    """bench/alerts_fanout.py in its own process and its own SQLite file: the fan-out of one publication to
    `subscribers` synthetic subscribers (digests grouped), and the e-mails sent per second to a local SMTP sink
    against the sink's own rate. Its JSON, or the error."""
    say(f"  alerts fan-out to {subscribers:,} subscribers (sending capped at {send_limit or 'all'})")
    argv = [PYTHON, str(ROOT / "bench" / "alerts_fanout.py"), "--subscribers", str(subscribers)]
    if send_limit:
        argv += ["--send-limit", str(send_limit)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": f"{CODE_ROOT}:{ROOT}"}
    out = subprocess.run(argv, cwd=CODE_ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        lines = [line for line in out.stderr.strip().splitlines() if line.strip()]
        return {"error": lines[-1][:300] if lines else f"exit {out.returncode}", "stderr": out.stderr[-2000:]}
    return json.loads(out.stdout[out.stdout.index("{"):])


def run_timed(argv, *, env=None, stdout=None, stdin=None):
    """Wall time and peak RSS (MB) of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=CODE_ROOT, env=env or os.environ, stdout=stdout or subprocess.DEVNULL,
                               stdin=stdin, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"{argv[0]} failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return round(elapsed, 2), round(usage.ru_maxrss / 1024, 1)


# The tables `civicspace import_monitoring` writes: the rows of the product import's ratio.
IMPORT_TABLES = ["monitoring_update", "monitoring_update_freedoms", "monitoring_source", "monitoring_incident",
                 "monitoring_incident_freedoms", "monitoring_incident_types", "monitoring_incident_perpetrators",
                 "monitoring_incident_sources", "monitoring_victim"]


def _native_load(vendor, source_url, tables, template=None, repeat=1):
    """The database's own bulk load of `tables` of source_url: sqlite3 reading their .dump into a new file
    (CREATE + INSERTs in one transaction); psql restoring pg_dump --data-only (COPY) into a copy of `template`
    whose tables were emptied. The seconds of each of `repeat` loads, each into a fresh target."""
    dump = RAW / f"import-{vendor}.sql"
    runs = []
    if vendor == "sqlite":
        with open(dump, "w") as fh:
            subprocess.run(["sqlite3", source_url.split("sqlite:///", 1)[1], ".dump " + " ".join(tables)], stdout=fh,
                           check=True)
        target = BENCH_VAR / "import-load-bench.sqlite3"
        for _ in range(repeat):
            target.unlink(missing_ok=True)
            with open(dump) as fh:
                runs.append(run_timed(["sqlite3", str(target)], stdin=fh)[0])
        target.unlink(missing_ok=True)
        return runs
    base = PG_URL.rsplit("/", 1)[0]
    with open(dump, "w") as fh:
        subprocess.run(["pg_dump", "--data-only", "--disable-triggers", *[f"--table={t}" for t in tables],
                        source_url], stdout=fh, check=True)
    admin = base + "/postgres"
    for _ in range(repeat):
        subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS civicspace_bench_load WITH (FORCE)"],
                       check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE civicspace_bench_load TEMPLATE {template}"],
                       check=True)
        subprocess.run(["psql", base + "/civicspace_bench_load", "-qc",
                        "TRUNCATE " + ", ".join(tables) + " CASCADE"], check=True)
        with open(dump) as fh:
            runs.append(run_timed(["psql", "-q", base + "/civicspace_bench_load"], stdin=fh)[0])
    subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS civicspace_bench_load WITH (FORCE)"], check=True)
    return runs


IMPORT_REPEAT = 3  # each side's median: single runs of a few seconds moved the ratio by a quarter


def _dates_to_their_period(release):
    """The generator draws a day even for incidents whose date_precision is month or year; the product stores
    such a date as the first day of its period (the codebook's rule, which import_monitoring checks). Bring the
    release's dates to it before the import (not timed): the import would rightly refuse them otherwise."""
    import csv

    path = release / "incidents.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    date, precision = header.index("date"), header.index("date_precision")
    for row in rows[1:]:
        if row[precision] == "month":
            row[date] = row[date][:8] + "01"
        elif row[precision] == "year":
            row[date] = row[date][:5] + "01-01"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def bench_import(vendor):
    """The product's bulk import against the database's own bulk load of the same rows. The generated data
    (scale BENCH_IMPORT_SCALE) is exported with `civicspace export`, then `civicspace import_monitoring` loads
    that release's updates, incidents, victims and sources into an empty migrated database (reference data
    and the organisation only; published, ids kept, search marks left for the job); the native load is
    sqlite3 reading the .dump of the imported tables, or psql restoring pg_dump's COPY of them. The generator's
    own load (bulk_insert in batches, with the random draws) against the native load of every generated table
    is kept as generator_ratio."""
    RAW.mkdir(parents=True, exist_ok=True)
    base = PG_URL.rsplit("/", 1)[0]
    if vendor == "sqlite":
        db = BENCH_VAR / "import-bench.sqlite3"
        url = f"sqlite:///{db}"
        target_db = BENCH_VAR / "import-target-bench.sqlite3"
        target_db.unlink(missing_ok=True)
        target = f"sqlite:///{target_db}"
    else:
        url = base + "/civicspace_bench_import"
        target = base + "/civicspace_bench_import_target"
        subprocess.run(["psql", base + "/postgres", "-qc",
                        "DROP DATABASE IF EXISTS civicspace_bench_import_target WITH (FORCE)"], check=True)
        subprocess.run(["psql", base + "/postgres", "-qc", "CREATE DATABASE civicspace_bench_import_target"],
                       check=True)
    say(f"  import: generator at scale {IMPORT_SCALE} into {vendor}")
    subprocess.run([PYTHON, "-m", "bench.generate", "--scale", str(IMPORT_SCALE), "--no-search", "--database", url,
                    "--seed", str(DEFAULT_SEED)], cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    from bench.generate import meta_path
    from bench.texts import ORGANISATION_NAME, ORGANISATION_SLUG

    meta = json.loads(meta_path(url).read_text())
    generator_s = meta["timings"]["load_s"]
    generator_native_s = _native_load(vendor, url, GENERATED_TABLES, template="civicspace_bench_import")[0]
    release = RAW / f"import-release-{vendor}"
    shutil.rmtree(release, ignore_errors=True)
    say(f"  import: civicspace export, then an empty {vendor} database (migrate + reference data)")
    subprocess.run([CIVICSPACE, "export", "--out", str(release)], env=env_for(url), check=True,
                   stdout=subprocess.DEVNULL)
    _dates_to_their_period(release)
    create = ("from civicspace.monitoring.models import Organisation; "
              f"Organisation.objects.create(slug={ORGANISATION_SLUG!r}, name={ORGANISATION_NAME!r})")
    for argv in (["migrate", "-v0"], ["load_reference_data"], ["shell", "-c", create]):
        subprocess.run([CIVICSPACE, *argv], env=env_for(target), check=True, stdout=subprocess.DEVNULL)
    # The prepared database kept aside, so that each timed import starts from the same state.
    if vendor == "sqlite":
        ready_db = BENCH_VAR / "import-ready-bench.sqlite3"
        shutil.copyfile(target_db, ready_db)
    else:
        subprocess.run(["psql", base + "/postgres", "-qc",
                        "DROP DATABASE IF EXISTS civicspace_bench_import_ready WITH (FORCE)"], check=True)
        subprocess.run(["psql", base + "/postgres", "-qc", "CREATE DATABASE civicspace_bench_import_ready "
                        "TEMPLATE civicspace_bench_import_target"], check=True)
    import_runs = []
    for run in range(IMPORT_REPEAT):
        if run:
            if vendor == "sqlite":
                shutil.copyfile(ready_db, target_db)
            else:
                for sql in ("DROP DATABASE IF EXISTS civicspace_bench_import_target WITH (FORCE)",
                            "CREATE DATABASE civicspace_bench_import_target TEMPLATE civicspace_bench_import_ready"):
                    subprocess.run(["psql", base + "/postgres", "-qc", sql], check=True)
        say(f"  import: civicspace import_monitoring ({run + 1}/{IMPORT_REPEAT})")
        import_runs.append(run_timed([CIVICSPACE, "import_monitoring", str(release), "--organisation",
                                      ORGANISATION_SLUG, "--status", "published", "--keep-ids", "--public-names",
                                      "--index-later"], env=env_for(target)))
    import_s = statistics.median(seconds for seconds, _rss in import_runs)
    import_rss = max(rss for _seconds, rss in import_runs)
    if vendor == "sqlite":
        ready_db.unlink(missing_ok=True)
    else:
        subprocess.run(["psql", base + "/postgres", "-qc",
                        "DROP DATABASE IF EXISTS civicspace_bench_import_ready WITH (FORCE)"], check=True)
    rows = {}
    for table in IMPORT_TABLES:
        if vendor == "sqlite":
            rows[table] = sqlite3.connect(str(target_db)).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        else:
            rows[table] = int(subprocess.run(["psql", target, "-Atc", f"SELECT COUNT(*) FROM {table}"],
                                             capture_output=True, text=True, check=True).stdout)
    native_runs = _native_load(vendor, target, IMPORT_TABLES, template="civicspace_bench_import_target",
                               repeat=IMPORT_REPEAT)
    native_s = statistics.median(native_runs)
    shutil.rmtree(release, ignore_errors=True)
    if vendor == "sqlite":
        target_db.unlink(missing_ok=True)
    else:
        subprocess.run(["psql", base + "/postgres", "-qc",
                        "DROP DATABASE IF EXISTS civicspace_bench_import_target WITH (FORCE)"], check=True)
    native = ("sqlite3 CLI reading the .dump of the same rows (CREATE + INSERTs in one transaction)"
              if vendor == "sqlite" else "psql restoring pg_dump --data-only of the same rows (COPY)")
    return {"scale": IMPORT_SCALE, "rows": rows, "import_s": import_s, "import_peak_rss_mb": import_rss,
            "native_load_s": native_s, "native": native, "ratio": ratio(import_s, native_s),
            "import_runs_s": [seconds for seconds, _rss in import_runs], "native_runs_s": native_runs,
            "generated_rows": meta["counts"], "generator_load_s": generator_s,
            "generator_native_load_s": generator_native_s, "generator_ratio": ratio(generator_s, generator_native_s)}


def bench_export(vendor, url, db_file=None):
    """`civicspace export --out DIR` (CSV + JSON per table, datapackage, codebook, changelog, validated) against
    the database's own dump of the tables it reads (sqlite3 .dump; pg_dump --data-only, i.e. COPY TO)."""
    out = RAW / f"export-{vendor}"
    releases = RAW / f"releases-{vendor}"
    for path in (out, releases):
        shutil.rmtree(path, ignore_errors=True)
    releases.mkdir(parents=True)
    say(f"  export on {vendor}")
    export_s, export_rss = run_timed([CIVICSPACE, "export", "--out", str(out), "--releases", str(releases)],
                                     env=env_for(url))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    with open(RAW / f"dump-{vendor}.sql", "w") as fh:
        if vendor == "sqlite":
            native_s, native_rss = run_timed(["sqlite3", str(db_file or SQLITE_DB), ".dump " + " ".join(EXPORTED_TABLES)],
                                             stdout=fh)
        else:
            native_s, native_rss = run_timed(["pg_dump", "--data-only", *[f"--table={t}" for t in EXPORTED_TABLES],
                                              url], stdout=fh)
    shutil.rmtree(out, ignore_errors=True)
    return {"export_s": export_s, "export_peak_rss_mb": export_rss, "export_bytes": size, "native_s": native_s,
            "native": "sqlite3 .dump" if vendor == "sqlite" else "pg_dump --data-only (COPY TO)",
            "ratio": ratio(export_s, native_s)}


# ------------------------------------------------------------------------------------------------ report

def machine():
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    sqlite_version = sqlite3.sqlite_version
    pg = subprocess.run(["psql", PG_URL, "-Atc", "SHOW server_version"], capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(int(mem) / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": sqlite_version, "postgresql": pg or None,
            "workers": WORKERS}


def run(args):
    RAW.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    static_root = BENCH_VAR / "static-pages"
    shutil.rmtree(static_root, ignore_errors=True)
    static_root.mkdir(parents=True)
    static_root.chmod(0o755)
    started = time.monotonic()
    commit = subprocess.run(["git", "-C", str(CODE_ROOT), "log", "-1", "--format=%h %s"], capture_output=True,
                            text=True).stdout.strip()
    report = {"label": args.label, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "code": commit[:100],
              "machine": machine(), "wrk": f"wrk -t2 -c8 -d{args.duration}s --latency (loopback)",
              "dataset": {}}
    for name, url in (("sqlite", SQLITE_URL), ("postgresql", PG_URL)):
        from bench.generate import meta_path
        try:
            report["dataset"][name] = json.loads(meta_path(url).read_text())
        except OSError:
            pass
    servers = []
    try:
        static = nginx(static_root)
        servers.append(static)
        targets = [("sqlite", SQLITE_URL)] + ([] if args.skip_postgres else [("postgresql", PG_URL)])
        peer = datasette()
        servers.append(peer)
        for vendor, url in targets:
            say(f"pages and API on {vendor}")
            app = gunicorn(f"gunicorn-{vendor}", url)
            servers.append(app)
            report[f"pages_{vendor}"] = bench_pages(app, static_root, static, args.duration)
            # Datasette serves the SQLite file in both cases: the peer a data user would pick.
            report[f"api_{vendor}"] = bench_api(app, peer, api_paths(url), args.duration)
            report[f"worker_peak_rss_mb_{vendor}"] = app.worker_peaks_mb()
            app.stop()
    finally:
        for server in servers:
            server.stop()
    for vendor, url in targets:
        report[f"search_{vendor}"] = inproc("search", url)
        # The product's bulk rebuild of the first updates' documents vs inserting the same rows alone (rolled back).
        report[f"reindex_{vendor}"] = inproc("reindex", url)
    report["signals_sqlite"] = inproc("signals", SQLITE_URL)
    if not args.skip_mirror:  # SQLite only: one build is minutes at full scale
        report["mirror_sqlite"] = inproc("mirror", SQLITE_URL)
    if not args.skip_postgres:
        report["signals_postgresql"] = inproc("signals", PG_URL)
    if not args.skip_io:
        # The import's database (scale BENCH_IMPORT_SCALE) is exported too: a ratio every run can afford;
        # --full-export adds the full-scale export on both databases.
        report["import_sqlite"] = bench_import("sqlite")
        import_db = BENCH_VAR / "import-bench.sqlite3"
        report["export_sqlite"] = {"scale": IMPORT_SCALE,
                                   **bench_export("sqlite", f"sqlite:///{import_db}", import_db)}
        if args.full_export:
            report["export_full_sqlite"] = {"scale": report["dataset"].get("sqlite", {}).get("scale"),
                                            **bench_export("sqlite", SQLITE_URL)}
        if not args.skip_postgres:
            report["import_postgresql"] = bench_import("postgresql")
            report["export_postgresql"] = {"scale": IMPORT_SCALE, **bench_export(
                "postgresql", PG_URL.rsplit("/", 1)[0] + "/civicspace_bench_import")}
            if args.full_export:
                report["export_full_postgresql"] = {"scale": report["dataset"].get("postgresql", {}).get("scale"),
                                                    **bench_export("postgresql", PG_URL)}

    if not args.skip_alerts:
        report["alerts"] = bench_alerts(args.alerts_subscribers, args.alerts_send_limit)

    # A section skipped in this run keeps the last run's numbers, marked with the run they come from.
    previous = RESULTS / "latest.json"
    if previous.exists() and args.label != "before":
        last = json.loads(previous.read_text())
        for key in ("mirror_sqlite", "alerts", "stack"):
            if key not in report and isinstance(last.get(key), dict):
                report[key] = {**last[key], "carried_from": last[key].get("carried_from")
                               or f"{last.get('date', '')} {last.get('code', '')}"[:80]}
    report["duration_s"] = round(time.monotonic() - started, 1)
    (RESULTS / f"{args.label}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    from bench.report import render

    before = RESULTS / "before.json"
    markdown = render(report, json.loads(before.read_text()) if before.exists() and args.label != "before" else None)
    (RESULTS / "latest.md").write_text(keep_stack_section(markdown, RESULTS / "latest.md"))
    say(f"done in {report['duration_s']}s: {RESULTS / 'latest.md'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="latest", help="also saved as bench/results/<label>.json")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-io", action="store_true", help="skip the import and export benchmarks")
    parser.add_argument("--full-export", action="store_true", help="also export the full-scale databases")
    parser.add_argument("--skip-alerts", action="store_true", help="skip the alerts fan-out benchmark")
    parser.add_argument("--alerts-subscribers", type=int, default=ALERTS_SUBSCRIBERS)
    parser.add_argument("--alerts-send-limit", type=int, default=ALERTS_SEND_LIMIT)
    parser.add_argument("--skip-mirror", action="store_true", help="skip the mirror build benchmark")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
