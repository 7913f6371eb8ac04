"""Every change to the evidence of a case: check, save, chronology entry, audit row, one transaction."""

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases.actions import CaseError, add_entry, require_manager, require_open, schedule_escalations
from cases.actions.steps import event_happened
from cases.models import Entry, Task
from evidence.models import (CustodyStep, Deletion, Device, EvidenceItem, ParentContact, QuarantineRelease, Viewing,
                             ViewingSignature)
from lib.imagery import imagery_errors

DELETION_SCOPE = ("devices", "cloud", "social_media")


def _audit(user, case, object_type, object_id, **detail):
    record(actor=user, action=Action.CREATE, object_type=object_type, object_id=object_id, school=case.school_id,
           detail={"case": case.id, **detail})


def _step(*, user, device, holder, where_or_who, police_reference=""):
    where_or_who, police_reference = (where_or_who or "").strip(), (police_reference or "").strip()
    if holder not in CustodyStep.Holder.values:
        raise CaseError({"holder": "Say who holds the device now."})
    if not where_or_who:
        raise CaseError({"where_or_who": "Say where the device is, or who has it."})
    if holder == CustodyStep.Holder.POLICE and not police_reference:
        raise CaseError({"police_reference": "Give the police reference for the handover."})
    if device.quarantined and holder in (CustodyStep.Holder.PARENT, CustodyStep.Holder.OWNER):
        raise CaseError(
            {"holder": "This staff device is quarantined until the police advise: it cannot be returned yet."}
        )
    device.custody.filter(is_current=True).update(is_current=False)
    step = CustodyStep.objects.create(device=device, holder=holder, where_or_who=where_or_who,
                                      police_reference=police_reference, at=timezone.now(), by=user)
    _audit(user, device.case, "custody_step", step.id, device=device.id, holder=holder)
    add_entry(device.case, Entry.Kind.NOTE, user, f"Device ({device.make}, {device.owner}): "
           f"{step.get_holder_display().lower()}: {where_or_who}"
           + (f", police reference {police_reference}" if police_reference else "") + ".", ["C5"])
    return step


@transaction.atomic
def record_device(*, user, case, owner, make, isolation, holder, where_or_who, staff_device=False,
                  police_reference=""):
    """C5: a device taken into safe keeping, with its first custody step. C9: a staff device is quarantined."""
    require_manager(user, case)
    require_open(case)
    owner, make = (owner or "").strip(), (make or "").strip()
    if not owner or not make:
        raise CaseError({"owner" if not owner else "make": "Say whose device it is and its make and model."})
    if isolation not in Device.Isolation.values:
        raise CaseError({"isolation": "Say how the device was isolated."})
    device = Device.objects.create(case=case, owner=owner, make=make, isolation=isolation,
                                   staff_device=staff_device, quarantined=staff_device, recorded_by=user,
                                   recorded_at=timezone.now())
    _audit(user, case, "device", device.id, isolation=isolation, quarantined=device.quarantined)
    if device.quarantined:
        add_entry(case, Entry.Kind.NOTE, user, f"Staff device ({make}) quarantined until the police advise.", ["C9"])
    _step(user=user, device=device, holder=holder, where_or_who=where_or_who, police_reference=police_reference)
    event_happened(case=case, event="device_recorded", user=user)
    return device


ISOLATION_FROM_CONCERN = {"flight_mode": Device.Isolation.FLIGHT_MODE, "switched_off": Device.Isolation.SWITCHED_OFF}
VICTIM_ROLES = ("pictured", "harmed", "disclosed")


def carry_from_concern(*, user, case, concern):
    """20.2: what the reporter gave on the concern goes into the case's records, so nobody types it again: the
    device taken into safe keeping (how it was isolated, where it is kept) and a blocked web address. The steps
    waiting for them are ticked. Called when the case opens, or a concern is added to it."""
    recorded = []
    if concern.device_confiscated and case.devices.exists():
        # Another report of the same incident: most often the same device. Say so rather than record it twice.
        add_entry(case, Entry.Kind.NOTE, user, f"Concern {concern.reference} also says a device was taken into safe "
                  f"keeping ({concern.device_location or 'where is not said'}). If it is another device, record it.",
                  ["C5"])
    elif concern.device_confiscated:
        children = list(concern.children.select_related("pupil"))
        child = next((c for c in children if c.role in VICTIM_ROLES), children[0] if children else None)
        device = Device.objects.create(
            case=case, owner=child.pupil.display_name if child else "Not said on the report",
            make="Not described on the report", recorded_by=user, recorded_at=timezone.now(),
            isolation=ISOLATION_FROM_CONCERN.get(concern.device_isolation, Device.Isolation.NOT_ISOLATED))
        _audit(user, case, "device", device.id, isolation=device.isolation, from_concern=concern.id)
        add_entry(case, Entry.Kind.NOTE, user, f"Device taken into safe keeping, as reported on concern "
                  f"{concern.reference} by {concern.reporter_name}.", ["C5", "A2"])
        _step(user=user, device=device, holder=CustodyStep.Holder.SECURE_PLACE,
              where_or_who=concern.device_location or "Not said on the report")
        recorded.append("device_recorded")
        event_happened(case=case, event="device_recorded", user=user,
                       why=f"the device and where it is kept were given on concern {concern.reference}")
    if concern.breach_url:
        item = EvidenceItem.objects.create(
            case=case, kind=EvidenceItem.Kind.WEB_ADDRESS, value=concern.breach_url[:500],
            seen_at=concern.occurred_at, description=f"From concern {concern.reference}.", recorded_by=user,
            recorded_at=timezone.now())
        _audit(user, case, "evidence_item", item.id, kind=item.kind, from_concern=concern.id)
        recorded.append("evidence_recorded")
        event_happened(case=case, event="evidence_recorded", user=user,
                       why=f"the web address was given on concern {concern.reference}")
    return recorded


@transaction.atomic
def move_device(*, user, device, holder, where_or_who, police_reference=""):
    require_manager(user, device.case)
    require_open(device.case)
    device = Device.objects.select_for_update().get(id=device.id)
    return _step(user=user, device=device, holder=holder, where_or_who=where_or_who,
                 police_reference=police_reference)


@transaction.atomic
def release_quarantine(*, user, device, adviser, advised_at, advice, reason, police_reference=""):
    """C9: a staff device stays quarantined until the police advise. Their advice is recorded (who gave it, when,
    what they advised) with the reason the device may now leave safe keeping; then it moves like any other."""
    require_manager(user, device.case)
    require_open(device.case)
    device = Device.objects.select_for_update().select_related("case").get(id=device.id)
    if not device.quarantined:
        raise CaseError("This device is not quarantined.")
    adviser, police_reference = _one_line(adviser), _one_line(police_reference)
    advice, reason = (advice or "").replace("\x00", "").strip(), (reason or "").replace("\x00", "").strip()
    errors = {}
    if not adviser:
        errors["adviser"] = "Say who at the police gave the advice, such as the officer's name and force."
    elif len(adviser) > 200:
        errors["adviser"] = "Keep who gave the advice to 200 characters."
    if len(police_reference) > 100:
        errors["police_reference"] = "Keep the police reference to 100 characters."
    now = timezone.now()
    if advised_at is None or advised_at > now + timedelta(minutes=5):
        errors["advised_at"] = "Give the date and time the police advised, not in the future."
    if not advice:
        errors["advice"] = "Record what the police advised."
    if not reason:
        errors["reason"] = "Say why the device can now be released."
    if errors:
        raise CaseError(errors)
    release = QuarantineRelease.objects.create(
        device=device, adviser=adviser, police_reference=police_reference, advised_at=advised_at, advice=advice,
        reason=reason, recorded_by=user, recorded_at=now)
    device.quarantined = False
    device.save(update_fields=["quarantined"])
    record(actor=user, action=Action.UPDATE, object_type="device", object_id=device.id,
           school=device.case.school_id, changed_fields=["quarantined"], detail={"release": release.id, "rule": "C9"})
    reference = f" (reference {police_reference})" if police_reference else ""
    add_entry(device.case, Entry.Kind.DECISION, user,
              f"Quarantine of {device.make} ({device.owner}) ended on police advice from {adviser}{reference}, given "
              f"{timezone.localtime(advised_at):%-d %B %Y, %H:%M}: {advice} Why it can be released: {reason}",
              ["C9", "B10"])
    return release


@transaction.atomic
def record_parent_contact(*, user, case, pupil, informed, informed_at=None, how="", child_involvement="",
                          agreed_with="", reason=""):
    """D1: parents told as soon as possible, unless that would put a child at risk; a decision not to
    tell them is made with children's social care or the police, and recorded with the reason. D2: how
    the child took part."""
    require_manager(user, case)
    require_open(case)
    if not case.concerns.filter(children__pupil=pupil).exists():
        raise CaseError({"pupil": "Choose a child named in this case."})
    if informed:
        if informed_at is None or informed_at > timezone.now() + timedelta(minutes=5):
            raise CaseError({"informed_at": "Say when the parents or carers were told."})
        agreed_with, reason = "", ""
    else:
        reason = (reason or "").strip()
        if agreed_with not in ParentContact.Agency.values:
            raise CaseError({"agreed_with": "A decision not to tell parents is made with children's social care "
                                            "or the police: say which."})
        if not reason:
            raise CaseError({"reason": "Give the reason for not telling the parents or carers."})
    contact = ParentContact.objects.create(
        case=case, pupil=pupil, informed=informed, informed_at=informed_at if informed else None,
        how=(how or "").strip(), child_involvement=(child_involvement or "").strip(), agreed_with=agreed_with,
        reason=reason, recorded_by=user, recorded_at=timezone.now())
    _audit(user, case, "parent_contact", contact.id, informed=informed)
    if informed:
        text = (f"Parents or carers of {pupil.display_name} told ({contact.how or 'how not recorded'})."
                + (f" The child's part: {contact.child_involvement}" if contact.child_involvement else ""))
        add_entry(case, Entry.Kind.NOTE, user, text, ["D1", "D2"])
    else:
        add_entry(case, Entry.Kind.DECISION, user, f"Parents or carers of {pupil.display_name} not told, agreed with "
               f"{contact.get_agreed_with_display().lower()}. Reason: {reason}", ["D1", "B10"])
    children = set(case.concerns.values_list("children__pupil", flat=True)) - {None}
    if children <= set(case.parent_contacts.values_list("pupil", flat=True)):
        event_happened(case=case, event="parents_told", user=user,
                       why="the parents or carers of every child in the case were told, or a decision not to tell "
                           "them was recorded with the reason")
    return contact


@transaction.atomic
def request_deletion(*, user, case, pupil, deadline, scope, illegal_reminder_given, consequence_explained):
    """C7: only when there is no referral. The deadline becomes a task that escalates when overdue (E7)."""
    require_manager(user, case)
    require_open(case)
    if case.referrals.referrals().exists():
        raise CaseError("This case has a referral: deletion waits for the agencies involved. Do not ask the child "
                        "to delete anything until they say so.")
    if case.evaluation.get("referral_required"):
        raise CaseError("A referral criterion applies, so this case needs a referral: deletion waits for the "
                        "agencies involved.")
    if not case.concerns.filter(children__pupil=pupil).exists():
        raise CaseError({"pupil": "Choose a child named in this case."})
    if not illegal_reminder_given or not consequence_explained:
        raise CaseError(
            {
                "reminder": "Remind the child that having the image is illegal, and explain what happens if it is "
                "not deleted, before asking."
            }
        )
    if set(scope) != set(DELETION_SCOPE):
        raise CaseError({"scope": "Ask for deletion everywhere: devices, cloud storage and social media."})
    if deadline is None:  # issue 20.6: an empty box and a past date are different mistakes
        raise CaseError({"deadline": "Set a deadline: the date and time by which the child should have deleted it."})
    if deadline <= timezone.now():
        raise CaseError({"deadline": "The deadline must be in the future."})
    n = Deletion.objects.filter(case=case).count() + 1
    task = Task.objects.create(case=case, key=f"deletion.{n}", phase=Task.Phase.MEDIUM_TERM, rules=["C7"],
                               title=f"Confirm {pupil.display_name} has deleted the imagery (devices, cloud, "
                                     "social media)", due_at=deadline)
    deletion = Deletion.objects.create(case=case, pupil=pupil, illegal_reminder_given=True,
                                       consequence_explained=True, scope=list(DELETION_SCOPE), deadline=deadline,
                                       task=task, requested_by=user, requested_at=timezone.now())
    _audit(user, case, "deletion", deletion.id, deadline=deadline.isoformat())
    add_entry(case, Entry.Kind.DECISION, user, f"{pupil.display_name} asked to delete the imagery from devices, cloud "
           f"storage and social media by {timezone.localtime(deadline):%-d %B %Y, %H:%M}, after being reminded "
           "that having it is illegal and told what happens if it is not deleted.", ["C7"])
    schedule_escalations([task])
    return deletion


@transaction.atomic
def confirm_deletion(*, user, deletion, confirmed, how):
    """C7: confirmation received (or not), with how; either way the deadline task is completed."""
    require_manager(user, deletion.case)
    from cases.actions import complete_task

    how = (how or "").strip()
    if not how:
        raise CaseError({"how": "Say how the deletion was confirmed, or why it could not be."})
    if deletion.state != Deletion.State.REQUESTED:
        raise CaseError("This deletion has already been recorded.")
    deletion.state = Deletion.State.CONFIRMED if confirmed else Deletion.State.NOT_CONFIRMED
    deletion.confirmed_at = timezone.now()
    deletion.confirmed_how = how
    deletion.save(update_fields=["state", "confirmed_at", "confirmed_how"])
    record(actor=user, action=Action.UPDATE, object_type="deletion", object_id=deletion.id,
           school=deletion.case.school_id, changed_fields=["state", "confirmed_at"])
    complete_task(user=user, task=deletion.task, done=confirmed, note=how)
    case = deletion.case
    if confirmed and not case.deletions.exclude(state=Deletion.State.CONFIRMED).exists():
        asked = ", ".join(d.pupil.display_name for d in case.deletions.select_related("pupil"))
        event_happened(case=case, event="deletion_confirmed", user=user,
                       why=f"deletion was confirmed by every child asked ({asked})")
    return deletion


@transaction.atomic
def record_viewing(*, user, case, reason, no_distress, consulted, viewer, witness, place, on_premises_in_private,
                   same_sex, not_same_sex_reason, result, already_copied, viewed_at):
    """C1–C3: refused without a lawful reason, a second member of staff, a private place on the premises,
    and the senior roles consulted. C4: imagery already copied prompts a task to seek police advice.
    C6: the viewer and witness are offered support."""
    require_manager(user, case)
    from accounts.capabilities import Capability
    from accounts.policy import works_at
    from cases.access import owns

    require_open(case)
    if reason not in Viewing.Reason.values:
        raise CaseError({"reason": "Imagery may be viewed only for one of the three reasons listed."})
    if not no_distress:
        raise CaseError(
            {"no_distress": "Imagery must not be viewed if that would cause a child significant distress or harm."}
        )
    if not (consulted or "").strip():
        raise CaseError({"consulted": "Record which senior colleagues were consulted before viewing."})
    if not owns(viewer, case) or not viewer.access.can(Capability.MANAGE_CASES, case.school_id):
        raise CaseError("The viewer must be the DSL or an authorised member of the safeguarding team.")
    if witness == viewer or not witness.is_active or not works_at(witness, case.school_id):
        raise CaseError({"witness": "Another member of staff at the school must be present as witness."})
    if not on_premises_in_private or not (place or "").strip():
        raise CaseError({"place": "Viewing happens on the school premises, in private: say where."})
    if not same_sex and not (not_same_sex_reason or "").strip():
        raise CaseError({"not_same_sex_reason": "Say why the viewer was not the same sex as the child."})
    if not (result or "").strip():
        raise CaseError({"result": "Record what was done as a result of viewing."})
    if viewed_at is None or viewed_at > timezone.now() + timedelta(minutes=5):
        raise CaseError({"viewed_at": "Say when the imagery was viewed (not in the future)."})
    now = timezone.now()
    viewing = Viewing.objects.create(
        case=case, reason=reason, no_distress=True, consulted=consulted.strip(), viewer=viewer, witness=witness,
        place=place.strip(), same_sex=same_sex, not_same_sex_reason=(not_same_sex_reason or "").strip(),
        result=result.strip(), already_copied=already_copied, viewed_at=viewed_at, recorded_by=user,
        recorded_at=now)
    _audit(user, case, "viewing", viewing.id, reason=reason)
    add_entry(case, Entry.Kind.DECISION, user, f"Imagery viewed by {viewer.full_name} with {witness.full_name} "
           f"present ({viewing.place}). Reason: {viewing.get_reason_display()}. Result: {viewing.result} "
           "Waiting for both signatures.", ["C1", "C2", "C3"])
    n = case.viewings.count()
    tasks = [Task.objects.create(case=case, key=f"viewing.{n}.support", phase=Task.Phase.SHORT_TERM, rules=["C6"],
                                 title=f"Offer emotional support to {viewer.full_name} and {witness.full_name}, "
                                       "who viewed imagery", due_at=now + timedelta(days=2))]
    if already_copied:
        tasks.append(Task.objects.create(case=case, key=f"viewing.{n}.police", phase=Task.Phase.IMMEDIATE,
                                         rules=["C4"], due_at=now + timedelta(hours=2),
                                         title="Imagery was already copied, printed or saved: seek police advice; "
                                               "keep copies only if the police ask"))
    schedule_escalations(tasks)
    from notifications.actions import Kind, notify
    from django.urls import reverse

    notify(users=[viewer, witness], school=case.school, kind=Kind.SIGN_OFF, reference=case.reference,
           key=f"viewing:{viewing.id}",
           text=f"Case {case.reference} at {case.school.name}: sign the imagery viewing record. No deadline is set: "
                "sign it soon, while the viewing is fresh in your mind",
           url=reverse("cases:detail", args=[case.id]))
    return viewing


def sign_viewing(*, user, viewing, password, code):
    """C3: the viewer and the witness each sign by re-entering their password and second factor."""
    from accounts import mfa

    roles = [r for r, who in (("viewer", viewing.viewer_id), ("witness", viewing.witness_id)) if who == user.id]
    if not roles:
        raise CaseError("Only the viewer and the witness sign this record.")
    refusal = mfa.signature_refusal(user, password, code)
    if refusal:
        raise CaseError({"password": refusal})
    with transaction.atomic():
        viewing = Viewing.objects.select_for_update().get(id=viewing.id)
        if viewing.signatures.filter(role=roles[0]).exists():
            raise CaseError("You have already signed this record.")
        ViewingSignature.objects.create(viewing=viewing, role=roles[0], user=user, signed_at=timezone.now())
        record(actor=user, action=Action.SIGN, object_type="viewing", object_id=viewing.id,
               school=viewing.case.school_id, detail={"role": roles[0], "rule": "C3"})
        add_entry(viewing.case, Entry.Kind.SIGN_OFF, user, f"Imagery viewing record signed by the {roles[0]}.", ["C3"])
        from notifications.actions import resolve

        resolve(key=f"viewing:{viewing.id}", users=[user])
        if viewing.signatures.count() == 2:
            viewing.state = Viewing.State.SIGNED
            viewing.save(update_fields=["state"])
            event_happened(case=viewing.case, event="viewing_signed", user=user,
                           why="the imagery viewing record was signed by the viewer and the witness")
    return viewing


# -- The evidence register (A3): descriptions and metadata, never the material ------------------

_CARD_NUMBER = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_url = URLValidator(schemes=["http", "https"])


def _one_line(text):
    """Text for a one-line field: no NUL (PostgreSQL refuses it), no line breaks, single spaces."""
    return " ".join((text or "").replace("\x00", "").split())


def _luhn(digits):
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _card_number_in(text):
    return any(_luhn(re.sub(r"\D", "", m.group())) for m in _CARD_NUMBER.finditer(text))


@transaction.atomic
def record_evidence(*, user, case, kind, value, platform="", seen_at=None, description=""):
    """A3: an entry in the evidence register. Refusals name the field to change."""
    require_manager(user, case)
    require_open(case)
    value, platform, description = (
        _one_line(value),
        _one_line(platform),
        (description or "").replace("\x00", "").strip(),
    )
    errors = {}
    if len(platform) > 120:
        errors["platform"] = "Keep the platform's name to 120 characters."
    if kind not in EvidenceItem.Kind.values:
        raise CaseError({"kind": "Choose what kind of evidence this is."})
    if not value:
        errors["value"] = {
            "web_address": "Give the web address.", "account": "Give the username or profile link.",
            "phone": "Give the phone number.", "message": "Say who sent the message.",
            "payment": "Give the payment details that were demanded.",
            "physical": "Say where the physical evidence is held.",
        }.get(kind, "Say what the evidence is.")
    elif len(value) > 500:
        errors["value"] = "Keep this to 500 characters; put the rest in the description."
    elif kind == "web_address":
        try:
            _url(value)
        except ValidationError:
            errors["value"] = "Give a web address starting http:// or https://."
    elif kind == "phone" and (re.search(r"[^\d\s+()\-.]", value) or not 6 <= len(re.sub(r"\D", "", value)) <= 15):
        errors["value"] = "Give a phone number, such as 07700 900123 or +44 7700 900123."
    if kind == "account" and not platform:
        errors["platform"] = "Say which platform or app the account is on."
    if kind == "message" and seen_at is None:
        errors["seen_at"] = "Give the date and time the message was sent."
    if seen_at is not None and seen_at > timezone.now() + timedelta(minutes=5):
        errors["seen_at"] = "The date and time cannot be in the future."
    imagery = imagery_errors({"value": ("The address, username, number, sender, payment details or place", value),
                              "description": ("Description", description)})
    for field, text in (("value", value), ("description", description)):
        if field in imagery:
            errors[field] = imagery[field]
        elif kind != "phone" and _card_number_in(text):
            errors[field] = "Record only the last four digits of a card number, never the whole number."
    if errors:
        raise CaseError(errors)
    item = EvidenceItem.objects.create(case=case, kind=kind, value=value, platform=platform, seen_at=seen_at,
                                       description=description, recorded_by=user, recorded_at=timezone.now())
    _audit(user, case, "evidence_item", item.id, kind=kind)
    where = f" ({platform})" if platform else ""
    add_entry(case, Entry.Kind.NOTE, user, f"Evidence recorded: {item.get_kind_display().split(' (')[0].lower()}"
              f"{where}: {value}.", ["A3"])
    event_happened(case=case, event="evidence_recorded", user=user)
    return item
