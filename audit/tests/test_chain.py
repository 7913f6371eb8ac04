"""Rules H2 and S3: an append-only, hash-chained trail that verify_audit checks."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.log import Action, record, verify_trail
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(world, n=6):
    for i in range(n):
        record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=world.pupil.id + i,
               school=world.oakfield)
    return list(AuditEvent.objects.order_by("seq"))


class triggers_off:
    """Simulate someone with direct database access: drop or disable the triggers."""

    def __enter__(self):
        with connection.cursor() as c:
            if connection.vendor == "sqlite":
                c.execute("DROP TRIGGER audit_event_no_update")
                c.execute("DROP TRIGGER audit_event_no_delete")
            else:
                c.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")

    def __exit__(self, *exc):
        pass  # the test's transaction is rolled back, triggers and all


def _sql(statement, params=()):
    with connection.cursor() as c:
        c.execute(statement, params)


def _verify_fails_at(seq):
    with pytest.raises(CommandError, match=f"sequence number {seq}:"):
        call_command("verify_audit")


def test_r_s3_verify_audit_passes_an_intact_trail(world, capsys):
    _events(world)
    call_command("verify_audit")
    assert "Audit trail intact" in capsys.readouterr().out
    count, problem = verify_trail()
    assert problem is None and count == AuditEvent.objects.count()


def test_r_h2_each_event_names_who_what_when_and_the_roles_they_held(world):
    event = record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=world.pupil.id,
                   school=world.oakfield)
    assert event.actor_id == world.diana.id and event.actor_name == "Diana Dsl"
    assert event.actor_roles == [f"Designated safeguarding lead (school {world.oakfield.id})"]
    assert event.occurred_at is not None and event.action == "view" and event.object_id == str(world.pupil.id)


def test_r_s3_an_edited_event_is_detected(world):
    events = _events(world)
    with triggers_off():
        _sql("UPDATE audit_auditevent SET object_id = %s WHERE seq = %s", ["999999", events[2].seq])
    _verify_fails_at(events[2].seq)


def test_r_s3_a_deleted_event_is_detected(world):
    events = _events(world)
    with triggers_off():
        _sql("DELETE FROM audit_auditevent WHERE seq = %s", [events[3].seq])
    _verify_fails_at(events[3].seq)


def test_r_s3_an_inserted_event_is_detected(world):
    events = _events(world)
    target = events[2].seq
    with triggers_off():
        # Make room in the middle, then insert a forged event there.
        for e in reversed(events[2:]):
            _sql("UPDATE audit_auditevent SET seq = seq + 1 WHERE seq = %s", [e.seq])
        forged = AuditEvent(seq=target, occurred_at=events[1].occurred_at, actor_id=world.hana.id,
                            actor_name="Hana Head", action="view", object_type="pupil", object_id="1",
                            mac=events[1].mac)
        forged.save(force_insert=True)
    _verify_fails_at(target)


def test_r_s3_an_event_appended_without_the_key_is_detected(world):
    events = _events(world)
    AuditEvent.objects.create(seq=events[-1].seq + 1, occurred_at=events[-1].occurred_at, action="view",
                              object_type="pupil", mac="f" * 64)
    _verify_fails_at(events[-1].seq + 1)


def test_r_s3_reordered_events_are_detected(world):
    events = _events(world)
    a, b = events[1].seq, events[2].seq
    with triggers_off():
        _sql("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [a])
        _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a, b])
        _sql("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", [b])
    _verify_fails_at(a)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET actor_name = 'someone else'",
    "DELETE FROM audit_auditevent",
])
def test_r_s3_the_database_refuses_update_and_delete(world, statement):
    _events(world, 2)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            _sql(statement)
    assert AuditEvent.objects.count() == 2
    call_command("verify_audit")


def test_an_audit_row_commits_or_rolls_back_with_the_write_it_describes(world):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            record(actor=world.diana, action=Action.UPDATE, object_type="pupil", object_id=1)
            raise RuntimeError("the write failed")
    assert AuditEvent.objects.count() == before


def test_the_mac_key_is_not_stored_in_the_database(world, settings):
    _events(world, 1)
    key = settings.HARBOUR_AUDIT_KEY.decode()
    for row in AuditEvent.objects.values_list(flat=False):
        assert key not in repr(row)
