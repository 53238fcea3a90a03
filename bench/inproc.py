"""Measurements made inside one Django process against a benchmark database (DATABASE_URL), each beside its
limit measured on the same connection: `python -m bench.inproc search|signals`. Prints one JSON object.

- search: the site's full-text search (civicspace.search.selectors.search: match, rank, count, page, snippets)
  against the raw FTS query alone (SQLite: FTS5 MATCH on the stems; PostgreSQL: @@ on the tsvector), each
  counting the matches and fetching the best 20.
- signals: the Watchlist signals for every country (watchlist.selectors.candidates, which feeds the pure
  risk.py) and every country's guiding score (civicspace.ratings.services.scoring.scores_compute_all, when it
  exists) against one aggregate scan of the incidents (count per country).
"""
import datetime as dt
import json
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


def search(repeat=5):
    from django.db import connection

    from civicspace.search import selectors, text
    from civicspace.search.engine import get_engine

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

        matches = site()[0]
        t_site, t_raw = timed(site, repeat), timed(raw, repeat)
        rows.append({"lang": lang, "q": q, "matches": matches, "site_ms": round(t_site * 1000, 2),
                     "raw_ms": round(t_raw * 1000, 2), "ratio": round(t_site / t_raw, 2) if t_raw else None})
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    return {"queries": rows, "geomean_ratio": round(statistics.geometric_mean(ratios), 2) if ratios else None}


def signals(repeat=1):
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
        t_signals = timed(lambda: selectors.candidates(as_of=AS_OF), repeat, warm_up=False)  # minutes before
    except Exception as exc:  # e.g. SQLite's limit on query parameters: a finding, not a reason to stop
        result["signals"] = f"failed: {type(exc).__name__}: {exc}"[:300]
    else:
        result.update(signals_ms=round(t_signals * 1000, 2), signals_ratio=round(t_signals / t_scan, 1))
    try:
        from civicspace.ratings.services.scoring import scores_compute_all
    except ImportError as exc:
        result["scores"] = f"not available ({exc})"
    else:
        try:
            t_scores = timed(scores_compute_all, repeat, warm_up=False)
        except Exception as exc:  # a colleague's work in progress: report, do not fail the whole run
            result["scores"] = f"failed: {type(exc).__name__}: {exc}"[:300]
        else:
            result.update(scores_ms=round(t_scores * 1000, 2), scores_ratio=round(t_scores / t_scan, 1))
    return result


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    task = argv[0]
    result = {"search": search, "signals": signals}[task]()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
