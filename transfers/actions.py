"""Sending and receiving a child's child protection file (H5). Every write and read is audited."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts.capabilities import Capability
from audit.log import Action, record, record_refusal
from lib.errors import ActionError
from lib.workdays import add_working_days
from notifications.actions import notify, when
from schools.models import Pupil, School
from transfers import keys as school_keys
from transfers.models import KnownSchool, ReceivedFile, SchoolKeys, Transfer
from transfers.package import (PackageRefused, normalise_code, open_package, read_header, receipt_code, refuse,
                               seal)

WORKING_DAYS = 5  # KCSIE: within 5 school days of the child starting at the new school


class TransferError(ActionError):
    pass


def due_at(started_on):
    start = timezone.make_aware(datetime.combine(started_on, time(9, 0)))
    return add_working_days(start, WORKING_DAYS)


def _hash(code):
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


# -- The file itself ------------------------------------------------------------------------------------------


def build_file(pupil) -> dict:
    """The pupil's child protection file: their record and every case they are a child on, with its chronology,
    decisions, referrals and answers, evidence descriptions and devices. Never imagery: Harbour holds none.
    Names are redacted by who they belong to (records/people.py): other children and their families are taken
    out (they are not the receiving school's business); the child's own family and staff in their role stay."""
    from concerns.models import ConcernChild
    from records import people
    from records.subject_access import _cases_sections, _clean, _concern_item, _date, _yes_no

    links = list(ConcernChild.objects.filter(pupil=pupil).select_related("concern__reported_by", "concern__case")
                 .order_by("concern__created_at"))
    cases = list({link.concern.case_id: link.concern.case for link in links if link.concern.case_id}.values())
    cases.sort(key=lambda c: c.opened_at)
    redact = people.redactor_for(purpose=people.TRANSFER, school=pupil.school, subject=pupil, cases=cases,
                                 concerns=[link.concern for link in links])
    return {
        "pupil": _clean(name=f"{pupil.legal_first_name} {pupil.legal_last_name}", preferred_name=pupil.display_name,
                        unique_pupil_number=pupil.upn, date_of_birth=_date(pupil.date_of_birth),
                        year_group=pupil.year_label, looked_after_child=_yes_no(pupil.is_looked_after),
                        child_in_need=_yes_no(pupil.is_child_in_need),
                        child_protection_plan=_yes_no(pupil.has_child_protection_plan)),
        "concerns": [_concern_item(link.concern, redact, link.role) for link in links],
        **_cases_sections(cases, redact, pupil=pupil),
        "school": pupil.school.name,
    }


# -- Sending --------------------------------------------------------------------------------------------------


def destinations(school):
    """Where a file can go from `school`: every other school on this Harbour, and registered key cards."""
    here = list(School.objects.exclude(id=school.id).order_by("name"))
    known = list(KnownSchool.objects.active().filter(trust_id=school.trust_id))
    return here, known


@transaction.atomic
def start_transfer(*, user, pupil, to, started_on, sent_how=""):
    """`to`: "school:<id>", "known:<id>" or "other:<name>". Returns the Transfer (with .code set for display
    when a receipt code was made: it is never stored, only its hash)."""
    errors = {}
    kind, _, value = (to or "").partition(":")
    to_school = to_known = None
    if kind == "school":
        to_school = School.objects.exclude(id=pupil.school_id).filter(id=value if value.isdigit() else 0).first()
    elif kind == "known":
        to_known = KnownSchool.objects.active().filter(
            trust_id=pupil.school.trust_id, id=value if value.isdigit() else 0
        ).first()
    name = (value or "").strip()[:200] if kind == "other" else ""
    if not (to_school or to_known or name):
        errors["to"] = "Choose the child’s new school, or name it if it does not use Harbour."
    if started_on is None:
        errors["started_on"] = "Give the date the child started at the new school, or the new school asked."
    elif started_on > timezone.localdate():
        errors["started_on"] = "The date cannot be in the future."
    sent_how = (sent_how or "").strip()[:300]
    if kind == "other" and name and not sent_how:
        errors["sent_how"] = ("Say how the PDF will reach them securely, for example “encrypted email to their "
                              "safeguarding team” or “handed over in person”.")
    if errors:
        raise TransferError(errors)
    method = Transfer.Method.HARBOUR if to_school else Transfer.Method.PACKAGE if to_known else Transfer.Method.PDF
    transfer = Transfer(school=pupil.school, pupil=pupil, method=method, to_school=to_school, to_known=to_known,
                        to_name=(to_school or to_known).name if (to_school or to_known) else name,
                        package_id=uuid.uuid4(), started_on=started_on, due_at=due_at(started_on),
                        sent_how=sent_how, created_by=user, created_at=timezone.now())
    transfer.code = None
    if method != Transfer.Method.PDF:
        code = receipt_code()
        if to_school:
            recipient = school_keys.keys_for(to_school)
        else:
            recipient = school_keys.Keys(0, bytes(to_known.sign_public), bytes(to_known.box_public))
        transfer.package, _ = seal(
            sender=school_keys.keys_for(pupil.school), sender_name=pupil.school.name,
            recipient_sign_public=recipient.sign_public, recipient_box_public=recipient.box_public,
            recipient_name=transfer.to_name, file=build_file(pupil), created_at=timezone.now().isoformat(),
            code=code, package_id=transfer.package_id)
        transfer.receipt_hash = _hash(code)
    transfer.save()
    record(actor=user, action=Action.CREATE, object_type="transfer", object_id=transfer.id, school=pupil.school,
           detail={"pupil": pupil.id, "method": method, "rule": "H5"})
    if to_school:
        notify(users=_dsl_team(to_school), school=to_school,
               due_at=transfer.due_at,
               text=f"A child protection file from {pupil.school.name} is waiting for you: receive it by "
                    f"{when(transfer.due_at)}",
               url=_inbox_url())
    return transfer


def _dsl_team(school):
    from accounts.policy import people_who_can

    return people_who_can(school, Capability.MANAGE_CASES)


def _inbox_url():
    from django.urls import reverse

    return reverse("transfers:incoming")


def confirm_by_code(*, user, transfer, code):
    """A school on another Harbour read out or sent the receipt code from the package: receipt is confirmed.
    A wrong code is refused and the refusal audited (it is checked before the transaction, so nothing undoes
    the record of it)."""
    if transfer.method != Transfer.Method.PACKAGE or not transfer.receipt_hash:
        raise TransferError({"code": "This transfer has no receipt code."})
    if not hmac.compare_digest(_hash(code), transfer.receipt_hash):
        record_refusal(actor=user, object_type="transfer", object_id=transfer.id, school=transfer.school_id,
                       reason="wrong_receipt_code", rule="H5")
        raise TransferError({"code": "That is not the receipt code for this file. Check it with the other school."})
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(id=transfer.id)
        if transfer.received_at:
            raise TransferError({"code": "Receipt of this file is already confirmed."})
        _mark_received(transfer, user=user, by_name="the receiving school (receipt code)")


@transaction.atomic
def confirm_pdf_received(*, user, transfer, who):
    """For a PDF sent to a school not on Harbour: who at the new school confirmed it arrived."""
    who = (who or "").strip()[:200]
    if transfer.received_at:
        raise TransferError({"who": "Receipt of this file is already confirmed."})
    if transfer.method != Transfer.Method.PDF:
        raise TransferError({"who": "This file’s receipt is confirmed by the receiving school."})
    if not who:
        raise TransferError({"who": "Say who at the new school confirmed they received it."})
    _mark_received(transfer, user=user, by_name=who)


def _mark_received(transfer, *, user, by_name):
    transfer.received_at = timezone.now()
    transfer.received_by_name = by_name
    transfer.receipt_recorded_by = user
    transfer.save(update_fields=["received_at", "received_by_name", "receipt_recorded_by"])
    record(actor=user, action=Action.UPDATE, object_type="transfer", object_id=transfer.id,
           school=transfer.school_id, changed_fields=["received_at"], detail={"rule": "H5"})


# -- Receiving ------------------------------------------------------------------------------------------------


def _sender_keys(school, fingerprint):
    """The signing key and name of the school whose fingerprint is on the package: a school of this
    installation, or a key card registered by this school's trust and not revoked."""
    for row in SchoolKeys.objects.select_related("school"):
        if school_keys.fingerprint(bytes(row.sign_public), bytes(row.box_public)) == fingerprint:
            return bytes(row.sign_public), row.school.name, row.school
    known = KnownSchool.objects.filter(trust_id=school.trust_id, fingerprint=fingerprint).first()
    if known and not known.is_active:
        refuse("revoked_sender")
    if known:
        name = f"{known.name} (key card from another Harbour)" if known.name_clash else known.name
        return bytes(known.sign_public), name[:200], None
    refuse("unknown_sender")


def receive_package(*, user, school, data: bytes):
    """Open a package sent to `school`, keep the file against the pupil (matched by UPN), and confirm receipt
    (at once for a school of this installation; with the receipt code otherwise). Returns the ReceivedFile.
    Refusals are audited and raise PackageRefused.

    The package is verified (sender known and not revoked, signature, addressed to this school) before it is
    checked for replay, and a package id is only ever compared with this school's own: so a package from
    someone else, with the same id, can neither block the real one nor be mistaken for it."""
    try:
        header = read_header(data)
        sign_public, sender_name, sender_school = _sender_keys(school, header.sender)
        payload = open_package(header, recipient=school_keys.keys_for(school), sender_sign_public=sign_public)
        if ReceivedFile.objects.filter(school=school, package_id=header.id).exists():
            refuse("already_opened")
        try:
            with transaction.atomic():
                return _keep(user, school, header, payload, sender_name, sender_school)
        except IntegrityError:  # opened at the same moment by someone else at this school
            refuse("already_opened")
    except PackageRefused as refusal:
        _audit_refusal(user, school, refusal.code)
        raise


def _keep(user, school, header, payload, sender_name, sender_school):
    manifest, file = payload["manifest"], payload["file"]
    upn = (file.get("pupil") or {}).get("unique_pupil_number", "")
    pupil = Pupil.objects.filter(school=school, upn=upn).first() if upn else None
    received = ReceivedFile.objects.create(
        school=school,
        pupil=pupil,
        method=ReceivedFile.Method.HARBOUR if sender_school else ReceivedFile.Method.PACKAGE,
        from_name=sender_name,
        package_id=header.id,
        contents=file,
        receipt_code=manifest.get("receipt_code", "")[:20],
        arrived_on=timezone.localdate(),
        received_by=user,
        received_at=timezone.now(),
    )
    record(actor=user, action=Action.CREATE, object_type="received_file", object_id=received.id, school=school,
           detail={"pupil": pupil.id if pupil else None, "rule": "H5"})
    transfer = Transfer.objects.select_for_update().filter(package_id=header.id, to_school=school,
                                                           school=sender_school).first()
    if sender_school and transfer and transfer.received_at is None:
        _mark_received(transfer, user=user, by_name=user.full_name)
        notify(users=_dsl_team(transfer.school), school=transfer.school,
               text=f"{school.name} confirmed receipt of a child protection file", url=_transfer_url(transfer))
    return received


def _transfer_url(transfer):
    from django.urls import reverse

    return reverse("transfers:detail", args=[transfer.id])


def _audit_refusal(user, school, code):
    """A refused package is recorded in its own transaction: nothing else is written."""
    record_refusal(actor=user, object_type="received_file", school=school, reason=code, rule="H5")


@transaction.atomic
def record_arrival(*, user, school, from_name, method, arrived_on, where_kept, upn=""):
    """A file that came on paper or as a PDF from a school not on Harbour: recorded, never uploaded."""
    errors = {}
    from_name, where_kept = (from_name or "").strip()[:200], (where_kept or "").strip()[:300]
    if not from_name:
        errors["from_name"] = "Name the school that sent it."
    if method not in (ReceivedFile.Method.PAPER, ReceivedFile.Method.PDF):
        errors["method"] = "Say whether it came on paper or as a PDF or secure email."
    if arrived_on is None:
        errors["arrived_on"] = "Give the date it arrived."
    elif arrived_on > timezone.localdate():
        errors["arrived_on"] = "The date cannot be in the future."
    if not where_kept:
        errors["where_kept"] = "Say where it is kept, for example “locked cabinet in the safeguarding office”."
    pupil = Pupil.objects.filter(school=school, upn=(upn or "").strip().upper()).first() if upn else None
    if upn and pupil is None:
        errors["upn"] = "No pupil at this school has that unique pupil number."
    if errors:
        raise TransferError(errors)
    received = ReceivedFile.objects.create(school=school, pupil=pupil, method=method, from_name=from_name,
                                           where_kept=where_kept, arrived_on=arrived_on, received_by=user,
                                           received_at=timezone.now())
    record(actor=user, action=Action.CREATE, object_type="received_file", object_id=received.id, school=school,
           detail={"pupil": pupil.id if pupil else None, "method": method, "rule": "H5"})
    return received


def file_upn(received):
    """The unique pupil number written in a received package, or ""."""
    return ((received.contents or {}).get("pupil") or {}).get("unique_pupil_number", "") or ""


@transaction.atomic
def link_received_file(*, user, received, upn):
    """A file that arrived before the child was on roll is kept against them once they are (H5). A package
    names its child, so it can only be linked to the pupil with that number."""
    received = ReceivedFile.objects.select_for_update().get(id=received.id)
    upn = (upn or "").strip().upper()
    if received.pupil_id is not None:
        raise TransferError({"upn": "This file is already kept against a child."})
    if not upn:
        raise TransferError({"upn": "Enter the child's unique pupil number."})
    written = file_upn(received).strip().upper()
    if written and upn != written:
        raise TransferError({"upn": f"The file is for the child with unique pupil number {written}. "
                                    "Check the number; a file is only kept against the child it is about."})
    pupil = Pupil.objects.filter(school=received.school_id, upn=upn).first()
    if pupil is None:
        raise TransferError({"upn": "No pupil at this school has that unique pupil number yet. Import the "
                                    "child from your MIS first."})
    received.pupil = pupil
    received.save(update_fields=["pupil"])
    record(actor=user, action=Action.UPDATE, object_type="received_file", object_id=received.id,
           school=received.school_id, changed_fields=["pupil"], detail={"pupil": pupil.id, "rule": "H5"})
    return received


def _same_name(name):
    return " ".join(name.split()).casefold()


def register_key_card(*, user, school, text, fingerprint, same_name_checked=False):
    """Register another Harbour's school from its key card (H5), for this school's trust.

    `fingerprint` is what the other school's DSL read out on the phone: the card is registered only if it
    matches the card's own, which is what shows the card was not swapped on the way. A mismatch is refused and
    audited. A card that names a school already on this Harbour is flagged: it is registered only when the DSL
    says they have checked (`same_name_checked`), and carries a warning wherever it is shown."""
    try:
        card = school_keys.read_key_card(text)
    except school_keys.CardRefused as exc:
        raise TransferError({"card": str(exc)}) from None
    if card["fingerprint"] == school_keys.keys_for(school).fingerprint:
        raise TransferError({"card": "This is your own school’s key card."})
    typed = school_keys.normalise_fingerprint(fingerprint)
    if not (fingerprint or "").strip():
        raise TransferError({"fingerprint": "Type the fingerprint the other school’s safeguarding team reads out "
                                            "to you on the phone."})
    if typed != card["fingerprint"]:
        record_refusal(actor=user, object_type="known_school", school=school, reason="fingerprint_mismatch",
                       rule="H5")
        raise TransferError({"fingerprint": "The fingerprint you typed does not match this key card, so it has not "
                                            "been registered. Check it again with the other school’s safeguarding "
                                            "team. If it still does not match, do not use this card: it may have "
                                            "been changed on its way to you. Ask them to send it again by another "
                                            "route."})
    existing = KnownSchool.objects.filter(trust_id=school.trust_id, fingerprint=card["fingerprint"]).first()
    if existing and not existing.is_active:
        raise TransferError({"card": f"This key card was revoked on "
                                     f"{timezone.localtime(existing.revoked_at):%-d %B %Y}, so it cannot be "
                                     f"registered again. Ask the school for a new key card."})
    if existing:
        return existing
    clash = any(_same_name(name) == _same_name(card["name"]) for name in School.objects.values_list("name", flat=True))
    if clash and not same_name_checked:
        raise TransferError({"same_name_checked": f"A school called {card['name']} already uses this Harbour, and "
                                                  f"files to it never need a key card. Only register this card if "
                                                  f"you have checked by phone that it is a different school on "
                                                  f"another Harbour."})
    with transaction.atomic():
        known, created = KnownSchool.objects.get_or_create(
            trust_id=school.trust_id, fingerprint=card["fingerprint"],
            defaults={"name": card["name"], "sign_public": card["sign_public"], "box_public": card["box_public"],
                      "name_clash": clash, "registered_by": user, "registered_at": timezone.now()})
        if created:
            record(actor=user, action=Action.CREATE, object_type="known_school", object_id=known.id, school=school,
                   detail={"fingerprint": card["fingerprint"], "fingerprint_read_back": True,
                           "name_matches_a_school_here": clash, "rule": "H5"})
    return known


@transaction.atomic
def revoke_key_card(*, user, school, known_id, reason):
    """Stop trusting a registered key card: nothing more is sent to it and no file from it is opened (H5)."""
    known = KnownSchool.objects.select_for_update().filter(trust_id=school.trust_id, id=known_id).first()
    if known is None:
        raise Http404("No such key card")
    reason = (reason or "").strip()
    if not known.is_active:
        raise TransferError({"reason": "This key card is already revoked."})
    if not reason:
        raise TransferError({"reason": "Say why you are revoking this key card."})
    known.revoked_at, known.revoked_by, known.revoke_reason = timezone.now(), user, reason[:1000]
    known.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(actor=user, action=Action.UPDATE, object_type="known_school", object_id=known.id, school=school,
           changed_fields=["revoked_at"], detail={"fingerprint": known.fingerprint, "rule": "H5"})
    return known


# -- The clock ------------------------------------------------------------------------------------------------


def chase_late_transfers(now=None):
    """H5: tell the sending DSL team once when a transfer passes its 5-working-day deadline unconfirmed."""
    now = now or timezone.now()
    count = 0
    for transfer_id in list(Transfer.objects.filter(received_at__isnull=True, chased_at__isnull=True,
                                                    due_at__lt=now).values_list("id", flat=True)):
        with transaction.atomic():
            transfer = Transfer.objects.select_for_update().select_related("school").get(id=transfer_id)
            if transfer.received_at or transfer.chased_at:
                continue
            transfer.chased_at = now
            transfer.save(update_fields=["chased_at"])
            record(actor=None, action=Action.UPDATE, object_type="transfer", object_id=transfer.id,
                   school=transfer.school_id, changed_fields=["chased_at"], detail={"rule": "H5"})
            notify(users=_dsl_team(transfer.school), school=transfer.school,
                   text=f"Receipt of a child protection file sent from {transfer.school.name} is overdue: chase it",
                   url=_transfer_url(transfer))
            count += 1
    return count


def sweep_late_transfers(now):
    """The chase, as one of the clocks `manage.py escalate_overdue_tasks` runs (cases/sweep.py, transfers/apps.py)."""
    return f"{chase_late_transfers(now)} late child protection file transfer(s) chased (H5)"


def may_transfer(user, school):
    return user.access.can(Capability.MANAGE_CASES, school)
