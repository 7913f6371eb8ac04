"""Each audit event names the key that sealed it (audit.chain.key_id), so the audit key can be rotated.

A nullable column with no default: SQLite adds it with ALTER TABLE ADD COLUMN, so the table is not rebuilt and
its append-only triggers stay. Events sealed before this have none; `verify_audit` checks them as before.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, max_length=16, null=True),
        ),
    ]
