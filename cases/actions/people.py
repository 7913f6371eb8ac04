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


DEPICTS_STAFF = "depicts_staff_member"


def asks_about_staff(case):
    """J3: whether the case's procedure asks if an image shows an adult member of staff."""
    return DEPICTS_STAFF in {q["id"] for q in case.procedure.get("yes_no_questions", [])}


@transaction.atomic
def record_depicted_staff(*, user, case, staff, reason=""):
    """J3: an AI-made or altered image shows an adult member of staff. Record who, so that the case is kept from them
    (they read it only once the team adds them), and answer the procedure's question yes: the police are required.
    Changing who was recorded needs a reason, kept on the chronology."""
    require_manager(user, case)
    require_open(case)
    if not asks_about_staff(case):
        raise CaseError("This case's procedure does not ask whether an image shows a member of staff.", field="user")
    if staff is None:
        raise CaseError("Choose the member of staff the image shows.", field="user")
    if staff.id == user.id:
        raise CaseError("Ask another member of the safeguarding team to record this: the case will then be kept "
                        "from you unless they add you.", field="user")
    if not staff.is_active or not works_at(staff, case.school_id) or staff.id == case.subject_staff_id:
        raise CaseError("Choose an active member of staff at this school.", field="user")
    if case.depicted_staff_id == staff.id:
        raise CaseError(f"{staff.full_name} is already recorded as the member of staff the image shows.", field="user")
    reason = (reason or "").strip()
    imagery = imagery_errors({"reason": ("Reason", reason)})
    if imagery:
        raise CaseError(imagery)
    before = case.depicted_staff
    if before is not None and not reason:
        raise CaseError(f"Say why the image shows {staff.full_name} rather than {before.full_name}.", field="reason")
    case.depicted_staff = staff
    case.save(update_fields=["depicted_staff"])
    words = (f"The image shows a member of staff, {staff.full_name}"
             + (f" (recorded before as {before.full_name})" if before else "")
             + ". They do not see this case unless the safeguarding team adds them."
             + (f" Reason: {reason}" if reason else ""))
    entry = add_entry(case, Entry.Kind.PERSON, user, words, ["J3"])
    record(actor=user, action=Action.UPDATE, object_type="case", object_id=case.id, school=case.school_id,
           detail={"fields": ["depicted_staff"], "entry": entry.id, "changed": before is not None})
    from cases.actions.answers import update_answers

    return update_answers(user=user, case=case, facts={**case.facts, DEPICTS_STAFF: True})


@transaction.atomic
def clear_depicted_staff(*, user, case, reason):
    """J3: take away who was recorded as the member of staff an image shows (recorded in error), with the reason.
    They read the case again as their role allows. The answer to the procedure's question stays as it is: if the
    image shows no member of staff at all, the team changes that answer, with its own reason."""
    require_manager(user, case)
    require_open(case)
    if case.depicted_staff_id is None:
        raise CaseError("No member of staff is recorded as shown in the image.")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Say why this is being taken away.", field="reason")
    imagery = imagery_errors({"reason": ("Reason", reason)})
    if imagery:
        raise CaseError(imagery)
    before = case.depicted_staff
    case.depicted_staff = None
    case.save(update_fields=["depicted_staff"])
    entry = add_entry(case, Entry.Kind.PERSON, user, f"{before.full_name} is no longer recorded as the member of staff "
                      f"the image shows. Reason: {reason}", ["J3"])
    record(actor=user, action=Action.UPDATE, object_type="case", object_id=case.id, school=case.school_id,
           detail={"fields": ["depicted_staff"], "entry": entry.id, "cleared": True})


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
