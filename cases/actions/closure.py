"""The outcome (B2, B3, B5, B6, B15), and closing and reopening the case (G1, H1).

What the procedure says may not happen yet comes from the engine (`procedures.engine`, fed what the case has
recorded), so the case and `procedure evaluate` never disagree (issue 17.8). The case adds only its own steps:
the review meeting, the outcome and its referral, the classification, signatures and tasks.
"""


from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.log import Action
from cases import evaluation
from cases.actions.answers import reevaluate
from cases.actions.common import CaseError, add_entry, audit_case, require_manager, require_open, save_decision
from cases.models import Case, Decision, Entry, Task
from concerns import actions as concern_actions
from procedures import engine


def outcomes_for(case):
    """[(value, label)]: the outcomes the case's pinned procedure lists (B5; Prevent for radicalisation, F4)."""
    listed = [o["id"] for o in case.procedure.get("outcomes", [])]
    return [(value, label) for value, label in Case.Outcome.choices if value in listed]


class Blocker(str):
    """A sentence saying what must happen first (it is a str, so it reads and compares as one), and `href`: the
    page where it is done (issue 20.6: each blocker links to where it is resolved)."""

    href: str

    def __new__(cls, text, href):
        blocker = super().__new__(cls, text)
        blocker.href = href
        return blocker


def _case_url(case, name, anchor="", **query):
    url = reverse(name, args=[case.id])
    return url + (f"?{urlencode(query)}" if query else "") + (f"#{anchor}" if anchor else "")


def _engine_blocker(case, reason):
    """The page for one of the engine's reasons (procedures.engine.blocked_reasons), by its code."""
    code, items = reason["code"], reason["items"]
    if code in ("criteria_unanswered", "required_referral_unanswered"):
        href = _case_url(case, "cases:assess")
    elif code == "sign_off_needed":
        href = _case_url(case, "cases:no_referral")
    elif code == "answer_needed":
        href = _case_url(case, "cases:detail", "referrals")
    elif code in ("required_referral", "required_decision") and items:
        href = _case_url(case, "cases:referral", agency=items[0])
    else:  # a referral or an escalation is needed
        href = _case_url(case, "cases:referral")
    return Blocker(reason["text"], href)


def _engine_blockers(case, reasons):
    """The engine's reasons as blockers, each needed thing once: a referral this kind requires to children's social
    care or the police (B15) is also the referral B2 asks for, so the general "a referral is required" is left out
    when it is listed (a sextortion case asked for the police referral twice)."""
    specific = any(r["code"] == "required_referral" and set(r["items"]) & set(engine.B2_AGENCIES) for r in reasons)
    return [_engine_blocker(case, r) for r in reasons if not (specific and r["code"] == "referral_required")]


def outcome_blockers(case, outcome, assessment=None):
    """Why `outcome` cannot be recorded yet (B2, B3, B6, B15), as sentences with links; empty when it can."""
    assessment = assessment or evaluation.assess(case)
    if outcome != Case.Outcome.MANAGED_IN_SCHOOL:
        return []
    return _engine_blockers(case, assessment.blocked_reasons(engine.MANAGED_IN_SCHOOL))


@transaction.atomic
def set_outcome(*, user, case, outcome, reason):
    """B5, guarded by the engine: no "managed in school" while a criterion is met or unanswered without a referral
    (B2, B6), a factor is present without an escalation (B3), or a required referral is missing (B15)."""
    require_manager(user, case)
    require_open(case)
    if outcome not in dict(outcomes_for(case)):
        raise CaseError("Choose the outcome.", field="outcome")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Give the reason for this outcome.", field="reason")
    blockers = outcome_blockers(case, outcome)
    if blockers:
        raise CaseError(" ".join(blockers), field="outcome")
    case.outcome = outcome
    case.save(update_fields=["outcome"])
    save_decision(user, case, Decision.Kind.OUTCOME, [v for v, _ in outcomes_for(case)], outcome, reason, ["B5"])
    add_entry(case, Entry.Kind.OUTCOME, user, f"Outcome: {case.get_outcome_display()}. Reason: {reason}", ["B5"])
    audit_case(user, case, Action.UPDATE, ["outcome"])


def closure_blockers(case, assessment=None, *, reviews=None, viewings=None, tasks=None):
    """Everything that must happen before the case can close, as sentences.

    The case page passes the reviews, viewings and tasks it has already read, so they are not read twice."""
    assessment = assessment or evaluation.assess(case)
    blockers = []
    if not (case.reviews.exists() if reviews is None else reviews):
        blockers.append(Blocker("Record the initial review meeting.", _case_url(case, "cases:review")))
    blockers += _engine_blockers(case, assessment.blocked_reasons(engine.CLOSE))
    if not case.outcome:
        blockers.append(Blocker("Record the outcome.", _case_url(case, "cases:outcome")))
    elif case.outcome == Case.Outcome.REFER and not assessment.referral_recorded:
        blockers.append(Blocker("The outcome is a referral: record it.", _case_url(case, "cases:referral")))
    elif case.outcome == Case.Outcome.PREVENT and "prevent" not in assessment.facts["referrals_recorded"]:
        blockers.append(Blocker("The outcome is a referral to Prevent: record it.",
                                _case_url(case, "cases:referral", agency="prevent")))
    elif case.outcome == Case.Outcome.MANAGED_IN_SCHOOL:
        blockers += [b for b in outcome_blockers(case, case.outcome, assessment) if b not in blockers]
    if case.procedure.get("typology") and not case.classification:
        blockers.append(Blocker("Confirm or choose the classification.", _case_url(case, "cases:classification")))
    awaiting = (case.viewings.filter(state="awaiting").exists() if viewings is None
                else any(v.state == "awaiting" for v in viewings))
    if awaiting:
        blockers.append(Blocker("An imagery viewing record is waiting for the viewer's and witness's signatures.",
                                _case_url(case, "cases:detail", "evidence")))
    timed = (case.tasks.outstanding().exclude(phase=Task.Phase.ONGOING).count() if tasks is None
             else sum(1 for t in tasks if t.is_open and t.phase != Task.Phase.ONGOING))
    if timed:
        blockers.append(Blocker(f"{timed} task{'s' if timed != 1 else ''} still open: mark each done, or not done "
                                "with the reason.", _case_url(case, "cases:detail", "tasks")))
    return blockers


@transaction.atomic
def close_case(*, user, case, summary, debrief, lessons_learnt, policy_changes):
    require_manager(user, case)
    require_open(case)
    values = {"summary": summary, "debrief": debrief, "lessons_learnt": lessons_learnt,
              "policy_changes": policy_changes}
    values = {k: (v or "").strip() for k, v in values.items()}
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise CaseError("Complete every closing question (write 'None' for no policy or curriculum change).",
                        field=missing[0])
    blockers = closure_blockers(case)
    if blockers:  # every one, so that nothing is found only after the next attempt (issue 20.6)
        raise CaseError([str(b) for b in blockers])
    now = timezone.now()
    for key, value in values.items():
        setattr(case, key, value)
    case.status = Case.Status.CLOSED
    case.closed_at = now
    case.closed_by = user
    case.save(update_fields=[*values, "status", "closed_at", "closed_by"])
    for task in case.tasks.outstanding():
        task.completed_at, task.completed_by, task.result = now, user, Task.Result.NOT_NEEDED
        task.note = "Case closed."
        task.save(update_fields=["completed_at", "completed_by", "result", "note"])
    audit_case(user, case, Action.UPDATE, ["status", "closed_at", *values])
    add_entry(case, Entry.Kind.CLOSED, user, f"Case closed. Summary: {values['summary']} Debrief: {values['debrief']} "
           f"Lessons learnt: {values['lessons_learnt']} Policy or curriculum changes: {values['policy_changes']}",
           ["H1", "G1"])
    # A7: the reporters see that the concern they raised has been dealt with (nothing more).
    concern_actions.mark_closed(user=user, case=case)
    return case


@transaction.atomic
def reopen_case(*, user, case, reason):
    require_manager(user, case)
    if case.is_open:
        raise CaseError("This case is already open.")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Say why the case is being reopened.", field="reason")
    case.status = Case.Status.OPEN
    case.closed_at = None
    case.closed_by = None
    case.save(update_fields=["status", "closed_at", "closed_by"])
    # The reason lives on the chronology entry (removed with the case on disposal); the append-only
    # trail only points at it, so no free text outlives the record (H4).
    entry = add_entry(case, Entry.Kind.REOPENED, user, f"Case reopened. Reason: {reason}", ["B7"])
    audit_case(user, case, Action.UPDATE, ["status", "closed_at"], entry=entry.id)
    concern_actions.mark_reopened(user=user, case=case)
    reevaluate(user=user, case=case, why="Case reopened.")
    return case
