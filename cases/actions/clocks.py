"""Tasks and their clocks (E1–E7): done or not done with a reason, the review date, escalation."""


from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases import evaluation
from cases.actions.common import CaseError, add_entry, audit_case, require_manager, require_open, team
from cases.models import Entry, Task
from cases.notices import settle_overdue


def why_not_skippable(case, task, assessment=None):
    """B15: why this step can never be marked "not done" (it makes a referral the kind requires), or None."""
    assessment = assessment or evaluation.assess(case)
    return assessment.locked_steps().get(task.key)


@transaction.atomic
def complete_task(*, user, task, done, note=""):
    """A task is done, or not done with the reason (B10). Never reopened: add a note instead.

    The step of a referral the kind requires is never "not done" (B15): record the referral and it is done.
    """
    require_manager(user, task.case)
    case = task.case
    require_open(case)
    if not task.is_open:
        raise CaseError("This task has already been completed.")
    note = (note or "").strip()
    if not done:
        required = why_not_skippable(case, task)
        if required:
            raise CaseError(f"This step cannot be marked as not done. {required} Record the referral, and this "
                            "step is done.", field="result")
    if not done and not note:
        raise CaseError("Say why this task is not being done.", field="note")
    task.completed_at = timezone.now()
    task.completed_by = user
    task.result = Task.Result.DONE if done else Task.Result.NOT_NEEDED
    task.note = note
    task.save(update_fields=["completed_at", "completed_by", "result", "note"])
    record(actor=user, action=Action.UPDATE, object_type="task", object_id=task.id, school=case.school_id,
           changed_fields=["completed_at", "result"], detail={"case": case.id})
    text = f"Task done: {task.title}" if done else f"Task not done: {task.title}. Reason: {note}"
    if done and note:
        text += f" ({note})"
    add_entry(case, Entry.Kind.TASK, user, text, ["B10"] if not done else task.rules)
    settle_overdue(case)
    return task


def complete_required_steps(*, user, case, agency, note):
    """B15: once a required referral is recorded (or, where allowed, decided against), its steps are done."""
    keys = {key for item in evaluation.assess(case).required if item["agency"] == agency for key in item["tasks"]}
    done = []
    now = timezone.now()
    for task in case.tasks.filter(key__in=keys, completed_at__isnull=True):
        task.completed_at, task.completed_by, task.result, task.note = now, user, Task.Result.DONE, note
        task.save(update_fields=["completed_at", "completed_by", "result", "note"])
        record(actor=user, action=Action.UPDATE, object_type="task", object_id=task.id, school=case.school_id,
               changed_fields=["completed_at", "result"], detail={"case": case.id, "rule": "B15"})
        add_entry(case, Entry.Kind.TASK, user, f"Task done: {task.title} ({note})", task.rules)
        done.append(task)
    settle_overdue(case)
    return done


@transaction.atomic
def set_review_date(*, user, case, review_date):
    """E4: the ongoing phase's clock is the review date the DSL sets."""
    require_manager(user, case)
    require_open(case)
    if review_date is None:  # issue 20.6: an empty box and a past date are different mistakes
        raise CaseError("Set a review date.", field="review_date")
    if review_date < timezone.localdate():
        raise CaseError("The review date must be today or later.", field="review_date")
    case.review_date = review_date
    case.save(update_fields=["review_date"])
    audit_case(user, case, Action.UPDATE, ["review_date"])
    add_entry(case, Entry.Kind.NOTE, user, f"Review date set: {review_date:%-d %B %Y}.", ["E4"])
    case.tasks.filter(phase=Task.Phase.ONGOING, completed_at__isnull=True).update(escalated_at=None)


@transaction.atomic
def escalate_task(*, task_id, now=None):
    """E7: an overdue task is escalated once, in-app and by email, to the team running the case."""
    now = now or timezone.now()
    task = Task.objects.select_for_update().select_related("case__school").filter(id=task_id).first()
    if task is None or not task.is_overdue(now) or task.escalated_at or not task.case.is_open:
        return False
    task.escalated_at = now
    task.save(update_fields=["escalated_at"])
    case = task.case
    record(actor=None, action=Action.UPDATE, object_type="task", object_id=task.id, school=case.school_id,
           changed_fields=["escalated_at"], detail={"case": case.id, "rule": "E7"})
    add_entry(case, Entry.Kind.ESCALATION, None, f"Overdue since {timezone.localtime(task.due_at):%-d %B %Y, %H:%M}: "
           f"{task.title}", ["E7"])
    from cases.notices import tell_overdue

    tell_overdue(case, team(case), now)  # one notice per case, restated, never one per step
    return True
