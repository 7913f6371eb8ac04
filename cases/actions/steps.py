"""Steps that tick themselves (issue 20.2): the system does what it already knows.

A step of the pinned procedure can say which events complete it (`done_when` in the definition files, checked by
procedures/schema.py). When one is recorded on the case (the police referral, the review meeting, parents told,
deletion confirmed, the headteacher and IT told…) the action that recorded it calls `event_happened`, and every
open step waiting for that event is done, with a chronology line saying what ticked it and who recorded it.

Also here: several steps completed at once with one reason (B10), and the clocks of steps that were already due
before the case opened ("due now", with the grace the procedure sets, E7).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases import agencies
from cases.actions.common import CaseError, add_entry, require_manager, require_open
from cases.models import Entry, Task
from cases.notices import settle_overdue
from procedures.schema import event_words

DEFAULT_GRACE_MINUTES = 60  # a case pinned before the procedure set its own grace


def events_for(case):
    """{task key: [events that complete it]} from the case's pinned procedure (empty for an old pinned copy)."""
    return {t.get("id"): list(t.get("done_when") or []) for t in case.procedure.get("tasks", []) if t.get("id")}


def waits_for(case, event):
    """The keys of the steps `event` completes on this case."""
    return {key for key, events in events_for(case).items() if event in events}


def describe(event):
    """The event in words, naming the agency of a referral as cases/agencies.toml does."""
    if event.startswith("referral:"):
        return f"a referral to {agencies.label(event.split(':', 1)[1])} was recorded"
    return event_words(event)


# Events that are not the school's first action on an incident: the concern acknowledged (measured on its own)
# and what Harbour did itself. reports/ leaves the steps they tick out of "report to first action".
NOT_AN_ACTION = ("concern_acknowledged", "headteacher_and_it_told")


def _tick(task, *, user, note, now, rules, detail, event=""):
    task.completed_at, task.completed_by, task.result, task.note = now, user, Task.Result.DONE, note
    task.ticked_by = event[:40]
    task.save(update_fields=["completed_at", "completed_by", "result", "note", "ticked_by"])
    record(actor=user, action=Action.UPDATE, object_type="task", object_id=task.id, school=task.case.school_id,
           changed_fields=["completed_at", "result"], detail={"case": task.case_id, **detail})


def event_happened(*, case, event, user, why=""):
    """`event` was recorded on `case` (by `user`, or by Harbour itself when None): tick the open steps waiting for
    it, each with a chronology line. Return the steps ticked. Called inside the action's transaction."""
    if not case.is_open:
        return []
    keys = waits_for(case, event)
    if not keys:
        return []
    now = timezone.now()
    what = why or describe(event)
    ticked = []
    for task in case.tasks.filter(key__in=keys, completed_at__isnull=True):
        task.case = case
        _tick(task, user=user, note=f"Done when {what}.", now=now, rules=task.rules,
              detail={"event": event, "rule": "B10"}, event=event)
        by = f"recorded by {user.full_name}" if user else "done by Harbour"
        add_entry(case, Entry.Kind.TASK, user, f"Step done: {task.title}. Ticked because {what} ({by}).",
                  task.rules)
        ticked.append(task)
    if ticked:
        settle_overdue(case)
    return ticked


@transaction.atomic
def complete_steps(*, user, case, tasks, reason):
    """B10: several steps done at once, for one reason the DSL gives; each step gets its own chronology line and
    audit row. Every step must be open and on this case."""
    require_manager(user, case)
    require_open(case)
    reason = (reason or "").strip()
    errors = {}
    tasks = list(tasks)
    if not tasks:
        errors["tasks"] = "Choose the steps that are done."
    if not reason:
        errors["reason"] = "Say why these steps are done: what was done, and by whom."
    if errors:
        raise CaseError(errors)
    if any(t.case_id != case.id for t in tasks):
        raise CaseError({"tasks": "Choose steps of this case."})
    done = [t for t in tasks if not t.is_open]
    if done:
        raise CaseError({"tasks": f"Already done: {done[0].title}"})
    now = timezone.now()
    for task in tasks:
        task.case = case
        _tick(task, user=user, note=reason, now=now, rules=task.rules, detail={"together": len(tasks), "rule": "B10"})
        add_entry(case, Entry.Kind.TASK, user, f"Task done: {task.title} ({reason})", task.rules)
    settle_overdue(case)
    return tasks


def opening_due(case, minutes, now):
    """E7 and 20.2: when a step falls due, counted from when the incident was recorded; a step that was due before
    the case opened is due now, and escalated only after the procedure's grace. Return (due_at, due_before_open)."""
    if minutes is None:
        return None, False
    due = case.incident_recorded_at + timedelta(minutes=minutes)
    if due > now:
        return due, False
    grace = case.procedure.get("due_now_grace_minutes", DEFAULT_GRACE_MINUTES)
    return now + timedelta(minutes=grace), True
