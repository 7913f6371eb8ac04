"""Rules H2 and S3: a refusal is on the trail even when the work it refused is rolled back.

A refusal is recorded by one helper, `audit.log.record_refusal`, in its own transaction: never inside the
transaction of the write it refused, which rolls back and would take the record of the refusal with it.
"""

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.log import Action, record, record_refusal
from audit.models import AuditEvent
from tests.people import sign_in
from transfers import actions as transfers
from transfers import keys as school_keys

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def denied(**filters):
    return AuditEvent.objects.filter(action=Action.DENIED, **filters).count()


def test_r_h2_three_wrong_receipt_codes_leave_three_denied_events(client, world):
    """The receipt check runs in a transaction that is undone when the code is wrong; the refusal stays."""
    known = transfers.register_key_card(user=world.diana, school=world.oakfield,
                                        text=school_keys.key_card(world.elmtree),
                                        fingerprint=school_keys.keys_for(world.elmtree).fingerprint,
                                        same_name_checked=True)
    transfer = transfers.start_transfer(user=world.diana, pupil=world.pupil, to=f"known:{known.id}",
                                        started_on=timezone.localdate())
    sign_in(client, world.diana)
    for guess in ("AAAA-AAAA-AAAA", "CCCC-CCCC-CCCC", "DDDD-DDDD-DDDD"):
        response = client.post(reverse("transfers:receipt", args=[transfer.id]), {"code": guess})
        assert response.status_code == 422
    assert denied(object_type="transfer", object_id=str(transfer.id), detail__reason="wrong_receipt_code") == 3
    transfer.refresh_from_db()
    assert transfer.received_at is None


def test_r_s3_a_refusal_recorded_inside_a_transaction_is_refused_loudly(world):
    """Inside another transaction the refusal would roll back with it: the helper will not be called there."""
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            record_refusal(actor=world.diana, object_type="transfer", reason="test")
    assert denied() == 0


def test_r_s3_record_will_not_write_a_refusal(world):
    with pytest.raises(ValueError, match="record_refusal"):
        record(actor=world.diana, action=Action.DENIED, object_type="transfer")


def test_r_s3_a_refusal_survives_the_rollback_of_the_work_it_refused(world):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            record(actor=world.diana, action=Action.UPDATE, object_type="pupil", object_id=1)
            raise RuntimeError("refused")
    record_refusal(actor=world.diana, object_type="pupil", object_id=1, school=world.oakfield, reason="refused")
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert event.detail == {"reason": "refused"} and event.school_id == world.oakfield.id
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 0


def test_r_s3_every_refusal_in_the_code_goes_through_the_one_helper():
    """No module but audit/log.py writes a denied event itself."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "bench/")) or "/tests/" in relative or "/migrations/" in relative:
            continue
        if relative == "audit/log.py" or relative == "audit/models.py":
            continue
        if re.search(r"Action\.DENIED|action=\"denied\"", path.read_text()):
            offenders.append(relative)
    assert offenders == []
