"""S3: the audit key seals the trail and nothing else, and it can be rotated without losing the ability to verify.

Each event records the id of the key that sealed it, inside what its seal covers. After a rotation the old key is
kept in HARBOUR_AUDIT_RETIRED_KEYS (oldest first) for verifying only: the first event under the new key seals onto
the last one under the old, so the join is checked like any other link, and an event sealed with a retired key
after the new one took over is named as such (a leaked old key cannot add to the trail).
"""

import pytest
from django.core.management import CommandError, call_command

from audit import chain
from audit.log import Action, record, verify_trail
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
OLD = b"the-first-audit-key-0123456789abcdef0123456789"
NEW = b"the-second-audit-key-0123456789abcdef012345678"


def events(n, world):
    return [record(actor=world.diana, action=Action.VIEW, object_type="pupil", object_id=i, school=world.oakfield)
            for i in range(n)]


def test_r_s3_each_event_names_the_key_that_sealed_it(world, settings):
    settings.HARBOUR_AUDIT_KEY = OLD
    event = events(1, world)[0]
    assert event.key_id == chain.key_id(OLD) and OLD.hex() not in event.key_id


def test_r_s3_the_trail_verifies_across_a_rotation_with_the_old_key_kept_for_verifying(world, settings, capsys):
    settings.HARBOUR_AUDIT_KEY = OLD
    events(3, world)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = NEW, [OLD]
    events(2, world)
    count, problem = verify_trail()
    assert (count, problem) == (5, None)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"key {chain.key_id(OLD)}: events 1–3" in out and f"key {chain.key_id(NEW)}: events 4–5" in out


def test_r_s3_without_the_retired_key_verify_names_the_first_event_it_cannot_check(world, settings):
    settings.HARBOUR_AUDIT_KEY = OLD
    events(2, world)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = NEW, []
    events(1, world)
    with pytest.raises(CommandError, match=f"sequence number 1: .*{chain.key_id(OLD)}.*HARBOUR_AUDIT_RETIRED_KEYS"):
        call_command("verify_audit")


def test_r_s3_an_event_sealed_with_a_retired_key_after_the_rotation_is_detected(world, settings):
    """Someone holding the old key appends an event: its seal is right, but that key had been retired."""
    settings.HARBOUR_AUDIT_KEY = OLD
    events(2, world)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = NEW, [OLD]
    events(2, world)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = OLD, []  # the forger's configuration
    events(1, world)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = NEW, [OLD]
    count, problem = verify_trail()
    assert problem == (5, "event 5 is sealed with a retired key (" + chain.key_id(OLD) + ") after a newer one was "
                          "in use")


def test_r_s3_an_edit_under_the_old_key_is_still_detected_after_the_rotation(world, settings):
    settings.HARBOUR_AUDIT_KEY = OLD
    first = events(3, world)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = NEW, [OLD]
    events(2, world)
    from audit.tests.test_chain import _sql, triggers_off

    with triggers_off():
        _sql("UPDATE audit_auditevent SET object_id = %s WHERE seq = %s", ["999", first[1].seq])
    assert verify_trail()[1][0] == first[1].seq


def test_r_s3_events_sealed_before_key_ids_existed_still_verify(world, settings):
    """A trail written before this change has no key id on its events, and their seal does not cover one."""
    from django.utils import timezone

    settings.HARBOUR_AUDIT_KEY = OLD
    mac, at = chain.GENESIS, timezone.now()
    for seq in (1, 2):
        fields = dict(occurred_at=at, actor_id=None, actor_name="", actor_roles=[], school_id=None, action="view",
                      object_type="pupil", object_id=str(seq), request_id="", changed_fields=[], detail={})
        mac = chain.compute_mac(mac, chain.canonical(seq, *fields.values()), key=OLD)
        AuditEvent.objects.create(seq=seq, mac=mac, **fields)
    settings.HARBOUR_AUDIT_KEY, settings.HARBOUR_AUDIT_RETIRED_KEYS = NEW, [OLD]
    events(1, world)
    assert verify_trail() == (3, None)
