"""What every case action shares: the refusal, the chronology entry, the audit row, the team to tell."""


from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.log import Action, record
from cases.models import Decision, Entry
from concerns import routing
from lib.errors import ActionError


class CaseError(ActionError):
    """The case is not in a state that allows this; the message says what to do instead."""


def add_entry(case, kind, author, text, rules=()):
    return Entry.objects.create(case=case, kind=kind, author=author, at=timezone.now(), text=text, rules=list(rules))


def audit_case(user, case, action, fields=(), **detail):
    record(actor=user, action=action, object_type="case", object_id=case.id, school=case.school_id,
           changed_fields=list(fields), detail=detail or None)


def require_manager(user, case):
    """Every change to a case is for the team that runs it (H3): the action checks, whoever calls it."""
    from cases.access import CASES

    CASES.require(user, CASES.Verb.MANAGE, case)


def require_open(case):
    if not case.is_open:
        raise CaseError("This case is closed. Reopen it first, giving the reason.")


def team(case):
    """The people who run the case, for notices (never the member of staff it is about, nor the one an image shows:
    J3)."""
    return routing.team(case.school, case.route, exclude=[case.subject_staff_id, case.depicted_staff_id])


def case_url(case):
    return reverse("cases:detail", args=[case.id])


def schedule_escalations(tasks):
    from cases.tasks import escalate_if_overdue

    def enqueue():
        for t in tasks:
            escalate_if_overdue.using(run_after=t.due_at).enqueue(t.id)

    transaction.on_commit(enqueue)


def save_decision(user, case, kind, options, choice, reason, rules, state=Decision.State.RECORDED):
    decision = Decision.objects.create(case=case, kind=kind, options=options, choice=choice, reason=reason,
                                       decided_by=user, decided_at=timezone.now(), rules=rules, state=state)
    record(actor=user, action=Action.CREATE, object_type="decision", object_id=decision.id, school=case.school_id,
           detail={"case": case.id, "kind": kind})
    return decision
