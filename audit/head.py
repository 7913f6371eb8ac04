"""The trail's head, written outside the database (S3).

The hash chain shows any change *within* the trail, but deleting the newest events leaves a shorter chain that is
still valid in itself. So the head (the last event's sequence number and seal) is also written outside the
database: appended to HARBOUR_AUDIT_HEAD_FILE, one JSON line each time, and to the operator's log (logger
"harbour.audit"). `manage.py write_audit_head` does it (hourly from cron or a systemd timer, or the
`audit.tasks.write_trail_head` job), and so does every backup. `verify_audit` checks the trail against every head
recorded there, and names a tail that has gone.

The file is opened for appending only and made readable by its owner only. Keep it where the database's users
cannot write, ideally on another machine or in a log store that keeps what it receives; `chattr +a` makes it
append-only even for its owner. A seal is not a secret (it proves nothing without the audit key).
"""

import json
import logging
import os

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("harbour.audit")


class HeadFileError(ValueError):
    pass


def current():
    """{"seq", "mac", "key"} of the last event on the trail (seq 0 when there is none)."""
    from audit.models import AuditEvent

    last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac", "key_id").first()
    return {"seq": last[0], "mac": last[1], "key": last[2]} if last else {"seq": 0, "mac": "", "key": None}


def write(reason, head=None):
    """Record `head` (by default the trail's head now) outside the database; return the record."""
    entry = {"at": timezone.now().isoformat(timespec="seconds"), "reason": reason, **(head or current())}
    logger.info("audit trail head: seq %s mac %s key %s (%s)", entry["seq"], entry["mac"], entry.get("key"), reason)
    path = settings.HARBOUR_AUDIT_HEAD_FILE
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps(entry, sort_keys=True) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    return entry


def read(path=None):
    """{seq: [(mac, at), …]} from the head file; {} if it does not exist yet. HeadFileError names a bad line."""
    path = path or settings.HARBOUR_AUDIT_HEAD_FILE
    heads = {}
    if not path or not os.path.exists(path):
        return heads
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            try:
                entry = json.loads(line)
                seq, mac, at = int(entry["seq"]), str(entry["mac"]), str(entry["at"])
            except (ValueError, KeyError, TypeError):
                raise HeadFileError(f"{path}, line {number}, is not a record of the trail's head") from None
            if seq > 0:
                heads.setdefault(seq, []).append((mac, at))
    return heads
