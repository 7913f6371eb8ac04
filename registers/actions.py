"""Every change to a register: validate, save, audit, in one transaction; notices go out on commit.

Each function takes the acting user and the school's records; the view has already checked that the
user may manage registers at that school (MANAGE_REGISTERS). Nothing here is ever deleted: a
withdrawal, a new review or a new holder of a role is a new row, and the old one stays.
"""

from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from audit.log import Action, record
from lib.errors import ActionError
from registers import periods
from registers.models import (
    AgreementSignature,
    AgreementVersion,
    Audience,
    FilteringReview,
    FilteringRole,
    KeyStage,
    LeaverImagesDeletion,
    LeaverImagesKeeper,
    Place,
    PhotoConsent,
    Policy,
    PolicyReview,
    TrainingRecord,
)


class RegisterError(ActionError):
    """The change cannot be made as asked; the message says what to do instead."""


def _audit(user, action, obj, school, fields=(), **detail):
    record(actor=user, action=action, object_type=f"register_{obj._meta.model_name}", object_id=obj.id,
           school=school, changed_fields=list(fields), detail=detail or None)


def _clean(text):
    return (text or "").strip()


def _works_at(person, school):
    """Whether `person` is an active member of staff at `school` (one query)."""
    from accounts.models import Membership

    return bool(person and person.is_active and Membership.objects.filter(
        user=person, school=school, role__in=periods.STAFF_ROLES).exists())


def _not_future(day, what):
    if day is None or day > timezone.localdate():
        raise RegisterError(f"Give the date {what}, today or earlier.")


def _link_or_reference(link, reference):
    if not _clean(link) and not _clean(reference):
        raise RegisterError("Give a link to where it is kept, or a document reference.")


# I1: policies ---------------------------------------------------------------------------------

@transaction.atomic
def add_policy(*, user, school, title, owner, approved_by, approved_on, link="", document_reference="",
               last_reviewed_on=None):
    """I1: the next review is a year after the last review (or the approval, if never reviewed)."""
    title, approved_by = _clean(title), _clean(approved_by)
    if not title or not approved_by:
        raise RegisterError("Give the policy's title and who approved it.")
    if not _works_at(owner, school):
        raise RegisterError("Choose the policy's owner from the staff of this school.")
    _not_future(approved_on, "it was approved")
    if last_reviewed_on is not None:
        _not_future(last_reviewed_on, "it was last reviewed")
    _link_or_reference(link, document_reference)
    if Policy.objects.filter(school=school, title__iexact=title).exists():
        raise RegisterError("This school already has a policy with that title.")
    policy = Policy.objects.create(
        school=school, title=title, owner=owner, approved_by=approved_by, approved_on=approved_on,
        link=_clean(link), document_reference=_clean(document_reference), last_reviewed_on=last_reviewed_on,
        next_review_on=periods.add_months(last_reviewed_on or approved_on, periods.POLICY_REVIEW_MONTHS),
        created_by=user, created_at=timezone.now())
    _audit(user, Action.CREATE, policy, school, rule="I1")
    return policy


@transaction.atomic
def record_policy_review(*, user, policy, reviewed_on, notes, next_review_on=None, reason=""):
    """I1: a review sets the next one a year on, or sooner with the reason (a significant change due)."""
    notes, reason = _clean(notes), _clean(reason)
    _not_future(reviewed_on, "of the review")
    if not notes:
        raise RegisterError("Say what the review found or changed (\"No changes\" is an answer).")
    annual = periods.add_months(reviewed_on, periods.POLICY_REVIEW_MONTHS)
    if next_review_on is None or next_review_on == annual:
        next_review_on, reason = annual, ""
    elif next_review_on <= reviewed_on or next_review_on > annual:
        raise RegisterError(f"The next review is due by {annual:%-d %B %Y}: choose that date or an earlier one.")
    elif not reason:
        raise RegisterError("Say why the next review is sooner than a year.")
    policy = Policy.objects.select_for_update().get(id=policy.id)
    review = PolicyReview.objects.create(policy=policy, reviewed_on=reviewed_on, notes=notes,
                                         next_review_on=next_review_on, next_review_reason=reason, recorded_by=user,
                                         recorded_at=timezone.now())
    policy.last_reviewed_on, policy.next_review_on, policy.next_review_reason = reviewed_on, next_review_on, reason
    policy.save(update_fields=["last_reviewed_on", "next_review_on", "next_review_reason"])
    _audit(user, Action.CREATE, review, policy.school_id, policy=policy.id, rule="I1", annual=not reason)
    return review


@transaction.atomic
def bring_policy_review_forward(*, user, policy, next_review_on, reason):
    """I1: a significant change (new technology, an incident, new guidance) brings the review forward."""
    reason = _clean(reason)
    policy = Policy.objects.select_for_update().get(id=policy.id)
    if not reason:
        raise RegisterError("Say what significant change brings the review forward.")
    if next_review_on is None or next_review_on < timezone.localdate() or next_review_on >= policy.next_review_on:
        raise RegisterError(f"Choose a date from today and before the review now due "
                            f"({policy.next_review_on:%-d %B %Y}).")
    policy.next_review_on, policy.next_review_reason = next_review_on, reason
    policy.save(update_fields=["next_review_on", "next_review_reason"])
    _audit(user, Action.UPDATE, policy, policy.school_id, ["next_review_on", "next_review_reason"], rule="I1")
    return policy


@transaction.atomic
def alert_overdue_policy_reviews(*, today=None):
    """I1: tell each overdue policy's owner and the headteacher, once per overdue review. Return the count.

    Safe to run as often as you like (a daily job, cron, or both): a policy whose current review date
    has been alerted is skipped, and a new review date can be alerted again when it, in turn, passes.
    """
    from accounts.capabilities import Capability
    from accounts.policy import people_who_can
    from notifications.actions import notify

    today = today or timezone.localdate()
    due = (Policy.objects.select_for_update().select_related("school", "owner").overdue(today)
           .exclude(alerted_for=F("next_review_on")))
    count = 0
    for policy in due:
        people = {u.id: u for u in people_who_can(policy.school, Capability.RECEIVE_POLICY_REVIEW_ALERTS)}
        if policy.owner.is_active:
            people.setdefault(policy.owner_id, policy.owner)
        policy.alerted_for = policy.next_review_on
        policy.save(update_fields=["alerted_for"])
        record(actor=None, action=Action.UPDATE, object_type="register_policy", object_id=policy.id,
               school=policy.school_id, changed_fields=["alerted_for"], detail={"rule": "I1", "told": len(people)})
        notify(users=list(people.values()), school=policy.school, key=f"policy-review:{policy.id}",
               text=f"The review of the policy \"{policy.title[:120]}\" at {policy.school.name} is overdue: it was "
                    f"due on {policy.next_review_on:%-d %B %Y}. Review it and record the review",
               url=reverse("registers:policy", args=[policy.id]))
        count += 1
    return count


# I2: acceptable use agreements ---------------------------------------------------------------

@transaction.atomic
def add_agreement_version(*, user, school, audience, key_stage, academic_year, version, published_on, link="",
                          document_reference=""):
    version = _clean(version)
    if audience not in Audience.values:
        raise RegisterError("Choose who the agreement is for.")
    if audience == Audience.PUPILS and key_stage not in KeyStage.values:
        raise RegisterError("Pupils sign an agreement written for their age: choose the key stage.")
    if audience != Audience.PUPILS:
        key_stage = ""
    if not version:
        raise RegisterError("Give the version (for example \"2025\" or \"v3\").")
    this_year = periods.academic_year(timezone.localdate())
    if academic_year is None or not this_year - 1 <= academic_year <= this_year + 1:
        raise RegisterError("Choose the academic year the agreement is for.")
    _not_future(published_on, "it was issued")
    _link_or_reference(link, document_reference)
    if AgreementVersion.objects.filter(school=school, audience=audience, key_stage=key_stage,
                                       academic_year=academic_year, version__iexact=version).exists():
        raise RegisterError("That version is already in the register.")
    agreement = AgreementVersion.objects.create(
        school=school, audience=audience, key_stage=key_stage, academic_year=academic_year, version=version,
        link=_clean(link), document_reference=_clean(document_reference), published_on=published_on,
        created_by=user, created_at=timezone.now())
    _audit(user, Action.CREATE, agreement, school, rule="I2", audience=audience)
    return agreement


@transaction.atomic
def record_signatures(*, user, version, signed_on, staff=(), pupils=(), signer_name=""):
    """I2: who signed `version` and when. Someone already recorded for this version is skipped.
    Return the new signatures."""
    from accounts.models import Membership

    school = version.school
    _not_future(signed_on, "it was signed")
    if signed_on < version.published_on:
        raise RegisterError(f"It cannot be signed before it was issued ({version.published_on:%-d %B %Y}).")
    now = timezone.now()
    made = []
    if version.audience == Audience.STAFF:
        ids = {u.id for u in staff}
        allowed = set(Membership.objects.filter(school=school, role__in=periods.STAFF_ROLES, user__is_active=True,
                                                user_id__in=ids).values_list("user_id", flat=True))
        if not ids or ids - allowed:
            raise RegisterError("Choose who signed, from the staff of this school.")
        done = set(version.signatures.filter(staff_id__in=ids).values_list("staff_id", flat=True))
        made = [AgreementSignature(version=version, staff=u, signed_on=signed_on, recorded_by=user, recorded_at=now)
                for u in staff if u.id not in done]
    elif version.audience == Audience.PUPILS:
        if not pupils or any(p.school_id != school.id or p.left_on for p in pupils):
            raise RegisterError("Choose who signed, from the pupils on roll.")
        done = set(version.signatures.filter(pupil__in=pupils).values_list("pupil_id", flat=True))
        made = [AgreementSignature(version=version, pupil=p, signed_on=signed_on, recorded_by=user, recorded_at=now)
                for p in pupils if p.id not in done]
    else:
        signer_name = _clean(signer_name)
        if not signer_name:
            raise RegisterError("Give the name of the person or organisation who signed.")
        made = [AgreementSignature(version=version, signer_name=signer_name, signed_on=signed_on, recorded_by=user,
                                   recorded_at=now)]
    made = AgreementSignature.objects.bulk_create(made)
    record(actor=user, action=Action.CREATE, object_type="register_agreementsignature", object_id=version.id,
           school=school, detail={"rule": "I2", "version": version.id, "signatures": len(made)})
    return made


# I3: photo consent ---------------------------------------------------------------------------

@transaction.atomic
def record_photo_consent(*, user, pupil, places, decision, on, by_whom, in_writing, note=""):
    """I3: a parent or carer's answer for each of `places`: given or refused for this academic year,
    or withdrawn (in writing, at any time, with the date). A new record each time; none is changed."""
    by_whom = _clean(by_whom)
    places = list(dict.fromkeys(places))
    if not places or any(p not in Place.values for p in places):
        raise RegisterError("Choose at least one place where photographs may be used.")
    if decision not in PhotoConsent.Decision.values:
        raise RegisterError("Say whether consent was given, refused or withdrawn.")
    if not by_whom:
        raise RegisterError("Give the name of the parent or carer.")
    _not_future(on, "of the consent or withdrawal")
    if decision == PhotoConsent.Decision.WITHDRAWN and not in_writing:
        raise RegisterError("Consent is withdrawn in writing: record it when the written withdrawal arrives.")
    if pupil.left_on and on > pupil.left_on:
        raise RegisterError("This pupil has left the school.")
    now = timezone.now()
    made = PhotoConsent.objects.bulk_create([
        PhotoConsent(school_id=pupil.school_id, pupil=pupil, place=place, decision=decision,
                     academic_year=periods.academic_year(on), on=on, by_whom=by_whom, in_writing=bool(in_writing),
                     note=_clean(note), recorded_by=user, recorded_at=now)
        for place in places])
    record(actor=user, action=Action.CREATE, object_type="register_photoconsent", object_id=pupil.id,
           school=pupil.school_id, detail={"rule": "I3", "decision": decision, "places": places})
    return made


# I4: images of pupils who have left ----------------------------------------------------------

@transaction.atomic
def name_leaver_images_keeper(*, user, school, person):
    if not _works_at(person, school):
        raise RegisterError("Choose a member of staff at this school.")
    keeper, _ = LeaverImagesKeeper.objects.update_or_create(
        school=school, defaults={"person": person, "named_by": user, "named_at": timezone.now()})
    _audit(user, Action.UPDATE, keeper, school, ["person"], rule="I4", person=person.id)
    return keeper


@transaction.atomic
def record_leaver_images_deleted(*, user, pupil, deleted_on, note=""):
    """I4: only the named person records it, once the retention period has run out."""
    keeper = LeaverImagesKeeper.objects.filter(school_id=pupil.school_id).first()
    if keeper is None or keeper.person_id != user.id:
        raise RegisterError("Only the person named for leavers' images records their deletion.")
    if not pupil.left_on:
        raise RegisterError("This pupil has not left the school.")
    until = leaver_images_kept_until(pupil)
    if until > timezone.localdate():
        raise RegisterError(f"These images are kept until {until:%-d %B %Y}.")
    _not_future(deleted_on, "they were deleted")
    if LeaverImagesDeletion.objects.filter(pupil=pupil).exists():
        raise RegisterError("Their deletion has already been recorded.")
    deletion = LeaverImagesDeletion.objects.create(school_id=pupil.school_id, pupil=pupil, deleted_on=deleted_on,
                                                   deleted_by=user, note=_clean(note), recorded_at=timezone.now())
    _audit(user, Action.CREATE, deletion, pupil.school_id, rule="I4", pupil=pupil.id)
    return deletion


def leaver_images_kept_until(pupil):
    return periods.add_months(pupil.left_on, 12 * periods.LEAVER_IMAGES_YEARS)


# I5: training --------------------------------------------------------------------------------

@transaction.atomic
def record_training(*, user, school, person, kind, completed_on, provider):
    provider = _clean(provider)
    if kind not in TrainingRecord.Kind.values:
        raise RegisterError("Choose the kind of training.")
    if not _works_at(person, school):
        raise RegisterError("Choose who was trained, from the staff of this school.")
    _not_future(completed_on, "it was completed")
    if not provider:
        raise RegisterError("Say who provided the training.")
    training = TrainingRecord.objects.create(school=school, person=person, kind=kind, completed_on=completed_on,
                                             provider=provider, recorded_by=user, recorded_at=timezone.now())
    _audit(user, Action.CREATE, training, school, rule="I5", kind=kind)
    return training


# I6: filtering and monitoring ----------------------------------------------------------------

@transaction.atomic
def name_filtering_role(*, user, school, role, name, contact=""):
    name = _clean(name)
    if role not in FilteringRole.Role.values:
        raise RegisterError("Choose the role.")
    if not name:
        raise RegisterError("Give the name of the person or organisation.")
    FilteringRole.objects.select_for_update().filter(school=school, role=role, is_current=True).update(
        is_current=False)
    holder = FilteringRole.objects.create(school=school, role=role, name=name, contact=_clean(contact),
                                          named_by=user, named_at=timezone.now())
    _audit(user, Action.CREATE, holder, school, rule="I6", role=role)
    return holder


# J6: what the yearly review must say about each point of the DfE filtering and monitoring standards, keyed by field.
STANDARD_POINTS = {
    "senior_leader": "Name the senior leader responsible for filtering and monitoring.",
    "generative_ai": "Say how generative AI tools are filtered and monitored.",
    "send": "Say how filtering and monitoring meet the needs of pupils with SEND.",
    "eal": "Say how filtering and monitoring work for pupils learning English as an additional language.",
    "byod": "Say how devices that pupils and staff bring in are filtered and monitored.",
    "actions": "Say what will change and who will do it (\"Nothing needs to change\" is an answer).",
}


@transaction.atomic
def record_filtering_review(*, user, school, reviewed_on, reviewed_by, findings, illegal_content_blocked,
                            senior_leader, generative_ai, send, eal, byod, actions, illegal_content_notes="",
                            next_due=None):
    """I6, J6: the yearly review, point by point against the DfE standards; the next is due within 12 months."""
    reviewed_by, findings = _clean(reviewed_by), _clean(findings)
    points = {name: _clean(value) for name, value in (
        ("senior_leader", senior_leader), ("generative_ai", generative_ai), ("send", send), ("eal", eal),
        ("byod", byod), ("actions", actions))}
    illegal_content_notes = _clean(illegal_content_notes)
    _not_future(reviewed_on, "of the review")
    if not reviewed_by or not findings:
        raise RegisterError("Say who carried out the review and what it found.")
    if illegal_content_blocked not in (True, False):
        raise RegisterError({"illegal_content_blocked": "Say whether illegal content is blocked and cannot be "
                                                        "switched off."})
    if not illegal_content_blocked and not illegal_content_notes:
        raise RegisterError({"illegal_content_notes": "Say what is being done so that illegal content is blocked "
                                                      "and cannot be switched off."})
    missing = {name: message for name, message in STANDARD_POINTS.items() if not points[name]}
    if missing:
        raise RegisterError(missing)
    annual = periods.add_months(reviewed_on, periods.FILTERING_REVIEW_MONTHS)
    next_due = next_due or annual
    if next_due <= reviewed_on or next_due > annual:
        raise RegisterError(f"The next review is due by {annual:%-d %B %Y}: choose that date or an earlier one.")
    review = FilteringReview.objects.create(
        school=school, reviewed_on=reviewed_on, reviewed_by=reviewed_by, findings=findings, next_due=next_due,
        illegal_content_blocked=illegal_content_blocked, illegal_content_notes=illegal_content_notes, **points,
        recorded_by=user, recorded_at=timezone.now())
    _audit(user, Action.CREATE, review, school, rule="I6", standards="J6",
           illegal_content_blocked=illegal_content_blocked)
    return review


@transaction.atomic
def alert_overdue_filtering_reviews(*, today=None):
    """J6: tell those who hear of overdue policy reviews (I1) when a school's latest filtering and monitoring
    review is overdue, once per overdue review. Return the count. Safe to run as often as you like."""
    from accounts.capabilities import Capability
    from accounts.policy import people_who_can
    from notifications.actions import notify

    today = today or timezone.localdate()
    latest = (FilteringReview.objects.filter(school=models.OuterRef("school")).order_by("-reviewed_on", "-id")
              .values("id")[:1])
    due = (FilteringReview.objects.select_for_update().select_related("school")
           .filter(id=models.Subquery(latest), next_due__lt=today).exclude(alerted_for=F("next_due")))
    count = 0
    for review in due:
        people = people_who_can(review.school, Capability.RECEIVE_POLICY_REVIEW_ALERTS)
        review.alerted_for = review.next_due
        review.save(update_fields=["alerted_for"])
        record(actor=None, action=Action.UPDATE, object_type="register_filteringreview", object_id=review.id,
               school=review.school_id, changed_fields=["alerted_for"], detail={"rule": "J6", "told": len(people)})
        notify(users=list(people), school=review.school, key=f"filtering-review:{review.school_id}",
               text=f"The yearly filtering and monitoring review at {review.school.name} is overdue: it was due on "
                    f"{review.next_due:%-d %B %Y}. Carry it out and record it",
               url=reverse("registers:filtering_review"))
        count += 1
    return count
