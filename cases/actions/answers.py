"""The initial review (B1), the answers the engine evaluates (B2, B3, B4, B7) and the classification (B8)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases import evaluation
from cases.actions.common import (CaseError, add_entry, audit_case, case_url, require_manager, require_open,
                                  save_decision, team)
from cases.models import Decision, Entry, ReviewMeeting
from notifications.actions import notify
from procedures import engine


def clean_facts(case, raw):
    """Keep only known keys with sensible values; anything else becomes unknown (absent)."""
    ids = [c["id"] for c in case.procedure.get("referral_criteria", [])]
    ids += [f["id"] for f in case.procedure.get("escalation_factors", [])]
    if case.procedure.get("typology"):
        ids += list(evaluation.YES_NO_KEYS)
    facts = {}
    for key in ids:
        value = raw.get(key)
        if isinstance(value, bool):
            facts[key] = value
    if case.procedure.get("typology"):
        if raw.get("relationship") in evaluation.RELATIONSHIPS:
            facts["relationship"] = raw["relationship"]
        age = raw.get("youngest_age")
        if isinstance(age, int) and not isinstance(age, bool) and 0 <= age <= 25:
            facts["youngest_age"] = age
    return facts


@transaction.atomic
def update_answers(*, user, case, facts, risk_answers=None):
    """Save the DSL's answers and evaluate again (B7). Return the list of changes in words."""
    require_manager(user, case)
    require_open(case)
    facts = clean_facts(case, facts)
    changed = sorted(k for k in set(facts) | set(case.facts) if facts.get(k) != case.facts.get(k))
    fields = ["facts"] if changed else []
    if risk_answers is not None:
        known = {q["id"] for q in case.procedure.get("risk_questions", [])}
        risk = {k: v.strip()[:2000] for k, v in risk_answers.items() if k in known and v and v.strip()}
        if risk != case.risk_answers:
            case.risk_answers = risk
            fields.append("risk_answers")
    case.facts = facts
    if not fields:
        return []
    case.save(update_fields=fields)
    audit_case(user, case, Action.UPDATE, fields, answers=changed)
    return reevaluate(user=user, case=case, why="Answers changed.", answers_changed=changed)


def reevaluate(*, user, case, why, answers_changed=()):
    """B7: evaluate again; tell the DSL (and the chronology) what changed."""
    before = case.evaluation or {}
    assessment = evaluation.assess(case)
    after = assessment.result
    changes = evaluation.describe_changes(before, after, case.procedure)
    case.evaluation = after
    case.save(update_fields=["evaluation"])
    if answers_changed or changes:
        text = why if not answers_changed else f"{why} ({', '.join(answers_changed)})"
        add_entry(case, Entry.Kind.ANSWERS, user, " ".join([text] + changes), ["B7"])
    if after["referral_required"] and not before.get("referral_required"):
        add_entry(case, Entry.Kind.REFERRAL_REQUIRED, user, "A referral criterion applies ("
               + ", ".join(after["criteria_met"]) + "): refer to children's social care and/or the police now.",
               ["B2"])
        notify(users=[u for u in team(case) if u != user], school=case.school,
               text=f"A case at {case.school.name} now needs an immediate referral", url=case_url(case))
    if after["criteria_met"] or after["criteria_unknown"]:
        _withdraw_pending_no_referral(case, user, after)
    return changes


def _withdraw_pending_no_referral(case, user, result):
    for decision in case.decisions.filter(kind=Decision.Kind.NO_REFERRAL, state=Decision.State.AWAITING_SIGN_OFF):
        decision.state = Decision.State.WITHDRAWN
        decision.save(update_fields=["state"])
        record(actor=user, action=Action.UPDATE, object_type="decision", object_id=decision.id,
               school=case.school_id, changed_fields=["state"], detail={"rule": "B6"})
        why = ("a referral criterion now applies" if result["criteria_met"]
               else "a referral question is no longer answered")
        add_entry(case, Entry.Kind.DECISION, user, f"The decision not to refer was withdrawn before sign-off: {why}.",
               ["B6", "B7"])


@transaction.atomic
def confirm_classification(*, user, case, choice, reason):
    """B8: the DSL confirms the suggestion or chooses another category, always with a reason."""
    require_manager(user, case)
    require_open(case)
    if not case.procedure.get("typology"):
        raise CaseError("This procedure does not use the classification.")
    if choice not in engine.CLASSIFICATIONS:
        raise CaseError("Choose a classification.")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Give the reason for this classification.")
    suggestion = evaluation.assess(case).result["suggested_classification"]
    verb = "confirmed" if choice == suggestion else "chose"
    case.classification = choice
    case.save(update_fields=["classification"])
    save_decision(user, case, Decision.Kind.CLASSIFICATION, list(engine.CLASSIFICATIONS), choice, reason, ["B8"])
    label = evaluation.classification_label
    text = (f"Classification {verb}: {label(choice)}." if choice == suggestion
            else f"Classification set to {label(choice)} (Harbour suggested {label(suggestion)}).")
    add_entry(case, Entry.Kind.DECISION, user, f"{text} Reason: {reason}", ["B8"])
    audit_case(user, case, Action.UPDATE, ["classification"], suggestion=suggestion)


@transaction.atomic
def record_review(*, user, case, held_at, attendees, other_attendees, answers):
    """B1: the initial review meeting, who attended and the answers to its questions."""
    require_manager(user, case)
    require_open(case)
    questions = case.procedure.get("initial_review_questions", [])
    clean = {q["id"]: answers.get(q["id"], "").strip()[:4000] for q in questions if answers.get(q["id"], "").strip()}
    missing = [q["text"] for q in questions if q["id"] not in clean]
    if held_at is None or held_at > timezone.now() + timedelta(minutes=5):
        raise CaseError("Give the date and time the meeting was held (not in the future).")
    if not attendees:
        raise CaseError("Record who attended.")
    if missing:
        raise CaseError(f"Answer every question (write 'Not known yet' if so). Not answered: {missing[0]}")
    meeting = ReviewMeeting.objects.create(case=case, held_at=held_at, other_attendees=other_attendees.strip()[:500],
                                           answers=clean, recorded_by=user, recorded_at=timezone.now())
    meeting.attendees.set(attendees)
    record(actor=user, action=Action.CREATE, object_type="review_meeting", object_id=meeting.id,
           school=case.school_id, detail={"case": case.id, "attendees": [a.id for a in attendees]})
    names = ", ".join([a.full_name for a in attendees] + ([other_attendees.strip()] if other_attendees.strip() else []))
    when = f"{timezone.localtime(held_at):%-d %B %Y, %H:%M}"
    add_entry(case, Entry.Kind.REVIEW, user, f"Initial review meeting held {when}."
           f" Attended: {names}.", ["B1"])
    return meeting
