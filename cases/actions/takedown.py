"""J5: takedown without the image. Report Remove or Take It Down is offered to the child; the case records that it was
offered, the child's choice and the outcome, never the image or a hash (A3)."""

import re

from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases.actions import steps
from cases.actions.common import CaseError, add_entry, require_manager, require_open
from cases.models import IMAGERY_PROCEDURES, Entry, Takedown
from lib.imagery import imagery_errors

# A hash as the services make them (MD5, SHA-1, SHA-256, PhotoDNA-like hex): 32 or more hex digits in a row.
HASH_LIKE = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])")


def _check_notes(notes):
    imagery = imagery_errors({"notes": ("Notes", notes)})
    if imagery:
        raise CaseError(imagery)
    if HASH_LIKE.search(notes):
        raise CaseError("These notes hold what looks like an image's hash. Harbour never keeps the image or its "
                        "hash: take it out and describe what happened in words.", field="notes")


@transaction.atomic
def record_takedown(*, user, case, pupil, choice, outcome=Takedown.Outcome.NOT_KNOWN, notes=""):
    """Record (or update) that Report Remove and Take It Down were offered to `pupil`, what they chose, and the outcome.
    The child decides, with support; the first record ticks the step that offers them."""
    require_manager(user, case)
    require_open(case)
    if case.procedure_id not in IMAGERY_PROCEDURES:
        raise CaseError("Report Remove and Take It Down are offered on cases about imagery of a child.")
    if not case.concerns.filter(children__pupil=pupil).exists():
        raise CaseError("Choose a child named on this case.", field="pupil")
    if choice not in Takedown.Choice.values:
        raise CaseError("Choose what the child decided.", field="choice")
    if outcome not in Takedown.Outcome.values:
        raise CaseError("Choose the outcome.", field="outcome")
    notes = (notes or "").strip()
    _check_notes(notes)
    now = timezone.now()
    takedown, created = Takedown.objects.get_or_create(
        case=case, pupil=pupil, defaults={"offered_at": now, "offered_by": user, "choice": choice, "outcome": outcome,
                                          "notes": notes, "updated_at": now})
    if not created:
        takedown.choice, takedown.outcome, takedown.notes, takedown.updated_at = choice, outcome, notes, now
        takedown.save(update_fields=["choice", "outcome", "notes", "updated_at"])
    words = (f"Report Remove and Take It Down {'offered to' if created else 'updated for'} {pupil.display_name}. "
             f"Their choice: {Takedown.Choice(choice).label}. Outcome: {Takedown.Outcome(outcome).label}.")
    entry = add_entry(case, Entry.Kind.NOTE, user, words + (f" {notes}" if notes else ""), ["J5", "D5"])
    record(actor=user, action=Action.CREATE if created else Action.UPDATE, object_type="takedown",
           object_id=takedown.id, school=case.school_id,
           detail={"case": case.id, "choice": choice, "outcome": outcome, "entry": entry.id})
    if created:
        steps.event_happened(case=case, event="takedown_recorded", user=user,
                             why="Report Remove and Take It Down were offered to a child and their choice recorded")
    return takedown
