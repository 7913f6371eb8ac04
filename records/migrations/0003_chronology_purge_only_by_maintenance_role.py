"""On PostgreSQL, only the maintenance role may delete chronology entries outside an approved disposal.

As for the audit trail (audit/0004): 0002 let the test runner's reset through when the session setting
`harbour.audit_purge` was on, which any session could set. Now the functions check the current role. The approved
disposal path (records.actions.approve_disposal) is unchanged. SQLite is unchanged.
"""

from django.db import migrations

ROLE = "harbour_audit_maintenance"
MESSAGE = "chronology entries are deleted only by an approved disposal"
APPROVED = """EXISTS (SELECT 1 FROM records_disposalrequest
                       WHERE record_type = 'case' AND record_id = OLD.case_id AND state = 'approved')"""

PG_CREATE = [
    f"""CREATE OR REPLACE FUNCTION cases_entry_delete_only_when_disposed() RETURNS trigger AS $$
        BEGIN
          IF current_user = '{ROLE}' THEN  -- first, and alone: that role cannot read the disposals
            RETURN OLD;
          END IF;
          IF {APPROVED} THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION '{MESSAGE}';
        END; $$ LANGUAGE plpgsql""",  # nosec B608 - only constants are put in
    f"""CREATE OR REPLACE FUNCTION cases_entry_no_truncate() RETURNS trigger AS $$
        BEGIN
          IF current_user = '{ROLE}' THEN
            RETURN NULL;
          END IF;
          RAISE EXCEPTION '{MESSAGE}';
        END; $$ LANGUAGE plpgsql""",  # nosec B608 - only constants are put in
    "DROP TRIGGER IF EXISTS cases_entry_no_delete ON cases_entry",
    "DROP TRIGGER IF EXISTS cases_entry_no_truncate ON cases_entry",
    """CREATE TRIGGER cases_entry_no_delete BEFORE DELETE ON cases_entry
       FOR EACH ROW EXECUTE FUNCTION cases_entry_delete_only_when_disposed()""",
    """CREATE TRIGGER cases_entry_no_truncate BEFORE TRUNCATE ON cases_entry
       FOR EACH STATEMENT EXECUTE FUNCTION cases_entry_no_truncate()""",
]

PG_DROP = [
    f"""CREATE OR REPLACE FUNCTION cases_entry_delete_only_when_disposed() RETURNS trigger AS $$
        BEGIN
          IF {APPROVED} THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION '{MESSAGE}';
        END; $$ LANGUAGE plpgsql""",  # nosec B608 - only constants are put in
    f"""CREATE OR REPLACE FUNCTION cases_entry_no_truncate() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",  # nosec B608 - only constants are put in
    "DROP TRIGGER IF EXISTS cases_entry_no_delete ON cases_entry",
    "DROP TRIGGER IF EXISTS cases_entry_no_truncate ON cases_entry",
    """CREATE TRIGGER cases_entry_no_delete BEFORE DELETE ON cases_entry
       FOR EACH ROW WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION cases_entry_delete_only_when_disposed()""",
    """CREATE TRIGGER cases_entry_no_truncate BEFORE TRUNCATE ON cases_entry
       FOR EACH STATEMENT WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION cases_entry_no_truncate()""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_chronology_deleted_only_by_disposal"),
        ("audit", "0004_purge_only_by_maintenance_role"),  # which creates the role
    ]

    operations = [migrations.RunPython(_run(PG_CREATE), _run(PG_DROP))]
