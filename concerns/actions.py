"""Writes to concerns. Each one checks access, saves, audits in the same transaction, then
notifies on commit (Zulip's do_* actions). Views and the API both call these."""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.capabilities import Capability
from audit.log import Action, record
from concerns import routing
from concerns.access import CONCERNS
from concerns.models import Concern, ConcernChild, Draft, Statement
from lib.i18n import Words
from notifications.actions import Kind, notify, resolve


@dataclass
class Report:
    """What a member of staff reports, already cleaned by a form or the API."""

    incident_type: str
    account: str
    children: list = field(default_factory=list)  # [(pupil, role)]
    subject_staff: object = None
    occurred_at: object = None
    location: str = ""
    disclosed_to: str = ""
    disclosed_at: object = None
    actions_taken: str = ""
    device_confiscated: bool = False
    device_isolation: str = ""
    device_location: str = ""
    dsl_told_in_person: bool = False
    breach_url: str = ""
    breach_device_or_user: str = ""
    breach_seen: str = ""
    provider_told: object = None
    parents_told: object = None
    statements: list = field(default_factory=list)  # [(filename, kind, bytes)]


def submit_concern(*, user, school, report: Report, idempotency_key: uuid.UUID):
    """Record a concern and alert the people it is for at once. Return (concern, created).

    The same idempotency key from the same person returns the concern already made.
    """
    if not user.access.can(Capability.REPORT_CONCERN, school):
        raise PermissionDenied
    existing = Concern.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.reported_by_id != user.id:
            raise PermissionDenied
        return existing, False
    try:
        with transaction.atomic():
            concern = _create(user=user, school=school, report=report, key=idempotency_key)
    except IntegrityError:
        # Two copies of one submission raced: the other one won.
        existing = Concern.objects.filter(idempotency_key=idempotency_key, reported_by=user).first()
        if existing is None:
            raise
        return existing, False
    return concern, True


def _create(*, user, school, report, key, from_pupil=False):
    """Make the concern and tell those it is for at once, escalating it if nobody acknowledges it in time (A1).
    `user` is None for a pupil's report from the pupils' page (P3), which the notice says (`from_pupil`)."""
    now = timezone.now()
    fields = {k: v for k, v in vars(report).items() if k not in ("children", "statements")}
    concern = Concern.objects.create(
        school=school, reported_by=user, idempotency_key=key, created_at=now,
        route=routing.route_for(incident_type=report.incident_type, subject_staff=report.subject_staff,
                                school=school),
        **fields,
    )
    ConcernChild.objects.bulk_create([ConcernChild(concern=concern, pupil=p, role=r) for p, r in report.children])
    Statement.objects.bulk_create([
        Statement(concern=concern, filename=name[:200], kind=kind, size=len(data),
                  sha256=hashlib.sha256(data).hexdigest(), content=data)
        for name, kind, data in report.statements
    ])
    if user is not None:
        Draft.objects.filter(user=user, school=school).delete()
    record(actor=user, action=Action.CREATE, object_type="concern", object_id=concern.id, school=school,
           changed_fields=[k for k, v in fields.items() if v not in ("", None, False)] + ["children"],
           detail={"children": len(report.children), "statements": len(report.statements)})
    minutes = settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES
    due = now + timedelta(minutes=minutes)
    notify(users=routing.recipients(concern), school=school, kind=Kind.CONCERN, reference=concern.reference,
           due_at=due, key=f"concern:{concern.id}",
           text=(Words("New concern %(reference)s from a pupil at %(school)s: acknowledge it by %(due)s",
                       {"reference": concern.reference, "school": school.name, "due": due}) if from_pupil
                 else Words("New concern %(reference)s at %(school)s: acknowledge it by %(due)s",
                            {"reference": concern.reference, "school": school.name, "due": due})),
           url=reverse("concerns:detail", args=[concern.id]))
    from concerns.tasks import escalate_if_unacknowledged

    transaction.on_commit(lambda: escalate_if_unacknowledged.using(
        run_after=now + timedelta(minutes=minutes)).enqueue(concern.id))
    return concern


@transaction.atomic
def acknowledge(*, user, concern):
    """The DSL (or headteacher, or chair) has seen the concern: one action, one timestamp. It stops the
    escalation clock (A1), so only those the concern is for may; anyone only told of it is refused (A5)."""
    CONCERNS.require(user, CONCERNS.Verb.ACKNOWLEDGE, concern)
    if concern.status != Concern.Status.RECEIVED:
        return concern
    concern.status = Concern.Status.ACKNOWLEDGED
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = user
    concern.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=concern.school,
           changed_fields=["status", "acknowledged_at", "acknowledged_by"])
    resolve(key=f"concern:{concern.id}")  # nobody needs telling to acknowledge it any more
    return concern


# -- What became of a concern, told by the case it joined (cases/actions) ------------------------------------------
# A case never writes a concern's fields itself: it calls these, inside its own transaction.


@transaction.atomic
def link_to_case(*, user, concern, case):
    """The concern is part of `case` now: opened from it, or added to it (A1). Joining a case acknowledges it."""
    acknowledge(user=user, concern=concern)
    concern.case = case
    concern.save(update_fields=["case"])
    record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=concern.school,
           changed_fields=["case"], detail={"case": case.id})
    return concern


@transaction.atomic
def mark_closed(*, user, case):
    """A7: the case the concerns joined is closed, so their reporters see that each has been dealt with."""
    for concern in Concern.objects.filter(case=case).exclude(status=Concern.Status.CLOSED):
        _set_status(user, concern, Concern.Status.CLOSED, case)


@transaction.atomic
def mark_reopened(*, user, case):
    """The case is reopened: its concerns are acknowledged again, no longer closed (A7)."""
    for concern in Concern.objects.filter(case=case, status=Concern.Status.CLOSED):
        _set_status(user, concern, Concern.Status.ACKNOWLEDGED, case)


def _set_status(user, concern, status, case):
    concern.status = status
    concern.save(update_fields=["status"])
    record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=concern.school_id,
           changed_fields=["status"], detail={"case": case.id})


@transaction.atomic
def escalate(*, concern):
    """Nobody acknowledged the concern in time: tell the deputies and the headteacher."""
    concern = Concern.objects.select_for_update().select_related("school").get(id=concern.id)
    if concern.status != Concern.Status.RECEIVED or concern.escalated_at:
        return False
    concern.escalated_at = timezone.now()
    concern.save(update_fields=["escalated_at"])
    record(actor=None, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=concern.school,
           changed_fields=["escalated_at"], detail={"reason": "not_acknowledged_in_time"})
    if concern.alert_group_id:
        from concerns import alert_groups

        if alert_groups.escalate(concern=concern):  # P7: one notice for the group, not one per alert
            return True
    due = concern.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    notify(users=routing.escalation_recipients(concern), school=concern.school, kind=Kind.CONCERN,
           reference=concern.reference, due_at=due, key=f"concern:{concern.id}",
           text=Words("Concern %(reference)s at %(school)s was not acknowledged by %(due)s: acknowledge it now, "
                      "or check that someone has", {"reference": concern.reference, "school": concern.school.name,
                                                    "due": due}),
           url=reverse("concerns:detail", args=[concern.id]))
    return True


def save_draft(*, user, school, data):
    """Keep what has been typed so far (no audit row: a draft is not yet a record)."""
    Draft.objects.update_or_create(user=user, school=school, defaults={"data": data, "updated_at": timezone.now()})
