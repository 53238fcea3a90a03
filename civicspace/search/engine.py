"""The two full-text engines behind one interface: PostgreSQL text search (production) and SQLite FTS5 with
Snowball stems computed in Python (embedded mode). Chosen by the connection's vendor.

    engine = get_engine()
    engine.write(documents)          # index SearchDocument rows just saved
    engine.match(query, lang)        # (sql, params): SELECT id, score of the matching documents of `lang`
    engine.headlines(docs, query)    # {id: (title_html, snippet_html)}: escaped, matches in <mark>
    engine.clear_orphans()

A document's text is searched with the stemmer (PostgreSQL configuration) of the language it is written in
(`text_language`); the query is stemmed the same way for each language, and the per-language matches are
joined with UNION ALL (each document is in exactly one branch, and each branch can use the index).
"""
from django.conf import settings
from django.db import connection as default_connection

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


class _Engine:
    def __init__(self, connection):
        self.connection = connection

    def headlines(self, documents, query):
        """Title and snippet of each document with the words matching the query (by Snowball stem, in the
        text's language) in <mark>, the rest HTML-escaped. Done in Python on both databases: the snippet
        is the text the page shows (PostgreSQL's ts_headline would drop anything that looks like a tag)."""
        result = {}
        for doc in documents:
            wanted = text.query_stems(query, doc.text_language)
            title = text.highlight(doc.title, set() if doc.kind == Kind.INCIDENT else wanted, doc.text_language)
            result[doc.pk] = (title, text.highlight(doc.text, wanted, doc.text_language, size=SNIPPET_WORDS))
        return result


# ------------------------------------------------------------------------------------------- PostgreSQL

PG_CONFIGS = {"en": "english", "ru": "russian", "fr": "french", "es": "spanish", "ar": "arabic"}
_pg_available = {}  # connection alias -> set of configuration names (read once per process)


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

    def write(self, documents):
        ids = [d.pk for d in documents]
        if not ids:
            return
        values, params = self._configs_values()
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_document SET vector = "
                f"setweight(to_tsvector(c.cfg, CASE WHEN kind = '{Kind.INCIDENT}' THEN '' ELSE title END), 'A')"
                " || setweight(to_tsvector(c.cfg, text), 'B') "
                f"FROM (VALUES {values}) AS c(lang, cfg) "
                "WHERE c.lang = search_document.text_language AND search_document.id = ANY(%s)",
                [*params, ids])

    def clear_orphans(self):
        pass  # the vector is a column of the document's own row

    def match(self, query, lang):
        websearch = query.websearch()
        if not websearch:
            return None
        branches, params = [], []
        for text_lang in LANGS:
            # querytree(...) = 'T': nothing indexable is left (only exclusions): match nothing, never everything.
            branches.append(
                "SELECT d.id AS id, ts_rank(d.vector, q.query) AS score "
                "FROM search_document d, websearch_to_tsquery(%s::regconfig, %s) AS q(query) "
                "WHERE d.language = %s AND d.text_language = %s AND d.vector @@ q.query "
                "AND querytree(q.query) <> 'T'")
            params += [self.config(text_lang), websearch, lang, text_lang]
        return " UNION ALL ".join(branches), params


# ----------------------------------------------------------------------------------------------- SQLite

class SqliteEngine(_Engine):
    """FTS5 over stems: the text's words are stemmed in Python by Snowball (text.stemmed_text) and stored in
    search_document_fts; queries are stemmed the same way (text.to_fts5)."""

    def write(self, documents):
        rows = [(d.pk, "" if d.kind == Kind.INCIDENT else text.stemmed_text(d.title, d.text_language),
                 text.stemmed_text(d.text, d.text_language)) for d in documents]
        if not rows:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_document_fts WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany("INSERT INTO search_document_fts (rowid, title, text) VALUES (%s, %s, %s)", rows)

    def clear_orphans(self):
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_document_fts WHERE rowid NOT IN (SELECT id FROM search_document)")

    def match(self, query, lang):
        branches, params = [], []
        for text_lang in LANGS:
            expression = text.to_fts5(query, text_lang)
            if not expression:
                continue
            branches.append(
                f"SELECT search_document_fts.rowid AS id, -bm25(search_document_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) "
                "AS score FROM search_document_fts JOIN search_document d ON d.id = search_document_fts.rowid "
                "WHERE search_document_fts MATCH %s AND d.language = %s AND d.text_language = %s")
            params += [expression, lang, text_lang]
        if not branches:
            return None
        return " UNION ALL ".join(branches), params
