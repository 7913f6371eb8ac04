"""Full-text search over the case file (chronology entries and the concerns' accounts): SQLite FTS5 tables
kept in step by triggers; PostgreSQL GIN indexes."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE cases_entry_fts USING fts5(
         text, content='cases_entry', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER cases_entry_fts_insert AFTER INSERT ON cases_entry BEGIN
         INSERT INTO cases_entry_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER cases_entry_fts_delete AFTER DELETE ON cases_entry BEGIN
         INSERT INTO cases_entry_fts(cases_entry_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER cases_entry_fts_update AFTER UPDATE OF text ON cases_entry BEGIN
         INSERT INTO cases_entry_fts(cases_entry_fts, rowid, text) VALUES ('delete', old.id, old.text);
         INSERT INTO cases_entry_fts(rowid, text) VALUES (new.id, new.text); END""",
    "INSERT INTO cases_entry_fts(cases_entry_fts) VALUES ('rebuild')",
    """CREATE VIRTUAL TABLE concerns_concern_fts USING fts5(
         account, content='concerns_concern', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER concerns_concern_fts_insert AFTER INSERT ON concerns_concern BEGIN
         INSERT INTO concerns_concern_fts(rowid, account) VALUES (new.id, new.account); END""",
    """CREATE TRIGGER concerns_concern_fts_delete AFTER DELETE ON concerns_concern BEGIN
         INSERT INTO concerns_concern_fts(concerns_concern_fts, rowid, account) VALUES ('delete', old.id, old.account);
       END""",
    """CREATE TRIGGER concerns_concern_fts_update AFTER UPDATE OF account ON concerns_concern BEGIN
         INSERT INTO concerns_concern_fts(concerns_concern_fts, rowid, account) VALUES ('delete', old.id, old.account);
         INSERT INTO concerns_concern_fts(rowid, account) VALUES (new.id, new.account); END""",
    "INSERT INTO concerns_concern_fts(concerns_concern_fts) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS cases_entry_fts_insert", "DROP TRIGGER IF EXISTS cases_entry_fts_delete",
    "DROP TRIGGER IF EXISTS cases_entry_fts_update", "DROP TABLE IF EXISTS cases_entry_fts",
    "DROP TRIGGER IF EXISTS concerns_concern_fts_insert", "DROP TRIGGER IF EXISTS concerns_concern_fts_delete",
    "DROP TRIGGER IF EXISTS concerns_concern_fts_update", "DROP TABLE IF EXISTS concerns_concern_fts",
]
POSTGRES = [
    "CREATE INDEX cases_entry_text_search ON cases_entry USING gin (to_tsvector('english'::regconfig, text))",
    "CREATE INDEX concerns_account_search ON concerns_concern USING gin (to_tsvector('english'::regconfig, account))",
]
POSTGRES_UNDO = ["DROP INDEX IF EXISTS cases_entry_text_search", "DROP INDEX IF EXISTS concerns_account_search"]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_referral_routes_and_answers"), ("concerns", "0002_concern_case")]

    operations = [
        migrations.RunPython(run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO})),
    ]
