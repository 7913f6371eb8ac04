"""The chronology may be deleted only by an approved disposal (H4); it is never edited.

cases/0003 refuses UPDATE on cases_entry but has no DELETE trigger, so until now nothing
in the database stopped a chronology entry being deleted. This adds one: DELETE is refused
unless records_disposalrequest holds an approved disposal of the entry's case (the approval
and the removal happen in one transaction, records.actions.approve_disposal). TRUNCATE is
refused too. As for the audit trail, the test runner's reset between tests
(audit.chain.allow_purge) may pass. cases/0003's UPDATE trigger is left as it is.
"""

from django.db import migrations

MESSAGE = "chronology entries are deleted only by an approved disposal"

SQLITE_CREATE = [
    f"""CREATE TRIGGER cases_entry_no_delete BEFORE DELETE ON cases_entry
        WHEN harbour_audit_purge_allowed() = 0 AND NOT EXISTS (
          SELECT 1 FROM records_disposalrequest
          WHERE record_type = 'case' AND record_id = OLD.case_id AND state = 'approved')
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",  # nosec B608 - the only value put in is the constant MESSAGE
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS cases_entry_no_delete"]

PG_CREATE = [
    f"""CREATE OR REPLACE FUNCTION cases_entry_delete_only_when_disposed() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM records_disposalrequest
                     WHERE record_type = 'case' AND record_id = OLD.case_id AND state = 'approved') THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION '{MESSAGE}';
        END; $$ LANGUAGE plpgsql""",  # nosec B608 - as above
    f"""CREATE OR REPLACE FUNCTION cases_entry_no_truncate() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_entry_no_delete BEFORE DELETE ON cases_entry
       FOR EACH ROW WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION cases_entry_delete_only_when_disposed()""",
    """CREATE TRIGGER cases_entry_no_truncate BEFORE TRUNCATE ON cases_entry
       FOR EACH STATEMENT WHEN (current_setting('harbour.audit_purge', true) IS DISTINCT FROM 'on')
       EXECUTE FUNCTION cases_entry_no_truncate()""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS cases_entry_no_delete ON cases_entry",
    "DROP TRIGGER IF EXISTS cases_entry_no_truncate ON cases_entry",
    "DROP FUNCTION IF EXISTS cases_entry_delete_only_when_disposed()",
    "DROP FUNCTION IF EXISTS cases_entry_no_truncate()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("cases", "0003_backfill_and_append_only"),
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
        )
    ]
