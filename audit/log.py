"""`record()`: the one way anything is written to the audit trail."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit import chain, context
from audit.models import AuditEvent

Action = AuditEvent.Action


def record(*, actor, action, object_type, object_id="", school=None, changed_fields=(), detail=None):
    """Append one event to the trail, sealed onto the chain. Return it.

    Call it inside the transaction of the write it describes, so that both commit or
    neither does; for a read, call it before the response is rendered. A refusal is
    not written here: see `record_refusal`.
    """
    if str(action) == Action.DENIED:
        raise ValueError("Write a refusal with audit.log.record_refusal, in its own transaction.")
    return _append(actor, action, object_type, object_id, school, changed_fields, detail)


def record_refusal(*, actor, object_type, object_id="", school=None, reason, **detail):
    """Record that something was refused (a wrong code, a refused file, a missing record), and return the event.

    It is written in a transaction of its own, which commits at once. The work that was refused is usually
    undone by rolling back its transaction; a refusal written inside that transaction would be undone with it,
    so this refuses to run inside one (a durable atomic block raises RuntimeError there). Call it after the
    refused work's transaction has ended, then raise or show the refusal.
    """
    with transaction.atomic(durable=True):
        return _append(actor, Action.DENIED, object_type, object_id, school, (), {"reason": reason, **detail})


def _append(actor, action, object_type, object_id, school, changed_fields, detail):
    actor = actor if actor is not None and actor.is_authenticated else None
    school_id = school if isinstance(school, int) or school is None else school.id
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Serialise writers so each event seals onto the true previous one. SQLite's
            # IMMEDIATE transactions already serialise writers.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.PG_LOCK_ID])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac").first()
        seq, previous_mac = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
        fields = dict(
            occurred_at=timezone.now(),
            actor_id=actor.id if actor else None,
            actor_name=actor.full_name if actor else "",
            actor_roles=actor.access.snapshot() if actor else [],
            school_id=school_id,
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            request_id=context.request_id.get(),
            changed_fields=sorted(changed_fields),
            detail=detail or {},
        )
        kid = chain.key_id(settings.HARBOUR_AUDIT_KEY)
        mac = chain.compute_mac(previous_mac, chain.canonical(seq, *fields.values(), key_id=kid))
        event = AuditEvent.objects.create(seq=seq, mac=mac, key_id=kid, **fields)
    if fields["action"] in (Action.VIEW, Action.EXPORT):
        context.records_read.set(context.records_read.get() | {object_type})
    return event


CHAIN_FIELDS = (
    "seq", "mac", "occurred_at", "actor_id", "actor_name", "actor_roles", "school_id", "action",
    "object_type", "object_id", "request_id", "changed_fields", "detail", "key_id",
)


def verify_trail(chunk_size=5000, *, heads=None, ranges=None):
    """Walk the whole trail in order; see `chain.verify` for what it returns."""
    rows = AuditEvent.objects.order_by("seq").values_list(*CHAIN_FIELDS).iterator(chunk_size=chunk_size)
    return chain.verify(rows, heads=heads, ranges=ranges)
