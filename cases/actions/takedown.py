"""J5: takedown without the image. Report Remove (under 18s) or Take It Down is offered to the child; the case records
what was offered, the child's choice and the outcome, never the image or a hash (A3).

A child's records are appended, never overwritten, so the history of what they decided stays on the case."""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases.actions import steps
from cases.actions.common import CaseError, add_entry, require_manager, require_open
from cases.evaluation import age_on, case_pupils
from cases.models import IMAGERY_PROCEDURES, Entry, Takedown
from concerns.models import ChildRole
from lib.imagery import imagery_errors

# A hash as the services make them (MD5, SHA-1, SHA-256, PhotoDNA-like hex): 32 or more hex digits in a row.
HASH_LIKE = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])")
# The children the offer is for: those shown in the imagery (a child who sent their own image is shown in it).
SHOWN = frozenset({ChildRole.PICTURED, ChildRole.SENT})
ADULT_AGE = 18


def _check_notes(notes):
    imagery = imagery_errors({"notes": ("Notes", notes)})
    if imagery:
        raise CaseError(imagery)
    if HASH_LIKE.search(notes):
        raise CaseError("These notes hold what looks like an image's hash. Harbour never keeps the image or its "
                        "hash: take it out and describe what happened in words.", field="notes")


def is_under_18(pupil, today=None):
    """Report Remove is for under 18s: worked out from the date of birth the school's records hold."""
    return age_on(pupil.date_of_birth, today or timezone.localdate()) < ADULT_AGE


def suggested_service(pupil):
    return Takedown.Service.REPORT_REMOVE if is_under_18(pupil) else Takedown.Service.TAKE_IT_DOWN


@dataclass
class ChildTakedown:
    """One child on the case: their roles, whether the offer is due to them, and their records, oldest first."""

    pupil: object
    roles: list = field(default_factory=list)
    offer_due: bool = False
    records: list = field(default_factory=list)

    @property
    def latest(self):
        return self.records[-1] if self.records else None

    @property
    def under_18(self):
        return is_under_18(self.pupil)


def children_for_takedown(case, *, links=None, any_records=True):
    """Each child named on the case, those shown in the imagery first, with their takedown records. The offer is
    due to every child shown in the imagery; when the case names no child as shown in it, to every child.

    `links`: the case's children (evaluation.case_pupils) when the caller has read them already; `any_records`:
    False when the caller knows the case has no takedown records (the case page asks once for all its lists)."""
    children: dict[int, ChildTakedown] = {}
    for link in case_pupils(case) if links is None else links:
        child = children.setdefault(link.pupil_id, ChildTakedown(pupil=link.pupil))
        if link.get_role_display() not in child.roles:
            child.roles.append(link.get_role_display())
        child.offer_due = child.offer_due or link.role in SHOWN
    if not any(c.offer_due for c in children.values()):
        for child in children.values():
            child.offer_due = True
    for row in case.takedowns.select_related("recorded_by").order_by("recorded_at", "id") if any_records else ():
        if row.pupil_id in children:
            children[row.pupil_id].records.append(row)
    return sorted(children.values(), key=lambda c: not c.offer_due)


def _every_child_recorded(case):
    return all(c.records for c in children_for_takedown(case) if c.offer_due)


@transaction.atomic
def record_takedown(*, user, case, pupil, service, choice, outcome=Takedown.Outcome.NOT_KNOWN, notes=""):
    """Add a record for `pupil`: what was offered, what they chose, and the outcome. The child decides, with
    support. The step that offers them is ticked once every child it is for has a record."""
    require_manager(user, case)
    require_open(case)
    if case.procedure_id not in IMAGERY_PROCEDURES:
        raise CaseError("Report Remove and Take It Down are offered on cases about imagery of a child.")
    if pupil is None or not case.concerns.filter(children__pupil=pupil).exists():
        raise CaseError("Choose a child named on this case.", field="pupil")
    errors = {}
    if service not in Takedown.Service.values:
        errors["service"] = "Choose what was offered."
    elif service != Takedown.Service.TAKE_IT_DOWN and not is_under_18(pupil):
        errors["service"] = (f"{pupil.first_name} is 18 or over, and Report Remove is for under 18s: offer Take "
                             "It Down.")
    if choice not in Takedown.Choice.values:
        errors["choice"] = "Choose what the child decided."
    if outcome not in Takedown.Outcome.values:
        errors["outcome"] = "Choose the outcome."
    if errors:
        raise CaseError(errors)
    notes = (notes or "").strip()
    _check_notes(notes)
    first = not case.takedowns.filter(pupil=pupil).exists()
    takedown = Takedown.objects.create(case=case, pupil=pupil, service=service, choice=choice, outcome=outcome,
                                       notes=notes, recorded_at=timezone.now(), recorded_by=user)
    chose, happened = Takedown.Choice(choice).label.lower(), Takedown.Outcome(outcome).label.lower()
    words = (f"{Takedown.Service(service).label} {'offered to' if first else 'updated for'} {pupil.display_name}. "
             f"Their choice: {chose}. Outcome: {happened}.")
    entry = add_entry(case, Entry.Kind.NOTE, user, words + (f" {notes}" if notes else ""), ["J5", "D5"])
    record(actor=user, action=Action.CREATE, object_type="takedown", object_id=takedown.id, school=case.school_id,
           detail={"case": case.id, "pupil": pupil.id, "service": service, "choice": choice, "outcome": outcome,
                   "entry": entry.id})
    if first and _every_child_recorded(case):
        steps.event_happened(case=case, event="takedown_recorded", user=user,
                             why="Report Remove or Take It Down was offered to every child shown in the imagery and "
                                 "their choice recorded")
    return takedown
