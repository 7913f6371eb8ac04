"""Writing to and checking the hash chain. The key never leaves the environment."""

import hashlib
import hmac
import json
import threading
from datetime import UTC

from django.conf import settings

GENESIS = "0" * 64
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises audit writes.
PG_LOCK_ID = 0x4841524255  # "HARBU"

_purge = threading.local()


def purge_allowed():
    """Return 1 only inside `allow_purge()`, which only the test suite's database reset uses."""
    return 1 if getattr(_purge, "on", False) else 0


class allow_purge:
    """Let the test runner empty the trail between tests. Never used by Harbour itself."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        _purge.on = True
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT set_config('harbour.audit_purge', 'on', false)")

    def __exit__(self, *exc):
        _purge.on = False
        if self.connection.vendor == "postgresql" and self.connection.connection is not None:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT set_config('harbour.audit_purge', 'off', false)")


def canonical(seq, occurred_at, actor_id, actor_name, actor_roles, school_id, action, object_type,
              object_id, request_id, changed_fields, detail):
    """Return the bytes the MAC covers: every column but the MAC, in a fixed form."""
    content = {
        "seq": seq,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_name": actor_name,
        "actor_roles": list(actor_roles),
        "school": school_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "request_id": request_id,
        "changed_fields": list(changed_fields),
        "detail": detail,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_mac(previous_mac, content):
    return hmac.new(settings.HARBOUR_AUDIT_KEY, previous_mac.encode() + b"\n" + content, hashlib.sha256).hexdigest()


def verify(rows):
    """Check rows of (seq, mac, *canonical fields) in sequence order.

    Return (count, None) when intact, or (count, (seq, reason)) naming the first bad event.
    """
    previous_mac = GENESIS
    expected_seq = 1
    count = 0
    for row in rows:
        seq, mac, fields = row[0], row[1], row[2:]
        count += 1
        if seq != expected_seq:
            if seq > expected_seq:
                return count, (expected_seq, f"event {expected_seq} is missing (next present is {seq})")
            return count, (seq, f"event {seq} is out of order")
        if not hmac.compare_digest(mac, compute_mac(previous_mac, canonical(seq, *fields))):
            return count, (seq, f"event {seq} does not match its seal (edited, inserted or reordered)")
        previous_mac = mac
        expected_seq += 1
    return count, None
