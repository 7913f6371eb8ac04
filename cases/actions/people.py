"""Who can see the case beyond its team (H3), and notes on the chronology."""


from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from accounts.policy import works_at
from cases.access import CASES, owns
from cases.actions.common import CaseError, add_entry, case_url, require_manager, require_open
from cases.models import CaseMember, Entry
from lib.imagery import imagery_errors
from notifications.actions import notify


@transaction.atomic
def add_member(*, user, case, member, reason):
    require_manager(user, case)
    require_open(case)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Say why this person needs to see the case.", field="reason")
    if member.id == case.subject_staff_id or not member.is_active or not works_at(member, case.school_id):
        raise CaseError("Choose an active member of staff at this school.", field="user")
    if CaseMember.objects.filter(case=case, user=member).exists() or owns(member, case):
        raise CaseError(f"{member.full_name} can already see this case.", field="user")
    CaseMember.objects.create(case=case, user=member, why=CaseMember.Why.ADDED, reason=reason, added_by=user,
                              added_at=timezone.now())
    # The reason is kept on the membership and the chronology; the append-only trail points at the entry
    # so that no free text outlives the case when it is disposed of (H4).
    entry = add_entry(case, Entry.Kind.PERSON, user, f"{member.full_name} added to the case. Reason: {reason}", ["H3"])
    record(actor=user, action=Action.CREATE, object_type="case_member", object_id=f"{case.id}:{member.id}",
           school=case.school_id, detail={"why": "added", "entry": entry.id})
    notify(users=[member], school=case.school, reference=case.reference,
           text=f"You have been added to case {case.reference} at {case.school.name}: open it to see what it needs "
                "of you", url=case_url(case))


@transaction.atomic
def add_note(*, user, case, text):
    CASES.require(user, CASES.Verb.ADD_NOTE, case)
    text = (text or "").strip()
    if not text:
        raise CaseError("Write the note first.", field="text")
    # A3: never a picture, even written as text
    imagery = imagery_errors({"text": ("Add a note to the chronology", text)})
    if imagery:
        raise CaseError(imagery)
    entry = add_entry(case, Entry.Kind.NOTE, user, text[:10000])
    record(actor=user, action=Action.CREATE, object_type="case_entry", object_id=entry.id, school=case.school_id,
           detail={"case": case.id})
    return entry
