"""On PostgreSQL, only the maintenance role may empty the audit trail.

0002 let a DELETE or TRUNCATE through when the session setting `harbour.audit_purge` was on, and any session of
the application's own role can turn a setting on. Now the trigger function checks the current role instead: only
`harbour_audit_maintenance` (audit.chain.MAINTENANCE_ROLE) passes, and a session can only become that role if it is
a superuser or a member of it. The application's role must be neither; the test runner connects as a superuser and
uses SET ROLE for its reset between tests. The role is created here when the migrating role may create roles;
otherwise the database administrator creates it (NOLOGIN is enough). UPDATE stays refused for everyone.

SQLite is unchanged (see the README for its limit).
"""

from django.db import migrations

ROLE = "harbour_audit_maintenance"

PG_CREATE = [
    f"""DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
            BEGIN
              CREATE ROLE {ROLE} NOLOGIN;
            EXCEPTION WHEN insufficient_privilege THEN
              RAISE NOTICE 'Role {ROLE} not created: ask the database administrator to create it (NOLOGIN)';
            END;
          END IF;
        END $$""",  # nosec B608 - the only value put in is the constant ROLE
    f"""CREATE OR REPLACE FUNCTION harbour_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND current_user = '{ROLE}' THEN
           RETURN OLD;
         ELSIF TG_OP = 'TRUNCATE' AND current_user = '{ROLE}' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'The audit trail is append-only: % refused', TG_OP;
       END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION harbour_audit_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION harbour_audit_append_only()""",
]

# Back to 0002's triggers (the role is left: it may own grants made since).
PG_DROP = [
    """CREATE OR REPLACE FUNCTION harbour_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP <> 'UPDATE' AND current_setting('harbour.audit_purge', true) = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'The audit trail is append-only: % refused', TG_OP;
       END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       FOR EACH ROW WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION harbour_audit_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION harbour_audit_append_only()""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)  # None: the % in RAISE is not a placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_key_id")]

    operations = [migrations.RunPython(_run(PG_CREATE), _run(PG_DROP))]
