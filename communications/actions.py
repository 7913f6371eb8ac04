"""Recording a message to many people on a case (E2 *Communicate*): check, save, chronology line, audit row, one
transaction. Harbour sends nothing: the school sends the approved text its own way."""

import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from advice.schema import blaming_phrases_in
from audit.log import Action, record
from cases.actions import CaseError, add_entry, require_manager, require_open, steps
from cases.evaluation import case_pupils
from cases.models import Entry
from communications import schema, wordings
from communications.models import Communication

MAX_TEXT = 20000


def names_in(text: str, case) -> list[str]:
    """The names of children in `case` that `text` uses: a full name, or a surname, as a whole word.

    A message to many people names no child (E5: confidential). A first name alone is not looked for: too many are
    also words ("Will", "May", "Grace"), and a first name alone rarely identifies a child to a whole school.
    """
    found = []
    for link in case_pupils(case):
        pupil = link.pupil
        firsts = {n for n in (pupil.legal_first_name, pupil.preferred_first_name) if n}
        lasts = {n for n in (pupil.legal_last_name, pupil.preferred_last_name) if n}
        names = {f"{f} {last}" for f in firsts for last in lasts} | {last for last in lasts if len(last) > 2}
        for name in sorted(names, key=len, reverse=True):
            if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                found.append(name)
    return list(dict.fromkeys(found))


def _when(moment):
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


@transaction.atomic
def record_communication(*, user, case, template_id, title, text, approved_by_name, approved_by_role, approved_at,
                         police_consulted, police_contact="", police_not_consulted_reason=""):
    """E2: a message for staff, all parents and carers, or pupils, adapted from a template the case's kind offers,
    recorded with who approved it and when, and whether it was agreed with the police (B10: if not, why not).

    Refused: a part still in square brackets, a child's name (E5), words that blame a child (D6), a missing
    approver or time, and no answer about the police. Return the new Communication.
    """
    require_manager(user, case)
    require_open(case)
    template = next((t for t in schema.offered_for(case.procedure_id) if t["id"] == template_id), None)
    if template is None:
        raise CaseError("That message is not offered for this kind of incident.")
    title = " ".join((title or "").split())
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    approved_by_name, approved_by_role = " ".join((approved_by_name or "").split()), " ".join(
        (approved_by_role or "").split())
    police_contact = " ".join((police_contact or "").split())
    reason = (police_not_consulted_reason or "").replace("\x00", "").strip()
    errors = {}
    if not title:
        errors["title"] = "Give the message a title, such as “Letter to all parents and carers, 6 December”."
    if not text:
        errors["text"] = "Write the message."
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Keep the message to {MAX_TEXT:,} characters (it has {len(text):,})."
    elif left := schema.placeholders_in(text):
        shown = ", ".join(left[:3]) + (" and others" if len(left) > 3 else "")
        errors["text"] = (f"Fill in or take out each part in square brackets: {shown}.")
    elif named := names_in(text, case):
        errors["text"] = (f"Take out {', '.join(named)}: a message to many people names no child, so that no "
                          "child can be singled out.")
    elif blaming := blaming_phrases_in(text):
        errors["text"] = ("Reword this: " + ", ".join(f"‘{w}’" for w in blaming)
                          + " can make a child feel to blame for what was done to them.")
    if not approved_by_name:
        errors["approved_by_name"] = "Say who approved the message."
    if not approved_by_role:
        errors["approved_by_role"] = "Say the role of the person who approved it, such as headteacher."
    now = timezone.now()
    if approved_at is None:
        errors["approved_at"] = "Say when the message was approved."
    elif approved_at > now + timedelta(minutes=5):
        errors["approved_at"] = "The time it was approved cannot be in the future."
    if police_consulted is None:
        errors["police_consulted"] = "Say whether the message was agreed with the police."
    elif police_consulted is False and not reason:
        errors["police_not_consulted_reason"] = "Say why the police were not consulted."
    if errors:
        raise CaseError(errors)
    if police_consulted:
        reason = ""
    else:
        police_contact = ""
    wording = wordings.effective(case.school, template_id)["school_version"]
    message = Communication.objects.create(
        case=case, template_id=template_id, template_version=template["version"], wording_version=wording,
        audience=template["audience"],
        title=title, text=text, approved_by_name=approved_by_name, approved_by_role=approved_by_role,
        approved_at=approved_at, police_consulted=police_consulted, police_contact=police_contact,
        police_not_consulted_reason=reason, recorded_by=user, recorded_at=now)
    record(actor=user, action=Action.CREATE, object_type="communication", object_id=message.id,
           school=case.school_id, detail={"case": case.id, "template": template_id,
                                          "version": template["version"], "wording": wording,
                                          "audience": message.audience})
    police = (f"Agreed with the police ({police_contact})." if police_consulted and police_contact
              else "Agreed with the police." if police_consulted else f"Not agreed with the police: {reason}")
    add_entry(case, Entry.Kind.NOTE, user,
              f"Message for {message.get_audience_display().lower()} recorded: “{title}”, approved by "
              f"{approved_by_name} ({approved_by_role}) on {_when(approved_at)}. {police}", ["E2", "B10"])
    if police_consulted:  # E2 *Communicate*: agreed wording, coordinated with the authorities
        steps.event_happened(case=case, event="communication_agreed", user=user,
                             why=f"the message “{title}” was approved and agreed with the police")
    return message
