"""Every change to records: check, save, audit in one transaction (H4 disposal, H6 subject access).

Disposal needs two people. One asks, giving the reason; a different person holding
SIGN_OFF_DECISIONS approves by re-entering their password and a code. The approval
removes the case and everything under it, and leaves a tombstone (a Tombstone row and an
audit event) that says what it was, the rule and date, and who decided: never a name.
"""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import mfa
from accounts.capabilities import CAPABILITIES, Capability
from accounts.models import User
from audit.log import Action, record, record_refusal
from cases.models import Case
from lib.errors import ActionError
from notifications.actions import Kind, notify, resolve
from records import access, disposal
from records.models import DisposalRequest, RecordType, StaffBirthDate, SubjectAccessRelease, Tombstone
from records.redaction import Redactor


class RecordsError(ActionError):
    """The request cannot be done as asked; the message says what to do instead."""


class SignatureError(RecordsError):
    """The password or the code given to approve was wrong (audited as a refused signature)."""


def _approvers(case, *, exclude):
    """People who may approve disposing of `case`, other than `exclude` (a few queries)."""
    roles = {role for role, caps in CAPABILITIES.items() if Capability.SIGN_OFF_DECISIONS in caps}
    users = (User.objects.filter(is_active=True, memberships__school=case.school_id, memberships__role__in=roles)
             | User.objects.filter(is_active=True, trust_memberships__trust=case.school.trust_id,
                                   trust_memberships__role__in=roles))
    return [u for u in users.exclude(id=exclude.id).distinct().order_by("id") if access.may_approve(u, case)]


@transaction.atomic
def request_disposal(*, user, case, reason, today=None):
    """H4: ask for a closed case past its retention date to be disposed of."""
    if not access.may_manage(user, case):
        raise Http404("No such record")
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError("Give the reason the record can be disposed of now.")
    today = today or timezone.localdate()
    case = Case.objects.select_for_update().get(id=case.id)
    retention = disposal.retention_of_case(case)
    if retention.until is None:
        raise RecordsError("This case is open. An open case is never disposed of.")
    if not retention.is_due(today):
        raise RecordsError(f"This record must be kept until {retention.until:%-d %B %Y}. "
                           "You can ask for disposal on or after that date.")
    if DisposalRequest.objects.pending().filter(record_type=RecordType.CASE, record_id=case.id).exists():
        raise RecordsError("Disposal of this record has already been asked for.")
    request = DisposalRequest.objects.create(
        record_type=RecordType.CASE, record_id=case.id, reference=case.reference, school_id=case.school_id,
        rule=retention.rule_id, retention_date=retention.until, reason=reason, requested_by=user,
        requested_at=timezone.now())
    record(actor=user, action=Action.CREATE, object_type="disposal_request", object_id=request.id,
           school=case.school_id, detail={"case": case.id, "rule": retention.rule_id, "rules": ["H4"]})
    notify(users=_approvers(case, exclude=user), school=case.school, kind=Kind.SIGN_OFF,
           reference=case.reference, key=f"disposal:{request.id}",
           text=f"Case {case.reference} at {case.school.name} is past its retention date: approve or refuse its "
                "disposal",
           url=reverse("records:approve", args=[request.id]))
    return request


def approve_disposal(*, user, request, password, code):
    """H4: the second person approves by re-entering their password and a code; the record goes.

    The credentials are checked before the transaction, so a wrong code counts towards the
    second factor's throttling even though nothing is disposed of.
    """
    if request.requested_by_id == user.id:
        raise RecordsError("A different person must approve: you asked for this disposal.")
    refusal = mfa.signature_refusal(user, password, code, to="approve")
    if refusal:
        raise SignatureError(refusal)
    with transaction.atomic():
        return _dispose(user, request)


def _dispose(user, request):
    request = DisposalRequest.objects.select_for_update().get(id=request.id)
    if request.state != DisposalRequest.State.PENDING:
        raise RecordsError("This request is no longer waiting for approval.")
    case = Case.objects.select_for_update().select_related("school").filter(id=request.record_id).first()
    if case is None or not access.may_approve(user, case):
        raise Http404("No such record")
    retention = disposal.retention_of_case(case)
    if not retention.is_due(timezone.localdate()):
        raise RecordsError("This record is no longer due for disposal (it was reopened, or its date moved).")
    redact = people_redactor(case)
    now = timezone.now()
    request.state, request.decided_by, request.decided_at = DisposalRequest.State.APPROVED, user, now
    resolve(key=f"disposal:{request.id}")
    request.reason = redact(request.reason)
    request.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    # The approved request is what the chronology's delete trigger looks for.
    removed = disposal.remove_case(case.id)
    if case.subject_staff_id and not Case.objects.filter(subject_staff_id=case.subject_staff_id).exists():
        # Held only to date allegations about them: with the last one gone, it goes too.
        StaffBirthDate.objects.filter(user_id=case.subject_staff_id).delete()
    tombstone = Tombstone.objects.create(
        request=request, record_type=request.record_type, record_id=request.record_id, reference=request.reference,
        school_id=request.school_id, rule=request.rule, retention_date=request.retention_date,
        requested_by_id=request.requested_by_id, requested_at=request.requested_at, approved_by=user,
        approved_at=now)
    record(actor=user, action=Action.DELETE, object_type="case", object_id=request.record_id,
           school=request.school_id, changed_fields=sorted(removed),
           detail={"tombstone": tombstone.id, "disposal_request": request.id, "rule": request.rule,
                   "retention_date": request.retention_date.isoformat(), "requested_by": request.requested_by_id,
                   "rows_removed": sum(removed.values()), "rules": ["H4"]})
    return tombstone


def people_redactor(case):
    """A Redactor for every person linked to the case: the children named and their carers, the staff
    it is about, who reported, opened, closed or wrote in it. Three queries."""
    from schools.models import Carer, Pupil

    pupils = list(Pupil.objects.filter(concern_links__concern__case=case).distinct())
    carers = Carer.objects.filter(pupils__in=pupils).distinct() if pupils else []
    staff = User.objects.filter(Q(id__in=[i for i in (case.subject_staff_id, case.opened_by_id, case.closed_by_id)
                                          if i]) | Q(reported_concerns__case=case)).distinct()
    return Redactor(children=[n for p in pupils for n in (p.display_name, f"{p.legal_first_name} {p.legal_last_name}")],
                    adults=[f"{c.first_name} {c.last_name}" for c in carers] + [u.full_name for u in staff])


def record_failed_approval(*, user, request):
    record_refusal(actor=user, object_type="disposal_request", object_id=request.id, school=request.school_id,
                   reason="signature_password_or_code_wrong")


@transaction.atomic
def decline_disposal(*, user, request, reason):
    """Decline a request (an approver), or withdraw it (the person who asked). The record stays."""
    request = DisposalRequest.objects.select_for_update().get(id=request.id)
    if request.state != DisposalRequest.State.PENDING:
        raise RecordsError("This request is no longer waiting for approval.")
    case = Case.objects.filter(id=request.record_id).first()
    if case is None or not (request.requested_by_id == user.id or access.may_approve(user, case)):
        raise Http404("No such record")
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError("Say why the record should be kept.")
    request.state, request.decided_by, request.decided_at = DisposalRequest.State.DECLINED, user, timezone.now()
    request.decline_reason = reason
    request.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    record(actor=user, action=Action.UPDATE, object_type="disposal_request", object_id=request.id,
           school=request.school_id, changed_fields=["state"], detail={"case": case.id, "state": "declined"})
    return request


@transaction.atomic
def record_staff_birth_date(*, user, case, date_of_birth):
    """H4: the date of birth of the member of staff an allegation is about, to work out retirement age."""
    if not access.may_manage(user, case) or case.subject_staff_id is None:
        raise Http404("No such record")
    if date_of_birth is None or date_of_birth >= timezone.localdate():
        raise RecordsError("Enter the member of staff's date of birth, for example 27 3 1970.")
    row, created = StaffBirthDate.objects.update_or_create(
        user_id=case.subject_staff_id,
        defaults={"date_of_birth": date_of_birth, "recorded_by": user, "recorded_at": timezone.now()})
    record(actor=user, action=Action.CREATE if created else Action.UPDATE, object_type="staff_birth_date",
           object_id=case.subject_staff_id, school=case.school_id, changed_fields=["date_of_birth"],
           detail={"case": case.id, "rules": ["H4"]})
    return row


# -- Subject access (H6) -------------------------------------------------------------------

@transaction.atomic
def release_subject_access(*, user, export, previewed_sha256, method):
    """H6: record that a reviewed export was released. Refused if it changed since it was reviewed."""
    if not access.may_answer(user, export.kind, export.school.id):
        raise Http404("No such person")
    if method not in SubjectAccessRelease.Method.values:
        raise RecordsError("Say how the export was given to the person.")
    if previewed_sha256 != export.sha256:
        raise RecordsError("The records have changed since you reviewed them. Review the export again, "
                           "then release it.")
    release = SubjectAccessRelease.objects.create(
        school=export.school, subject_kind=export.kind, subject_id=export.subject_id, sha256=export.sha256,
        method=method, released_by=user, released_at=timezone.now())
    record(actor=user, action=Action.EXPORT, object_type="subject_access",
           object_id=f"{export.kind}:{export.subject_id}", school=export.school.id,
           detail={"stage": "released", "sha256": export.sha256, "method": method, "release": release.id,
                   "rules": ["H6"]})
    return release


def audit_subject_access(*, user, export, stage):
    """H2, H6: the preview and each download are audited before the response is sent."""
    record(actor=user, action=Action.VIEW if stage == "preview" else Action.EXPORT, object_type="subject_access",
           object_id=f"{export.kind}:{export.subject_id}", school=export.school.id,
           detail={"stage": stage, "sha256": export.sha256, "rules": ["H6"]})
