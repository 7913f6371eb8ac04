"""Cases opened before procedures were pinned get the shipped procedure; chronology is append-only."""

from django.db import migrations


def backfill(apps, schema_editor):
    from procedures import schema

    Case = apps.get_model("cases", "Case")
    for case in Case.objects.filter(procedure_id="other"):
        pid = case.incident_type if case.incident_type != "other" else "cyberbullying"
        definition = schema.get(pid)
        definition["pinned"] = {"procedure_id": pid, "shipped_version": definition["version"], "trust_version": None,
                                "school_version": None, "label": f"{definition['title']} v{definition['version']}"}
        case.procedure_id, case.procedure, case.incident_recorded_at = pid, definition, case.opened_at
        case.save(update_fields=["procedure_id", "procedure", "incident_recorded_at"])


SQLITE = """
CREATE TRIGGER cases_entry_no_update BEFORE UPDATE ON cases_entry
BEGIN SELECT RAISE(ABORT, 'chronology entries are never edited'); END;
"""
POSTGRES = """
CREATE OR REPLACE FUNCTION cases_entry_no_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'chronology entries are never edited'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER cases_entry_no_update BEFORE UPDATE ON cases_entry
FOR EACH ROW EXECUTE FUNCTION cases_entry_no_update();
"""


def add_trigger(apps, schema_editor):
    sql = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    schema_editor.execute(sql)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_entry_no_update ON cases_entry;"
                              "DROP FUNCTION IF EXISTS cases_entry_no_update();")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_entry_no_update;")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_procedure_and_record")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
