"""Child protection file transfer moves from `api` to its own app (issue 19.2), keeping every row.

The tables were made by api's migrations 0002 to 0004. This migration only tells Django that the models are now
transfers' (their state moves; api.0005 forgets them): nothing in the database changes here. 0002 then renames
the tables to transfers' own names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('api', '0004_transfer_key_wrapping'),
        ('schools', '0002_trust_is_demo'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='KnownSchool',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200)),
                    ('sign_public', models.BinaryField()),
                    ('box_public', models.BinaryField()),
                    ('fingerprint', models.CharField(max_length=64)),
                    ('name_clash', models.BooleanField(default=False)),
                    ('registered_at', models.DateTimeField()),
                    ('revoked_at', models.DateTimeField(blank=True, null=True)),
                    ('revoke_reason', models.TextField(blank=True)),
                    ('registered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('trust', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='known_schools', to='schools.trust')),
                ],
                options={
                    'db_table': 'api_knownschool',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='ReceivedFile',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('method', models.CharField(choices=[('harbour', 'Through Harbour'), ('package', 'Encrypted package from another Harbour'), ('paper', 'On paper'), ('pdf', 'As a PDF or secure email')], max_length=10)),
                    ('from_name', models.CharField(max_length=200)),
                    ('package_id', models.UUIDField(blank=True, null=True)),
                    ('contents', models.JSONField(blank=True, null=True)),
                    ('receipt_code', models.CharField(blank=True, max_length=20)),
                    ('where_kept', models.CharField(blank=True, max_length=300)),
                    ('arrived_on', models.DateField()),
                    ('received_at', models.DateTimeField()),
                    ('pupil', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='received_files', to='schools.pupil')),
                    ('received_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('school', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='received_files', to='schools.school')),
                ],
                options={
                    'db_table': 'api_receivedfile',
                    'ordering': ['-received_at'],
                },
            ),
            migrations.CreateModel(
                name='SchoolKeys',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('sign_public', models.BinaryField()),
                    ('box_public', models.BinaryField()),
                    ('sealed_private', models.BinaryField()),
                    ('wrap_key_id', models.CharField(blank=True, max_length=16)),
                    ('created_at', models.DateTimeField()),
                    ('school', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='transfer_keys', to='schools.school')),
                ],
                options={
                    'db_table': 'api_schoolkeys',
                },
            ),
            migrations.CreateModel(
                name='Transfer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('method', models.CharField(choices=[('harbour', 'Through Harbour, to a school of this trust'), ('package', 'As an encrypted package, to a school on another Harbour'), ('pdf', 'As a PDF, sent securely to a school not on Harbour')], max_length=10)),
                    ('to_name', models.CharField(max_length=200)),
                    ('package_id', models.UUIDField(unique=True)),
                    ('receipt_hash', models.CharField(blank=True, max_length=64)),
                    ('package', models.TextField(blank=True)),
                    ('started_on', models.DateField()),
                    ('due_at', models.DateTimeField()),
                    ('sent_how', models.CharField(blank=True, max_length=300)),
                    ('created_at', models.DateTimeField()),
                    ('received_at', models.DateTimeField(blank=True, null=True)),
                    ('received_by_name', models.CharField(blank=True, max_length=200)),
                    ('chased_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('pupil', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transfers', to='schools.pupil')),
                    ('receipt_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('school', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transfers_out', to='schools.school')),
                    ('to_known', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='transfers.knownschool')),
                    ('to_school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='transfers_in', to='schools.school')),
                ],
                options={
                    'db_table': 'api_transfer',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.AddConstraint(
                model_name='knownschool',
                constraint=models.UniqueConstraint(fields=('trust', 'fingerprint'), name='known_school_once'),
            ),
            migrations.AddConstraint(
                model_name='knownschool',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('revoked_at__isnull', True), ('revoked_by__isnull', True)), models.Q(('revoked_at__isnull', False), ('revoked_by__isnull', False)), _connector='OR'), name='known_school_revoked_by_matches'),
            ),
            migrations.AddConstraint(
                model_name='receivedfile',
                constraint=models.UniqueConstraint(fields=('school', 'package_id'), name='received_package_once'),
            ),
            migrations.AddIndex(
                model_name='transfer',
                index=models.Index(fields=['school', 'received_at', 'due_at'], name='transfer_awaiting'),
            ),
        ], database_operations=[]),
    ]
