"""Writing to and checking the hash chain. The key never leaves the environment.

Each event records the id of the key that sealed it (`key_id`, covered by the seal). HARBOUR_AUDIT_KEY seals new
events; after a rotation the keys it replaced stay in HARBOUR_AUDIT_RETIRED_KEYS, oldest first, for verifying only.
"""

import hashlib
import hmac
import json
import threading
from datetime import UTC

from django.conf import settings

GENESIS = "0" * 64
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises audit writes.
PG_LOCK_ID = 0x4841524255  # "HARBU"
# On PostgreSQL, the only role the append-only triggers let delete (audit/migrations/0004): the test runner's
# reset between tests, or a database administrator. Never grant it to the application's role.
MAINTENANCE_ROLE = "harbour_audit_maintenance"

_purge = threading.local()


def purge_allowed():
    """Return 1 only inside `allow_purge()`, which only the test suite's database reset uses."""
    return 1 if getattr(_purge, "on", False) else 0


class allow_purge:
    """Let the test runner empty the trail between tests. Never used by Harbour itself.

    SQLite: a flag in this process, read by the function the triggers call (only Harbour's own connections have
    that function). PostgreSQL: the triggers let only MAINTENANCE_ROLE delete, so the session becomes that role
    (SET ROLE) and returns to its own afterwards. Only a superuser or a member of the role can do that: the test
    runner connects as a superuser; the application's role is neither, so it cannot purge whatever it runs.
    """

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        _purge.on = True
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {MAINTENANCE_ROLE}")
        return self

    def __exit__(self, *exc):
        _purge.on = False
        if self.connection.vendor == "postgresql" and self.connection.connection is not None:
            with self.connection.cursor() as cursor:
                cursor.execute("RESET ROLE")


def key_id(key: bytes) -> str:
    """A short, stable name for an audit key, stored on each event it seals. It reveals nothing of the key."""
    return hashlib.sha256(b"harbour-audit-key-id\n" + key).hexdigest()[:16]


def keyring():
    """[(key id, key)], oldest first: the retired keys, then the current one."""
    keys = [*settings.HARBOUR_AUDIT_RETIRED_KEYS, settings.HARBOUR_AUDIT_KEY]
    return [(key_id(k), k) for k in keys]


def canonical(seq, occurred_at, actor_id, actor_name, actor_roles, school_id, action, object_type,
              object_id, request_id, changed_fields, detail, key_id=None):
    """Return the bytes the MAC covers: every column but the MAC, in a fixed form. Events sealed before key ids
    existed have none, and their form has no "key"."""
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
    if key_id is not None:
        content["key"] = key_id
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_mac(previous_mac, content, key=None):
    key = settings.HARBOUR_AUDIT_KEY if key is None else key
    return hmac.new(key, previous_mac.encode() + b"\n" + content, hashlib.sha256).hexdigest()


def verify(rows, *, heads=None, ranges=None):
    """Check rows of (seq, mac, *canonical fields, key id) in sequence order.

    Return (count, None) when intact, or (count, (seq, reason)) naming the first bad event. `heads`, if given,
    maps sequence numbers to the seals recorded outside the database (audit.head): each must match, and a trail
    that ends before the last of them has lost its tail. `ranges`, if a list, gets [key id, first, last] for
    each run of events sealed by one key.
    """
    ring = keyring()
    order = {kid: index for index, (kid, _) in enumerate(ring)}
    keys = dict(ring)
    heads = heads or {}
    previous_mac, expected_seq, count = GENESIS, 1, 0
    newest, legacy = -1, None  # the newest key used so far; the key of events sealed before key ids
    for row in rows:
        seq, mac, fields, kid = row[0], row[1], row[2:-1], row[-1]
        count += 1
        if seq != expected_seq:
            if seq > expected_seq:
                return count, (expected_seq, f"event {expected_seq} is missing (next present is {seq})")
            return count, (seq, f"event {seq} is out of order")
        content = canonical(seq, *fields, key_id=kid)
        if kid is None:  # before key ids: the one key that sealed them, found once
            legacy = legacy or next((k for k in keys if hmac.compare_digest(
                mac, compute_mac(previous_mac, content, keys[k]))), None)
            if legacy is None:
                return count, (seq, f"event {seq} does not match its seal under any configured key (edited, "
                                    f"inserted or reordered, or its key is not in HARBOUR_AUDIT_RETIRED_KEYS)")
            used = legacy
        elif kid not in keys:
            return count, (seq, f"event {seq} is sealed with key {kid}, which is not configured: put it in "
                                f"HARBOUR_AUDIT_RETIRED_KEYS to check the events it sealed")
        else:
            used = kid
        if order[used] < newest:
            return count, (seq, f"event {seq} is sealed with a retired key ({used}) after a newer one was in use")
        newest = order[used]
        if not hmac.compare_digest(mac, compute_mac(previous_mac, content, keys[used])):
            return count, (seq, f"event {seq} does not match its seal (edited, inserted or reordered)")
        for recorded, at in heads.get(seq, ()):
            if not hmac.compare_digest(mac, recorded):
                return count, (seq, f"event {seq} is not the event recorded as the trail's head at {at}")
        if ranges is not None:
            if ranges and ranges[-1][0] == used:
                ranges[-1][2] = seq
            else:
                ranges.append([used, seq, seq])
        previous_mac = mac
        expected_seq += 1
    last = expected_seq - 1
    beyond = [(seq, at) for seq, records in heads.items() if seq > last for _, at in records]
    if beyond:
        seq, at = max(beyond)
        return count, (last + 1, f"events {last + 1}–{seq} are missing from the end: the trail ends at {last}, "
                                 f"but it had reached {seq} at {at} (recorded outside the database)")
    return count, None
