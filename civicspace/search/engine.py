"""The two full-text engines behind one interface: PostgreSQL text search (production) and SQLite FTS5 with
Snowball stems computed in Python (embedded mode). Chosen by the connection's vendor.

    engine = get_engine()
    engine.insert(documents, memo)   # save new SearchDocuments in bulk, with their index entries
    engine.match(query, lang)        # (sql, params): SELECT id, score, date of the matching documents of `lang`
    engine.headlines(docs, query)    # {id: (title_html, snippet_html)}: escaped, matches in <mark>
    engine.clear_orphans()

A document's text is searched with the stemmer (PostgreSQL configuration) of the language it is written in
(`text_language`); the query is stemmed the same way for each language; the languages where that gives the
same query share one branch, and the branches are joined with UNION ALL (each document is in exactly one
branch, and each branch can use the index).
"""
from django.conf import settings
from django.db import connection as default_connection
from django.utils import timezone

from . import text
from .models import Kind

LANGS = [code for code, _name in settings.LANGUAGES]
TITLE_WEIGHT, TEXT_WEIGHT = 3.0, 1.0  # SQLite bm25 column weights (PostgreSQL: title 'A', text 'B')
SNIPPET_WORDS = 30


def get_engine(connection=None):
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        return PostgresEngine(connection)
    if connection.vendor == "sqlite":
        return SqliteEngine(connection)
    raise NotImplementedError(f"full-text search is not implemented for {connection.vendor}")


# The columns a bulk insert writes (everything but the id and the full-text index).
COLUMNS = ("kind", "object_id", "parent_id", "language", "text_language", "title", "text", "url", "country_id",
           "date", "date_precision", "indexed_at")


class _Engine:
    def __init__(self, connection):
        self.connection = connection

    def rows(self, documents):
        """The documents as rows of COLUMNS, ready for executemany or COPY."""
        ops, now = self.connection.ops, timezone.now()
        indexed_at = ops.adapt_datetimefield_value(now)
        for doc in documents:
            doc.indexed_at = now
        return [(d.kind, d.object_id, d.parent_id, d.language, d.text_language, d.title, d.text, d.url,
                 d.country_id, ops.adapt_datefield_value(d.date), d.date_precision, indexed_at) for d in documents]

    def headlines(self, documents, query):
        """Title and snippet of each document with the words matching the query (by Snowball stem, in the
        text's language) in <mark>, the rest HTML-escaped. Done in Python on both databases: the snippet
        is the text the page shows (PostgreSQL's ts_headline would drop anything that looks like a tag)."""
        result, stems, memos = {}, {}, {}
        for doc in documents:
            lang = doc.text_language
            if lang not in stems:  # the query's stems once per language, and each word looked up once
                stems[lang], memos[lang] = text.query_stems(query, lang), {}
            wanted, memo = stems[lang], memos[lang]
            title = (text.highlight(doc.title, set(), lang) if doc.kind == Kind.INCIDENT
                     else text.highlight(doc.title, wanted, lang, memo=memo))
            result[doc.pk] = (title, text.highlight(doc.text, wanted, lang, size=SNIPPET_WORDS, memo=memo))
        return result


# ------------------------------------------------------------------------------------------- PostgreSQL

BULK_GIN_DOCUMENTS = 1000  # from this many documents at once, PostgreSQL's GIN pending list is merged in bulk
PG_CONFIGS = {"en": "english", "ru": "russian", "fr": "french", "es": "spanish", "ar": "arabic"}
_pg_available = {}  # connection alias -> set of configuration names (read once per process)
_gin_owner = {}  # connection alias -> whether it may merge the GIN index's pending list


class PostgresEngine(_Engine):
    def config(self, lang):
        """The text search configuration of a language; 'simple' when the server has none for it (arabic
        exists from PostgreSQL 15 on: `SELECT cfgname FROM pg_ts_config`)."""
        alias = self.connection.alias
        if alias not in _pg_available:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT cfgname FROM pg_ts_config")
                _pg_available[alias] = {row[0] for row in cursor.fetchall()}
        name = PG_CONFIGS.get(lang, "simple")
        return name if name in _pg_available[alias] else "simple"

    def _configs_values(self):
        sql = ", ".join(["(%s, %s::regconfig)"] * len(LANGS))
        params = [p for lang in LANGS for p in (lang, self.config(lang))]
        return sql, params

    def insert(self, documents, memo=None):
        """COPY the rows into a temporary table, then one INSERT … SELECT writes them with their vectors
        computed by PostgreSQL (each row is written once, the GIN index updated once per row, from its
        pending list). A vector is computed once per distinct text: the five languages' documents of a record
        mostly show the same text in the same language, so a batch has about ten times fewer distinct
        (language, title, text) than documents (`g` numbers them, `first` marks the row whose vector is
        computed). Measured against COPying the vectors' text straight into search_document: slower
        (PostgreSQL parses every row's vector text again). Call inside a transaction. `memo` is not needed:
        PostgreSQL stems in C."""
        if not documents:
            return
        values, params = self._configs_values()
        columns = ", ".join(COLUMNS)
        bulk = len(documents) >= BULK_GIN_DOCUMENTS and self._may_merge_gin()
        with self.connection.cursor() as cursor:
            if bulk:
                # New GIN entries wait in the index's pending list, merged into the index each time the list is
                # full: a larger list merges fewer, larger sorted runs. Merged before the transaction commits,
                # so searches never read a long pending list.
                cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS search_document_load ON COMMIT DROP AS "
                           f"SELECT {columns}, 0 AS g, true AS first FROM search_document WITH NO DATA")
            groups = {}
            with cursor.cursor.copy(f"COPY search_document_load ({columns}, g, first) FROM STDIN") as copy:
                for doc, row in zip(documents, self.rows(documents)):
                    key = (doc.text_language, "" if doc.kind == Kind.INCIDENT else doc.title, doc.text)
                    g = groups.get(key)
                    if g is None:
                        g = groups[key] = len(groups)
                        copy.write_row((*row, g, True))
                    else:
                        copy.write_row((*row, g, False))
            # MATERIALIZED: each distinct vector computed once, never pulled up into the per-row select list.
            cursor.execute(
                "WITH v AS MATERIALIZED (SELECT s.g, "
                f"setweight(to_tsvector(c.cfg, CASE WHEN s.kind = '{Kind.INCIDENT}' THEN '' ELSE s.title END), 'A')"
                " || setweight(to_tsvector(c.cfg, s.text), 'B') AS vector "
                f"FROM search_document_load s JOIN (VALUES {values}) AS c(lang, cfg) ON c.lang = s.text_language "
                "WHERE s.first) "
                f"INSERT INTO search_document ({columns}, vector) SELECT {', '.join('s.' + c for c in COLUMNS)}, "
                "v.vector FROM search_document_load s JOIN v ON v.g = s.g",
                params)
            cursor.execute("TRUNCATE search_document_load")
            if bulk:
                cursor.execute("SELECT gin_clean_pending_list(to_regclass('search_document_vector'))")
                cursor.execute("RESET gin_pending_list_limit")

    def _may_merge_gin(self):
        """gin_clean_pending_list is for superusers and the index's owner (who runs the migrations); anyone
        else leaves the pending list to its usual size and to autovacuum. Asked once per process."""
        alias = self.connection.alias
        if alias not in _gin_owner:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_has_role(relowner, 'USAGE') FROM pg_class "
                               "WHERE oid = to_regclass('search_document_vector')")
                row = cursor.fetchone()
            if row is None:  # no index (the benchmark generator builds it at the end): ask again later
                return False
            _gin_owner[alias] = bool(row[0])
        return _gin_owner[alias]

    def clear_orphans(self):
        pass  # the vector is a column of the document's own row

    def match(self, query, lang):
        websearch = query.websearch()
        if not websearch:
            return None
        # The query in each text language's configuration, computed once (one round trip): the languages
        # whose configurations give the same tsquery share one branch, so the GIN index is read once for them.
        values, params = self._configs_values()
        with self.connection.cursor() as cursor:
            # querytree(...) = 'T': nothing indexable is left (only exclusions): match nothing, never everything.
            cursor.execute(f"SELECT c.lang, q::text FROM (VALUES {values}) AS c(lang, cfg), "
                           "websearch_to_tsquery(c.cfg, %s) AS q WHERE querytree(q) <> 'T'", [*params, websearch])
            groups = {}
            for text_lang, tsquery in cursor.fetchall():
                if tsquery:  # only stop words: nothing to look for in this language
                    groups.setdefault(tsquery, []).append(text_lang)
        if not groups:
            return None
        branches, params = [], []
        for tsquery, text_langs in groups.items():
            # `(d.language || '')`: the language is a filter on the rows the GIN index finds, never a second
            # index ANDed with it (the planner's estimate of a tsquery is poor, and a fifth of the table read
            # from search_document_lang costs more than the match itself).
            sql = ("SELECT d.id AS id, ts_rank(d.vector, q.query) AS score, d.date AS date "
                   "FROM search_document d, CAST(%s AS tsquery) AS q(query) WHERE (d.language || '') = %s "
                   "AND d.vector @@ q.query")
            params += [tsquery, lang]
            sql, params = _text_languages(sql, params, text_langs, column="(d.text_language || '')")
            branches.append(sql)
        return " UNION ALL ".join(branches), params


def _text_languages(sql, params, text_langs, column="d.text_language"):
    """A branch limited to the documents written in `text_langs` (no condition when that is every language)."""
    if set(text_langs) >= set(LANGS):
        return sql, params
    return sql + f" AND {column} IN ({', '.join(['%s'] * len(text_langs))})", [*params, *text_langs]


# ----------------------------------------------------------------------------------------------- SQLite

class SqliteEngine(_Engine):
    """FTS5 over stems: the text's words are stemmed in Python by Snowball (text.stemmed_text) and stored in
    search_document_fts; queries are stemmed the same way (text.to_fts5)."""

    def insert(self, documents, memo=None):
        """executemany of the rows with ids given here (after the largest ever given: the table is
        AUTOINCREMENT), then executemany of their stems into FTS5. Call inside a transaction (the site's
        SQLite transactions are IMMEDIATE: no other writer can take the same ids). `memo`: see
        text.stemmed_text."""
        if not documents:
            return
        memo = {} if memo is None else memo
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT max(seq) FROM sqlite_sequence WHERE name = 'search_document'")
            sequence = cursor.fetchone()[0] or 0
            cursor.execute("SELECT max(id) FROM search_document")
            first = max(sequence, cursor.fetchone()[0] or 0) + 1
            for pk, doc in enumerate(documents, first):
                doc.pk = pk
            rows = [(d.pk, *row) for d, row in zip(documents, self.rows(documents))]
            cursor.executemany(f"INSERT INTO search_document (id, {', '.join(COLUMNS)}) "
                               f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})", rows)
            cursor.execute("DELETE FROM search_document_fts WHERE rowid >= %s", [first])  # orphans, if any
            stemmed = {}  # (text, language) -> stems: a record's documents in the five languages often share it

            def stems(value, lang):
                key = (value, lang)
                if key not in stemmed:
                    stemmed[key] = text.stemmed_text(value, lang, memo)
                return stemmed[key]

            cursor.executemany(
                "INSERT INTO search_document_fts (rowid, title, text) VALUES (%s, %s, %s)",
                [(d.pk, "" if d.kind == Kind.INCIDENT else stems(d.title, d.text_language),
                  stems(d.text, d.text_language)) for d in documents])

    def clear_orphans(self):
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document_fts WHERE rowid NOT IN (SELECT id FROM search_document)")

    def match(self, query, lang):
        """The languages whose stems give the same FTS5 expression share one branch (one MATCH)."""
        groups = {}
        for text_lang in LANGS:
            expression = text.to_fts5(query, text_lang)
            if expression:
                groups.setdefault(expression, []).append(text_lang)
        branches, params = [], []
        for expression, text_langs in groups.items():
            sql = (f"SELECT search_document_fts.rowid AS id, -bm25(search_document_fts, {TITLE_WEIGHT}, "
                   f"{TEXT_WEIGHT}) AS score, d.date AS date FROM search_document_fts "
                   "JOIN search_document d ON d.id = search_document_fts.rowid "
                   "WHERE search_document_fts MATCH %s AND d.language = %s")
            sql, params = _text_languages(sql, [*params, expression, lang], text_langs)
            branches.append(sql)
        if not branches:
            return None
        return " UNION ALL ".join(branches), params
