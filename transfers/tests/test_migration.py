"""Issue 19.2: child protection file transfer moved from `api` to its own app without losing a row (H5).

The database is taken back to before the move (api's 0004), files, keys and key cards are written there the way
api kept them, and the migrations are run forward again: every row is in transfers' tables, with its id, its links
and its bytes, and the old tables are gone. Runs on SQLite and PostgreSQL (`./scripts/test.sh`).
"""

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from transfers.models import KnownSchool, ReceivedFile, SchoolKeys, Transfer

BEFORE = [("transfers", None)]  # unapplies transfers' migrations and api.0005, which needs them
API_BEFORE = ("api", "0004_transfer_key_wrapping")
AFTER = [("transfers", "0002_table_names"), ("api", "0005_transfers_moved")]


def _migrate(targets, state_at=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(state_at).apps if state_at else None


def _tables():
    return set(connection.introspection.table_names())


@pytest.fixture
def every_migration_applied_after():
    """Taking transfers back unapplies every migration that depends on it (api 0005 and all of api after it), and
    AFTER reapplies only the move: the rest is applied again here, pass or fail, so that no later test meets a
    database without a table (it once left api's monitoring users' table missing for every test after it)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_r_h5_the_move_keeps_every_transfer_key_and_received_file(world, every_migration_applied_after):
    old = _migrate(BEFORE, state_at=API_BEFORE)
    assert {"api_transfer", "api_receivedfile", "api_knownschool", "api_schoolkeys"} <= _tables()
    assert not {"transfers_transfer", "transfers_receivedfile"} & _tables()
    now = timezone.now()
    keys = old.get_model("api", "SchoolKeys").objects.create(
        school_id=world.oakfield.id, sign_public=b"\x01" * 32, box_public=b"\x02" * 32, sealed_private=b"\x03" * 72,
        wrap_key_id="abc123", created_at=now)
    card = old.get_model("api", "KnownSchool").objects.create(
        trust_id=world.trust.id, name="Hill Top Academy", sign_public=b"\x04" * 32, box_public=b"\x05" * 32,
        fingerprint="f" * 64, registered_by_id=world.diana.id, registered_at=now)
    sent = old.get_model("api", "Transfer").objects.create(
        school_id=world.oakfield.id, pupil_id=world.pupil.id, method="package", to_known_id=card.id,
        to_name="Hill Top Academy", package_id=uuid.uuid4(), package="c2VhbGVk", started_on=date(2026, 3, 2),
        due_at=now + timedelta(days=7), created_by_id=world.diana.id, created_at=now)
    arrived = old.get_model("api", "ReceivedFile").objects.create(
        school_id=world.riverside.id, method="package", from_name="Oakfield Primary", package_id=sent.package_id,
        contents={"pupil": {"upn": world.pupil.upn}}, receipt_code="AB12-CD34", arrived_on=date(2026, 3, 3),
        received_by_id=world.diana.id, received_at=now)

    _migrate(AFTER)

    assert not {"api_transfer", "api_receivedfile", "api_knownschool", "api_schoolkeys"} & _tables()
    assert {"transfers_transfer", "transfers_receivedfile", "transfers_knownschool",
            "transfers_schoolkeys"} <= _tables()
    moved = Transfer.objects.get(id=sent.id)
    assert (moved.package_id, moved.package, moved.to_known_id, moved.pupil_id, moved.awaiting) == (
        sent.package_id, "c2VhbGVk", card.id, world.pupil.id, True)
    assert Transfer.objects.filter(school=world.oakfield, received_at__isnull=True).count() == 1
    assert bytes(SchoolKeys.objects.get(id=keys.id).sealed_private) == b"\x03" * 72
    assert KnownSchool.objects.active().get(id=card.id).fingerprint == "f" * 64
    assert ReceivedFile.objects.get(id=arrived.id).contents == {"pupil": {"upn": world.pupil.upn}}
    # The tables take new rows after the move, numbered after the old ones.
    later = Transfer.objects.create(
        school=world.oakfield, pupil=world.pupil, method="pdf", to_name="Elsewhere", package_id=uuid.uuid4(),
        started_on=date(2026, 3, 2), due_at=now, created_by=world.diana, created_at=now)
    assert later.id > sent.id


@pytest.mark.django_db(transaction=True)
def test_the_database_is_whole_again_after_the_migration_test():
    """Whatever ran before, every model's table is there (the fixture above restores what the test took back)."""
    from django.apps import apps

    missing = {m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy} - _tables()
    assert missing == set()
