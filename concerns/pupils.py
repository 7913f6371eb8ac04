"""P1–P5: pupils tell the school themselves, from the school's pupils' page (`/tell/<school code>/`).

A pupil's report becomes a concern for the safeguarding team like any other (P3): the same route, the same notice
at once and the same escalation when nobody acknowledges it in time (A1, `actions._create`), marked as from a
pupil by having no member of staff behind it and a `PupilReport` beside it. The pupil gets a receipt code, shown
once, and with it sees whether the report was read, adds more words and reads the team's reply; nothing else (P4).
The team replies, and may close a report as needing no action only with a reason (P5, B10).

Misuse is absorbed (P5): a device or network is limited (`limits.py`), and the same words sent again from the same
device or network while the first report is still open are gathered onto it instead of making a new concern.

Words only (P2, A3): the form has no file box, a posted file is refused, and a picture written as text is refused
by `lib.imagery` before anything is saved (and by harbour/imagery.py's last guard at the save itself).
"""

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.log import Action, record
from concerns import actions
from concerns.access import CONCERNS
from concerns.models import Concern, IncidentType, PupilNote, PupilReceipt, PupilReport
from lib.errors import ActionError
from lib.imagery import imagery_errors
from notifications.actions import Kind, notify

# P4: 16 characters from 32 (80 random bits), shown in four groups of four. No 0/O or 1/I/L, so it can be copied
# from paper by hand. Codes are typed back in any case, with or without the dashes.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols: 16 of them are over 79 random bits
RECEIPT_LENGTH = 16
# P5: the same words from the same device or network within this time are gathered onto the open report.
GATHER_WITHIN = timedelta(days=1)
MAX_WORDS = 5000
MAX_REPLY = 2000


class PupilReportRefused(ActionError):
    """What a pupil or the team sent cannot be kept as it is; each message is keyed by the box to change."""


def new_receipt_code():
    return "-".join("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4)) for _ in range(RECEIPT_LENGTH // 4))


def normalise_code(text):
    """What a pupil typed as their code: case, spaces and dashes do not matter. None when it cannot be a code."""
    code = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return None
    return code


def code_hash(code):
    return hashlib.sha256(code.encode()).hexdigest()


def _words_hash(school, words):
    """A keyed hash of the words, spaces and case aside, for gathering (P5)."""
    flat = " ".join(words.lower().split())
    return hmac.new(settings.SECRET_KEY.encode(), f"{school.id}:{flat}".encode(), hashlib.sha256).hexdigest()


def _check_words(fields):
    errors = imagery_errors(fields)
    if errors:
        raise PupilReportRefused({name: "pictures" for name in errors})


def submit(*, school, kind, words, name="", pupil_class="", sources=()):
    """P1, P3: record what a pupil sent. Return (concern, receipt code, gathered).

    `sources` are keyed hashes of the device and the network it came from (`limits.sources`): the same words from
    one of them within a day, while the first report is still open, are gathered onto it (P5) and the pupil gets a
    receipt code for that report."""
    words = (words or "").strip()
    if not words:
        raise PupilReportRefused({"words": "empty"})
    _check_words({"words": ("What is worrying you?", words), "name": ("Your name", name),
                  "pupil_class": ("Your class", pupil_class)})
    digest = _words_hash(school, words)
    code = new_receipt_code()
    now = timezone.now()
    with transaction.atomic():
        earlier = _gathered_onto(school, digest, sources, now)
        if earlier is not None:
            PupilNote.objects.create(report=earlier, text=words, repeated=True, created_at=now)
            receipt = PupilReceipt.objects.create(report=earlier, code_hash=code_hash(normalise_code(code)),
                                                  created_at=now)
            record(actor=None, action=Action.CREATE, object_type="pupil_note", object_id=earlier.concern_id,
                   school=school, changed_fields=["text"], detail={"rule": "P5", "gathered": True,
                                                                   "receipt": receipt.id})
            _remember(earlier, sources)
            return earlier.concern, code, True
        report = actions.Report(incident_type=IncidentType.OTHER, account=words)
        concern = actions._create(user=None, school=school, report=report, key=uuid.uuid4(),
                                  from_pupil=True)
        pupil_report = PupilReport.objects.create(concern=concern, kind=kind, pupil_name=name.strip(),
                                                  pupil_class=pupil_class.strip(), words_hash=digest)
        receipt = PupilReceipt.objects.create(report=pupil_report, code_hash=code_hash(normalise_code(code)),
                                              created_at=now)
        record(actor=None, action=Action.CREATE, object_type="pupil_report", object_id=concern.id, school=school,
               changed_fields=["kind"] + [f for f, v in (("pupil_name", name), ("pupil_class", pupil_class)) if v],
               detail={"rule": "P1", "receipt": receipt.id})
        _remember(pupil_report, sources)
    return concern, code, False


def _gathered_onto(school, digest, sources, now):
    from concerns.limits import recent_report

    for source in sources:
        report_id = recent_report(source, digest, since=now - GATHER_WITHIN)
        if report_id is None:
            continue
        report = (PupilReport.objects.select_for_update().select_related("concern")
                  .filter(id=report_id, concern__school=school).exclude(concern__status=Concern.Status.CLOSED)
                  .first())
        if report is not None:
            return report
    return None


def _remember(report, sources):
    from concerns.limits import remember_report

    for source in sources:
        remember_report(source, report.words_hash, report.id)


def find(*, school, code):
    """P4: the pupil report a receipt code opens at this school, or None. A wrong code, a code of another school
    and a code that is not a code all give None: the caller answers them all alike."""
    code = normalise_code(code)
    if code is None:
        return None
    receipt = (PupilReceipt.objects.select_related("report__concern")
               .filter(code_hash=code_hash(code), report__concern__school=school).first())
    return receipt.report if receipt else None


def add_more(*, report, words):
    """P4: more words from the pupil, with their code. The team is told again, naming nothing of what was said."""
    words = (words or "").strip()
    if not words:
        raise PupilReportRefused({"more": "empty"})
    _check_words({"more": ("Tell us more", words)})
    concern = report.concern
    with transaction.atomic():
        note = PupilNote.objects.create(report=report, text=words, created_at=timezone.now())
        record(actor=None, action=Action.CREATE, object_type="pupil_note", object_id=concern.id,
               school=concern.school_id, changed_fields=["text"], detail={"rule": "P4", "note": note.id})
        from concerns import routing

        notify(users=routing.recipients(concern), school=concern.school, kind=Kind.CONCERN,
               reference=concern.reference, key=f"pupil-more:{concern.id}",
               text=f"Concern {concern.reference}: the pupil added more. Read it on the concern's page",
               url=reverse("concerns:detail", args=[concern.id]))
    return note


def reply(*, user, concern, text):
    """P4: a short reply from the safeguarding team, which the pupil reads with their code. Replying
    acknowledges the concern (the pupil sees it was read). Audited; the reply can be changed, each change
    audited again."""
    CONCERNS.require(user, CONCERNS.Verb.ACKNOWLEDGE, concern)
    report = PupilReport.objects.filter(concern=concern).first()
    if report is None:
        raise PupilReportRefused({"reply": "Only a report from a pupil can be replied to here."})
    text = (text or "").strip()
    if not text:
        raise PupilReportRefused({"reply": "Write the reply the pupil will read."})
    if len(text) > MAX_REPLY:
        raise PupilReportRefused({"reply": f"Keep the reply to {MAX_REPLY:,} characters (it has {len(text):,})."})
    errors = imagery_errors({"reply": ("Reply to the pupil", text)})
    if errors:
        raise PupilReportRefused(errors)
    with transaction.atomic():
        actions.acknowledge(user=user, concern=concern)
        report.reply, report.replied_at, report.replied_by = text, timezone.now(), user
        report.save(update_fields=["reply", "replied_at", "replied_by"])
        record(actor=user, action=Action.UPDATE, object_type="pupil_report", object_id=concern.id,
               school=concern.school_id, changed_fields=["reply", "replied_at", "replied_by"], detail={"rule": "P4"})
    return report


def close_no_action(*, user, concern, reason):
    """P5, B10: the team closes a pupil's report as needing no action, only with the reason. A report already
    part of a case is closed with the case instead."""
    CONCERNS.require(user, CONCERNS.Verb.OPEN_CASE, concern)
    report = PupilReport.objects.filter(concern=concern).first()
    if report is None:
        raise PupilReportRefused({"reason": "Only a report from a pupil can be closed here."})
    if concern.case_id:
        raise PupilReportRefused({"reason": "This report is part of a case: it closes when the case does."})
    reason = (reason or "").strip()
    if not reason:
        raise PupilReportRefused({"reason": "Say why this needs no action. The reason is kept with the report."})
    errors = imagery_errors({"reason": ("Why does this need no action?", reason)})
    if errors:
        raise PupilReportRefused(errors)
    with transaction.atomic():
        actions.acknowledge(user=user, concern=concern)
        concern.status = Concern.Status.CLOSED
        concern.save(update_fields=["status"])
        report.closed_reason = reason
        report.save(update_fields=["closed_reason"])
        record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id,
               school=concern.school_id, changed_fields=["status", "closed_reason"],
               detail={"rule": "P5", "outcome": "no_action"})
    return concern


def regenerate_code(*, user, school):
    """P1: a new pupils' page address for the school; the old one stops working at once."""
    from accounts.capabilities import Capability
    from schools.access import require
    from schools.models import new_tell_code

    require(user, Capability.MANAGE_CASES, school)
    with transaction.atomic():
        school.tell_code = new_tell_code()
        school.save(update_fields=["tell_code"])
        record(actor=user, action=Action.UPDATE, object_type="school", object_id=school.id, school=school,
               changed_fields=["tell_code"], detail={"rule": "P1"})
    return school


def status_words(concern):
    """What the pupil reads about their report (P4): read or not yet, in their words."""
    if concern.status == Concern.Status.RECEIVED:
        return "Not read yet. An adult will read it soon."
    return "An adult has read it."

