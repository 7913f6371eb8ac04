"""Operation Encompass (rule J4): a police notice that a child was part of a domestic abuse incident is received as a
concern, reaches the safeguarding team at once, and asks for a key adult before the next school day starts.

The notice becomes a concern of the kind "other" (the DSL chooses a procedure if a case is opened), its children the
children the police named, and an `EncompassNotice` beside it with the time it came, the police reference and the
key adult's clock. The web page (`views_encompass.py`) and the API (`api/endpoints.py`) both call `receive_notice`.
Notices and emails say what is needed and by when, never what happened nor to whom.
"""

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.capabilities import Capability, Role
from accounts.models import Membership
from audit.log import Action, record
from concerns import routing
from concerns.access import CONCERNS
from concerns.actions import Report, acknowledge, submit_concern
from concerns.models import ChildRole, Concern, EncompassNotice, IncidentType
from lib.errors import ActionError
from lib.i18n import Words
from lib.workdays import is_working_day
from notifications.actions import Kind, notify, resolve, when

# A notice's time may be a few minutes ahead of the server's clock (a police system's, or a phone's).
CLOCK_SKEW = timedelta(minutes=5)
# Who may be a child's key adult: anyone who works with children at the school (not a governor).
KEY_ADULT_ROLES = frozenset(Role.values) - {Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS}


class EncompassError(ActionError):
    """The notice cannot be recorded as given; each message is keyed by the box to change."""


def key_adult_due(school, received_at):
    """J4: the start of the next school day after `received_at`, at the school's own start time. A notice that comes
    before the day starts on a school day is due that morning; weekends and bank holidays are not school days."""
    local = timezone.localtime(received_at)
    day, starts = local.date(), school.day_starts_at
    if not (is_working_day(day) and local.time().replace(tzinfo=None) < starts):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, starts))


def _clean_reference(text):
    return " ".join((text or "").replace("\x00", "").split())


def receive_notice(*, user, school, received_at, police_reference, pupils, idempotency_key: uuid.UUID):
    """J4: record the police notice as a concern for the safeguarding team. Return (concern, created).

    `pupils` are the children the police named, each at `school` and on roll. The same idempotency key returns the
    concern made the first time."""
    if not user.access.can(Capability.RECORD_POLICE_NOTICES, school):
        raise PermissionDenied
    existing = Concern.objects.filter(idempotency_key=idempotency_key, reported_by=user, school=school).first()
    if existing is not None:
        return existing, False
    reference = _clean_reference(police_reference)
    pupils = list(dict.fromkeys(pupils))
    errors = {}
    if received_at is None:
        errors["received_at"] = "Enter the date and time the police notice came."
    elif received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = "The time the notice came cannot be in the future."
    if not reference:
        errors["police_reference"] = "Enter the police reference from the notice."
    elif len(reference) > 60:
        errors["police_reference"] = "The police reference is at most 60 characters."
    if not pupils:
        errors["child"] = "Choose each child the police named."
    elif any(p.school_id != school.id or p.left_on is not None for p in pupils):
        errors["child"] = "Choose children on roll at this school."
    if errors:
        raise EncompassError(errors)
    due = key_adult_due(school, received_at)
    report = Report(incident_type=IncidentType.OTHER, children=[(p, ChildRole.OTHER) for p in pupils],
                    account=(f"Operation Encompass notice from the police, reference {reference}, received "
                             f"{when(received_at)}. The children named were part of a domestic abuse incident the "
                             f"police attended. Name a key adult before the school day starts ({when(due)})."))
    try:
        with transaction.atomic():
            concern, created = submit_concern(user=user, school=school, report=report,
                                              idempotency_key=idempotency_key)
            if created:
                _add_notice(user, concern, received_at, reference, due)
    except IntegrityError:
        existing = Concern.objects.filter(idempotency_key=idempotency_key, reported_by=user).first()
        if existing is None:
            raise
        return existing, False
    return concern, created


def _add_notice(user, concern, received_at, reference, due):
    notice = EncompassNotice.objects.create(concern=concern, received_at=received_at, police_reference=reference,
                                            key_adult_due=due)
    record(actor=user, action=Action.CREATE, object_type="encompass_notice", object_id=notice.id,
           school=concern.school, changed_fields=["received_at", "police_reference", "key_adult_due"],
           detail={"rule": "J4", "concern": concern.id, "children": concern.children.count()})
    notify(users=routing.recipients(concern), school=concern.school, kind=Kind.CONCERN, reference=concern.reference,
           due_at=due, key=f"encompass:{notice.id}",
           text=Words("Concern %(reference)s at %(school)s: name a key adult by %(due)s",
                      {"reference": concern.reference, "school": concern.school.name, "due": due}),
           url=reverse("concerns:detail", args=[concern.id]))
    from concerns.tasks import escalate_if_no_key_adult

    transaction.on_commit(lambda: escalate_if_no_key_adult.using(run_after=due).enqueue(notice.id))
    return notice


def key_adults(school):
    """The active people who may be a child's key adult at `school`, by name."""
    from accounts.pickers import people_at

    return [u for u in people_at(school, governors=False) if u.picker_roles & KEY_ADULT_ROLES]


@transaction.atomic
def name_key_adult(*, user, concern, key_adult):
    """J4: the key adult is named: the step is done, the concern is acknowledged, and the key adult is told (without
    a word of what happened). Only those the concern is for may."""
    CONCERNS.require(user, CONCERNS.Verb.ACKNOWLEDGE, concern)
    notice = EncompassNotice.objects.select_for_update().filter(concern=concern).first()
    if notice is None:
        raise PermissionDenied
    works_here = key_adult is not None and key_adult.is_active and Membership.objects.filter(
        user=key_adult, school=concern.school, role__in=KEY_ADULT_ROLES).exists()
    if not works_here:
        raise EncompassError({"key_adult": "Choose the key adult from the staff of this school."})
    if notice.key_adult_id == key_adult.id:
        return notice
    first = notice.key_adult_id is None
    notice.key_adult, notice.key_adult_named_at, notice.key_adult_named_by = key_adult, timezone.now(), user
    notice.save(update_fields=["key_adult", "key_adult_named_at", "key_adult_named_by"])
    record(actor=user, action=Action.UPDATE, object_type="encompass_notice", object_id=notice.id,
           school=concern.school, changed_fields=["key_adult", "key_adult_named_at", "key_adult_named_by"],
           detail={"rule": "J4", "concern": concern.id, "in_time": notice.key_adult_named_at <= notice.key_adult_due,
                   "changed": not first})
    acknowledge(user=user, concern=concern)
    resolve(key=f"encompass:{notice.id}")
    notify(users=[key_adult], school=concern.school, kind=Kind.OTHER, urgent=True, key=f"key-adult:{notice.id}",
           reference=concern.reference,
           text=Words("You are a key adult at %(school)s (concern %(reference)s): speak to %(name)s before the school "
                      "day starts", {"school": concern.school.name, "reference": concern.reference,
                                     "name": user.full_name}),
           url=reverse("home"))
    return notice


@transaction.atomic
def escalate_no_key_adult(*, notice_id):
    """J4: no key adult was named by the start of the school day: tell the team again, and the deputies and the
    headteacher. Once only, and nothing if one was named."""
    notice = (EncompassNotice.objects.select_for_update().select_related("concern", "concern__school")
              .filter(id=notice_id).first())
    if notice is None or notice.key_adult_id or notice.escalated_at:
        return False
    concern = notice.concern
    notice.escalated_at = timezone.now()
    notice.save(update_fields=["escalated_at"])
    record(actor=None, action=Action.UPDATE, object_type="encompass_notice", object_id=notice.id,
           school=concern.school, changed_fields=["escalated_at"], detail={"rule": "J4",
                                                                          "reason": "no_key_adult_in_time"})
    people = list(routing.recipients(concern)) + list(routing.escalation_recipients(concern))
    notify(users=people, school=concern.school, kind=Kind.CONCERN, reference=concern.reference,
           due_at=notice.key_adult_due, key=f"encompass:{notice.id}",
           text=Words("Concern %(reference)s at %(school)s: no key adult was named by %(due)s. Name one now",
                      {"reference": concern.reference, "school": concern.school.name, "due": notice.key_adult_due}),
           url=reverse("concerns:detail", args=[concern.id]))
    return True


def sweep_key_adults(now):
    """J4, for the cron sweep (`manage.py escalate_overdue_tasks`): escalate every police notice whose key adult is
    overdue and was not escalated, in case the queued job was lost. Return a line saying what it did."""
    ids = list(EncompassNotice.objects.filter(key_adult__isnull=True, escalated_at__isnull=True,
                                              key_adult_due__lt=now).values_list("id", flat=True))
    count = sum(1 for notice_id in ids if escalate_no_key_adult(notice_id=notice_id))
    return f"{count} police notice(s) with no key adult in time escalated"
