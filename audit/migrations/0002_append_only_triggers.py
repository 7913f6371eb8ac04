"""Database triggers that refuse UPDATE and DELETE (and TRUNCATE) on the audit trail.

The only way past them is the test runner's reset between tests (audit.chain.allow_purge):
on SQLite through a function Harbour registers on its own connections, on PostgreSQL
through a per-session setting. Anyone able to drop a trigger can still edit rows; that
is what the hash chain and `verify_audit` are for.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN harbour_audit_purge_allowed() = 0
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE refused'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]

PG_CREATE = [
    """CREATE OR REPLACE FUNCTION harbour_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' AND current_setting('harbour.audit_purge', true) = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'The audit trail is append-only: % refused', TG_OP;
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION harbour_audit_append_only()""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       FOR EACH ROW WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION harbour_audit_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION harbour_audit_append_only()""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS harbour_audit_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)  # None: the % in RAISE is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
        )
    ]
