"""The transfer tables take transfers' own names (api_transfer becomes transfers_transfer, and so on).

A rename keeps every row, id, index and constraint. Nothing else in Harbour names these tables.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('transfers', '0001_initial'),
        ('api', '0005_transfers_moved'),
    ]

    operations = [
        migrations.AlterModelTable(name='knownschool', table=None),
        migrations.AlterModelTable(name='receivedfile', table=None),
        migrations.AlterModelTable(name='schoolkeys', table=None),
        migrations.AlterModelTable(name='transfer', table=None),
    ]
