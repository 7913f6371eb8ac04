"""Child protection file transfer is its own app now (issue 19.2): api forgets its four models, whose state
transfers.0001 took over. Nothing in the database changes here; transfers.0002 renames the tables."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0004_transfer_key_wrapping'),
        ('transfers', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='Transfer'),
            migrations.DeleteModel(name='ReceivedFile'),
            migrations.DeleteModel(name='KnownSchool'),
            migrations.DeleteModel(name='SchoolKeys'),
        ], database_operations=[]),
    ]
