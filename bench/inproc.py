"""Measurements made inside one Django process against a benchmark database (DATABASE_URL), each beside its
limit measured on the same connection: `python -m bench.inproc search|reindex|signals|mirror`. Prints one JSON object.

- search: the site's full-text search (civicspace.search.selectors.search: match, rank, count, page, snippets)
  against the raw FTS query alone (SQLite: FTS5 MATCH on the stems; PostgreSQL: @@ on the tsvector), each
  counting the matches and fetching the best 20; median and p95 of SEARCH_BENCH_REPEAT runs (default 5) after
  one warm-up, the site's and the raw query's runs interleaved. The ratio is of the medians; ratio_p95 of the
  p95s.
- reindex: the product's bulk rebuild of the search index (services.index_rebuild_records) for the first
  REINDEX_BENCH_UPDATES published updates (default 1000: about 55,000 documents at scale 1): their old
  documents deleted, the new ones built from the records, inserted and indexed (FTS5 stems / tsvector),
  against inserting the very same rows (read back after the rebuild, then deleted) into search_document alone
  with one executemany (SQLite) or COPY (PostgreSQL), no full-text index written. Measured in steady state:
  the next REINDEX_BENCH_UPDATES updates are rebuilt first with the same memo of stems (their time is
  cold_rebuild_s). All in one transaction that is rolled back.
- mirror: `civicspace mirror build` (civicspace/mirror) of one language and the pages of a few countries
  (MIRROR_BENCH_COUNTRIES, default the country with the most updates; MIRROR_BENCH_ONLY sections), in pages
  per second, first a full build, then an incremental rebuild after one update is published through the
  service; each against copying the same mirror's bytes as files (shutil.copytree: files per second). All in a
  transaction that is rolled back: the benchmark database is left as it was.
- signals: the Watchlist signals for every country (watchlist.selectors.candidates, which feeds the pure
  risk.py) and every country's guiding score (civicspace.ratings.services.scoring.scores_compute_all, when it
  exists, as of the same date, in a transaction that is rolled back) against one aggregate scan of the
  incidents (count per country); each the median of three runs after a warm-up.
"""
import datetime as dt
import json
import math
import os
import statistics
import sys
import time

QUERIES = [("en", "journalists detained"), ("en", '"foreign agent"'), ("en", "protest -police"),
           ("ru", "задержание журналистов"), ("fr", "manifestants pacifiques"), ("es", "periodistas OR blogueros"),
           ("ar", "صحفيين")]
AS_OF = dt.date(2025, 10, 31)


def timed(fn, repeat, warm_up=True):
    if warm_up:
        fn()  # caches, the database file in the OS page cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed_pair(first, second, repeat):
    """((median, p95) of first, (median, p95) of second), their runs interleaved so that both see the same
    load of a shared machine (one warm-up each)."""
    first(), second()
    times = ([], [])
    for _ in range(repeat):
        for fn, out in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)

    def stats(values):
        ordered = sorted(values)
        return statistics.median(values), ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]

    return stats(times[0]), stats(times[1])


def search(repeat=None):
    from django.db import connection

    from civicspace.search import selectors, text
    from civicspace.search.engine import get_engine

    repeat = repeat or int(os.environ.get("SEARCH_BENCH_REPEAT", "5"))
    engine = get_engine()
    rows = []
    for lang, q in QUERIES:
        def site():
            page = selectors.search(q, lang=lang)
            return page.paginator.count, list(page.object_list)

        if connection.vendor == "sqlite":
            expression = text.to_fts5(text.parse(q), lang)

            def raw():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM search_document_fts WHERE search_document_fts MATCH %s",
                                   [expression])
                    cursor.fetchone()
                    cursor.execute("SELECT rowid FROM search_document_fts WHERE search_document_fts MATCH %s "
                                   "ORDER BY rank LIMIT 20", [expression])
                    cursor.fetchall()
        else:
            config, websearch = engine.config(lang), text.parse(q).websearch()

            def raw():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM search_document "
                                   "WHERE vector @@ websearch_to_tsquery(%s::regconfig, %s)", [config, websearch])
                    cursor.fetchone()
                    cursor.execute("SELECT id FROM search_document, websearch_to_tsquery(%s::regconfig, %s) q "
                                   "WHERE vector @@ q ORDER BY ts_rank(vector, q) DESC LIMIT 20",
                                   [config, websearch])
                    cursor.fetchall()

        page = selectors.search(q, lang=lang)
        matches = page.paginator.count
        (t_site, p_site), (t_raw, p_raw) = timed_pair(site, raw, repeat)
        rows.append({"lang": lang, "q": q, "matches": matches,
                     "site_ms": round(t_site * 1000, 2), "raw_ms": round(t_raw * 1000, 2),
                     "site_p95_ms": round(p_site * 1000, 2), "raw_p95_ms": round(p_raw * 1000, 2),
                     "ratio": round(t_site / t_raw, 2) if t_raw else None,
                     "ratio_p95": round(p_site / p_raw, 2) if p_raw else None})
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    ratios_p95 = [r["ratio_p95"] for r in rows if r["ratio_p95"]]
    return {"queries": rows, "repeat": repeat,
            "geomean_ratio": round(statistics.geometric_mean(ratios), 2) if ratios else None,
            "max_ratio": max(ratios) if ratios else None,
            "geomean_ratio_p95": round(statistics.geometric_mean(ratios_p95), 2) if ratios_p95 else None}


def reindex():
    """See the module's docstring. Prints the seconds of each part and rebuild_s / insert_s."""
    from django.db import connection, transaction

    from civicspace.monitoring.models import Update
    from civicspace.search import services
    from civicspace.search.engine import COLUMNS
    from civicspace.search.models import Kind

    limit = int(os.environ.get("REINDEX_BENCH_UPDATES", "1000"))
    published = list(Update.objects.published().order_by("pk").values_list("pk", flat=True)[:2 * limit])
    pks, warm_up = published[:limit], published[limit:]
    postgres = connection.vendor == "postgresql"
    where = "(kind = %s AND object_id IN ({ids})) OR (kind = %s AND parent_id IN ({ids}))".format(
        ids=", ".join(str(int(pk)) for pk in pks))
    result = {"updates": len(pks)}

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            # Steady state, as in the middle of a whole rebuild: the next `limit` updates rebuilt first with
            # the same memo of stems (a cold start is reported too: cold_rebuild_s).
            memo = {}
            started = time.perf_counter()
            services.index_rebuild_records(Kind.UPDATE, warm_up, memo=memo)
            result["cold_rebuild_s"] = round(time.perf_counter() - started, 3)
            result["cold_updates"] = len(warm_up)
            started = time.perf_counter()
            documents = services._documents(Kind.UPDATE, pks)  # the Python part alone, for the breakdown
            result["build_documents_s"] = round(time.perf_counter() - started, 3)
            del documents
            started = time.perf_counter()
            documents = services.index_rebuild_records(Kind.UPDATE, pks, memo=memo)
            rebuild_s = time.perf_counter() - started
            with connection.cursor() as cursor:
                # The rebuilt documents with their full-text entries as the database holds them: on PostgreSQL
                # the vector column (as text, parsed again by COPY), on SQLite the FTS5 row of stems.
                vector = ", vector::text" if postgres else ""
                cursor.execute(f"SELECT id, {', '.join(COLUMNS)}{vector} FROM search_document WHERE {where} "
                               "ORDER BY id", [Kind.UPDATE, Kind.INCIDENT])
                full_rows = cursor.fetchall()
                rows = [row[1:1 + len(COLUMNS)] for row in full_rows]
                fts_rows = []
                if not postgres:
                    cursor.execute(f"SELECT rowid, title, text FROM search_document_fts WHERE rowid IN "
                                   f"(SELECT id FROM search_document WHERE {where}) ORDER BY rowid",
                                   [Kind.UPDATE, Kind.INCIDENT])
                    fts_rows = cursor.fetchall()
                delete = f"DELETE FROM search_document WHERE {where}"

                def rows_alone():  # 1. the rows alone (no full-text entry)
                    if postgres:
                        with cursor.cursor.copy(f"COPY search_document ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                    else:
                        cursor.executemany(f"INSERT INTO search_document ({', '.join(COLUMNS)}) "
                                           f"VALUES ({', '.join(['%s'] * len(COLUMNS))})", rows)

                def with_entries():
                    # 2. The same documents with their full-text entries, computed already (no stemming, no
                    # document building): what the database itself must write to hold them searchable.
                    if postgres:
                        with cursor.cursor.copy(f"COPY search_document (id, {', '.join(COLUMNS)}, vector) "
                                                "FROM STDIN") as copy:
                            for row in full_rows:
                                copy.write_row(row)
                    else:
                        cursor.executemany(f"INSERT INTO search_document (id, {', '.join(COLUMNS)}) "
                                           f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})", full_rows)
                        cursor.executemany("INSERT INTO search_document_fts (rowid, title, text) "
                                           "VALUES (%s, %s, %s)", fts_rows)

                # Each twice, alternating, the faster run of each (the first write into the table pays for
                # warming it, whichever it is). The delete before each (on SQLite its trigger empties the
                # FTS5 rows) is not timed.
                times = {rows_alone: [], with_entries: []}
                for write in (rows_alone, with_entries, rows_alone, with_entries):
                    cursor.execute(delete, [Kind.UPDATE, Kind.INCIDENT])
                    started = time.perf_counter()
                    write()
                    times[write].append(time.perf_counter() - started)
                insert_s, insert_indexed_s = min(times[rows_alone]), min(times[with_entries])
            raise Rollback
    except Rollback:
        pass
    result.update(documents=documents, rows=len(rows), rebuild_s=round(rebuild_s, 3), insert_s=round(insert_s, 3),
                  rebuild_docs_per_s=round(documents / rebuild_s, 1), ratio=round(rebuild_s / insert_s, 2),
                  fts_rows=len(fts_rows), insert_indexed_s=round(insert_indexed_s, 3),
                  indexed_ratio=round(rebuild_s / insert_indexed_s, 2))
    return result


def signals(repeat=3):
    from django.db import connection

    from civicspace.watchlist import selectors

    def scan():
        with connection.cursor() as cursor:
            cursor.execute("SELECT u.country_id, count(*) FROM monitoring_incident i "
                           "JOIN monitoring_update u ON u.id = i.update_id "
                           "WHERE u.status = 'published' AND i.date <= %s GROUP BY u.country_id", [AS_OF])
            return cursor.fetchall()

    countries = len(scan())
    t_scan = timed(scan, 3)
    result = {"countries_with_incidents": countries, "scan_ms": round(t_scan * 1000, 2)}
    try:
        # Measured as the scan is: one warm-up run, then the median of `repeat` (a single cold run when the
        # signals took minutes; now that they take a fraction of a second, one run is mostly noise).
        t_signals = timed(lambda: selectors.candidates(as_of=AS_OF), repeat)
    except Exception as exc:  # e.g. SQLite's limit on query parameters: a finding, not a reason to stop
        result["signals"] = f"failed: {type(exc).__name__}: {exc}"[:300]
    else:
        result.update(signals_ms=round(t_signals * 1000, 2), signals_ratio=round(t_signals / t_scan, 1))
    try:
        from civicspace.ratings.services.scoring import scores_compute_all
    except ImportError as exc:
        result["scores"] = f"not available ({exc})"
    else:
        from django.db import transaction

        def scores():
            # As of the same date as the scan and the signals (the default, today, would slide the windows
            # with the calendar), and rolled back: the writes (delete, bulk insert, audit) are measured, but
            # the benchmark database is left as it was (each run used to add a day's scores to it).
            with transaction.atomic():
                scores_compute_all(as_of=AS_OF)
                transaction.set_rollback(True)

        try:
            t_scores = timed(scores, repeat)
        except Exception as exc:  # a colleague's work in progress: report, do not fail the whole run
            result["scores"] = f"failed: {type(exc).__name__}: {exc}"[:300]
        else:
            result.update(scores_ms=round(t_scores * 1000, 2), scores_ratio=round(t_scores / t_scan, 1))
    return result


def mirror():
    import datetime as dt
    import shutil
    import tempfile
    from pathlib import Path

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count

    from civicspace.accounts.models import Profile, Role
    from civicspace.countries.models import Country
    from civicspace.mirror import builder, signing
    from civicspace.monitoring import services
    from civicspace.monitoring.models import Incident, Organisation, Source, Status, Term, Update

    codes = [c for c in os.environ.get("MIRROR_BENCH_COUNTRIES", "").lower().split(",") if c]
    if not codes:
        top = Update.objects.published().values("country__code").annotate(n=Count("pk")).order_by("-n").first()
        codes = [top["country__code"].lower()]
    only = [s for s in os.environ.get("MIRROR_BENCH_ONLY", "pages,countries,updates,feeds").split(",") if s]
    key = signing.private_key_load(signing.keypair_new()[0])
    root = Path(tempfile.mkdtemp(prefix="mirror-bench-"))
    result = {"languages": ["en"], "countries": codes, "only": only}

    class Rollback(Exception):
        pass

    def build(out, incremental=False):
        started = time.perf_counter()
        built = builder.mirror_build(builder.Options(out=out, languages=["en"], countries=codes, only=only,
                                                     incremental=incremental, pagefind=False), signing_key=key)
        seconds = time.perf_counter() - started
        return built, seconds

    def copy(source, name):
        started = time.perf_counter()
        shutil.copytree(source, root / name)
        seconds = time.perf_counter() - started
        files = sum(1 for p in (root / name).rglob("*") if p.is_file())
        return files / seconds

    try:
        with transaction.atomic():
            full, full_s = build(root / "mirror")
            copy_full = copy(root / "mirror", "copy-full")
            country = Country.objects.get(code=codes[0].upper())
            staff = Organisation.objects.create(slug="synthetic-bench-staff", name="Synthetic bench staff")
            editor = get_user_model().objects.create_user(username="synthetic-bench-editor",
                                                          email="editor@bench.invalid")
            Profile.objects.create(user=editor, role=Role.EDITOR, organisation=staff).countries.set([country])
            update = Update.objects.create(country=country, date=dt.date(2025, 10, 30), original_language="en",
                                           title_en="[SYNTHETIC] Benchmark update", summary_en="[SYNTHETIC]",
                                           body_en="[SYNTHETIC]", organisation=staff, created_by=editor,
                                           status=Status.VERIFIED)
            incident = Incident.objects.create(update=update, date=dt.date(2025, 10, 1), date_precision="month",
                                               description_en="[SYNTHETIC]")
            freedom = Term.objects.filter(vocabulary="freedom").order_by("pk")[:1]
            update.freedoms.set(freedom)
            source = Source.objects.create(update=update, title="[SYNTHETIC] source", publisher="Synthetic",
                                           url="https://example.org/synthetic")
            incident.types.set(Term.objects.filter(vocabulary="violation").order_by("pk")[:1])
            incident.freedoms.set(freedom)
            incident.sources.set([source])
            services.update_transition(update=update, actor=editor, name="publish")
            again, again_s = build(root / "mirror", incremental=True)
            copy_again = copy(root / "mirror", "copy-again")
            raise Rollback
    except Rollback:
        pass
    finally:
        shutil.rmtree(root, ignore_errors=True)
    full_rate, again_rate = full.rendered / full_s, again.rendered / again_s
    result.update(
        full_pages=full.rendered, full_s=round(full_s, 2), full_pages_per_s=round(full_rate, 2),
        copy_files_per_s=round(copy_full, 1), full_ratio=round(full_rate / copy_full, 6),
        incremental=not again.full, incremental_reason=again.reason, incremental_pages=again.rendered,
        incremental_s=round(again_s, 2), incremental_pages_per_s=round(again_rate, 2),
        incremental_copy_files_per_s=round(copy_again, 1), incremental_ratio=round(again_rate / copy_again, 6),
        incremental_time_ratio=round(again_s / full_s, 4))
    return result


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    task = argv[0]
    result = {"search": search, "reindex": reindex, "signals": signals, "mirror": mirror}[task]()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
