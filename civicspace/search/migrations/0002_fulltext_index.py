"""The full-text index beside search_document, one per database engine (not part of the model state).

PostgreSQL: a `vector tsvector` column with a GIN index (written with to_tsvector in each text's language
configuration). SQLite: an FTS5 table of stems (rowid = search_document.id) and a trigger removing a
document's stems with it. Note for later migrations: if one makes SQLite rebuild search_document (most
AlterField operations do), recreate the trigger after it.
"""
from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database engine (connection.vendor)."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        VendorRunSQL(
            "postgresql",
            sql=["ALTER TABLE search_document ADD COLUMN vector tsvector",
                 "CREATE INDEX search_document_vector ON search_document USING gin (vector)"],
            reverse_sql=["DROP INDEX IF EXISTS search_document_vector",
                         "ALTER TABLE search_document DROP COLUMN IF EXISTS vector"],
        ),
        VendorRunSQL(
            "sqlite",
            sql=["CREATE VIRTUAL TABLE search_document_fts USING fts5("
                 "title, text, tokenize='unicode61 remove_diacritics 2')",
                 "CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN "
                 "DELETE FROM search_document_fts WHERE rowid = old.id; END"],
            reverse_sql=["DROP TRIGGER IF EXISTS search_document_fts_delete",
                         "DROP TABLE IF EXISTS search_document_fts"],
        ),
    ]
