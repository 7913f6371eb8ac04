"""The initial review (B1), the answers the engine evaluates (B2, B3, B4, B7, B14, B16) and the classification
(B8)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from cases import evaluation
from cases.actions import steps
from cases.actions.common import (
    CaseError,
    add_entry,
    audit_case,
    case_url,
    require_manager,
    require_open,
    save_decision,
    schedule_escalations,
    team,
)
from cases.models import Decision, Entry, ReviewMeeting
from lib.workdays import add_working_days
from notifications.actions import Kind, notify
from procedures import engine, schema


def clean_facts(case, raw):
    """Keep only known keys with sensible values; anything else becomes unknown (absent)."""
    facts = {}
    for key in schema.yes_no_ids(evaluation.procedure_of(case)):
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


def _keep_implied(case, facts):
    """B14, B16: an answer the kind implies changes only through `change_implied_answer`, with a reason. Whatever
    the answers form sent for it, keep what the case holds (nothing: the implied answer; or the DSL's change)."""
    kept = dict(facts)
    _, implied = engine.apply_implied(evaluation.procedure_of(case), {**case.facts, **facts})
    for item in implied:
        question = item["question"]
        kept.pop(question, None)
        if question in case.facts:
            kept[question] = case.facts[question]
    changes = case.facts.get("implied_changes")
    if isinstance(changes, dict) and changes:
        kept["implied_changes"] = dict(changes)
    return kept


@transaction.atomic
def update_answers(*, user, case, facts, risk_answers=None):
    """Save the DSL's answers and evaluate again (B7). Return the list of changes in words.

    Answers the kind implies are kept as they are (B14, B16): see `change_implied_answer`.
    """
    require_manager(user, case)
    require_open(case)
    facts = _keep_implied(case, clean_facts(case, facts))
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
    questions = {q["id"] for q in case.procedure.get("risk_questions", [])}
    if "risk_answers" in fields and questions and questions <= set(case.risk_answers):
        steps.event_happened(case=case, event="risk_assessment_completed", user=user)
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
        add_entry(case, Entry.Kind.ANSWERS, user, " ".join([_which(case, why, answers_changed)] + changes), ["B7"])
    newly_required = _newly_required(before, after)
    if after["referral_required"] and not before.get("referral_required"):
        add_entry(case, Entry.Kind.REFERRAL_REQUIRED, user, "A referral criterion applies: refer to children's "
                  "social care and/or the police now.", ["B2"])
    for item in newly_required:
        add_entry(case, Entry.Kind.REFERRAL_REQUIRED, user, f"A referral to {item['to']} is required: "
                  f"{item['reason']}", ["B15"])
    if (after["referral_required"] and not before.get("referral_required")) or newly_required:
        notify(users=[u for u in team(case) if u != user], school=case.school, kind=Kind.REFERRAL,
               reference=case.reference, due_at=timezone.now(), key=f"referral:{case.reference}",
               text=f"Case {case.reference} at {case.school.name} needs a referral now: make it today and record it",
               url=case_url(case) + "#referrals")
    set_required_clocks(case, assessment)
    if after["blocked_reasons"][engine.NO_REFERRAL]:
        _withdraw_pending_no_referral(case, user, assessment)
    return changes


def _which(case, why, answers_changed):
    """"Answers changed: ‘An adult is involved…’, ‘…’." The questions in words, shortened, not their ids."""
    if not answers_changed:
        return why
    texts = engine.question_texts(evaluation.procedure_of(case))
    texts.update({"relationship": "Who was it between?", "youngest_age": "Age of the youngest child involved"})
    short = [t if len(t) <= 60 else t[:59].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
             for t in (texts.get(key, key) for key in answers_changed)]
    return f"{why.rstrip('.')}: " + ", ".join(f"‘{t}’" for t in short) + "."


def _newly_required(before, after):
    """B15: required referrals that apply now, are not recorded, and did not apply at the last evaluation."""
    old = {r["agency"] for r in before.get("required_referrals", []) if r.get("applies") is True}
    return [r for r in after["required_referrals"] if r["applies"] is True and not r["satisfied"]
            and r["agency"] not in old and before]


def set_required_clocks(case, assessment):
    """B15: the steps of a required referral with a working-day clock (the LADO: one working day) are due then,
    counted from when the incident was recorded, on the England and Wales working-day calendar."""
    due = {}
    for item in assessment.required:
        if item["applies"] is True and item["within_working_days"]:
            when = add_working_days(case.incident_recorded_at, item["within_working_days"])
            for key in item["tasks"]:
                due[key] = min(due.get(key, when), when)
    if not due:
        return []
    moved = []
    for task in case.tasks.filter(key__in=list(due), completed_at__isnull=True):
        if task.due_at != due[task.key]:
            task.due_at, task.escalated_at = due[task.key], None
            task.save(update_fields=["due_at", "escalated_at"])
            moved.append(task)
    schedule_escalations(moved)
    return moved


def _withdraw_pending_no_referral(case, user, assessment):
    for decision in case.decisions.filter(kind=Decision.Kind.NO_REFERRAL, state=Decision.State.AWAITING_SIGN_OFF):
        decision.state = Decision.State.WITHDRAWN
        decision.save(update_fields=["state"])
        record(actor=user, action=Action.UPDATE, object_type="decision", object_id=decision.id,
               school=case.school_id, changed_fields=["state"], detail={"rule": "B6"})
        why = assessment.blocked(engine.NO_REFERRAL)[0]
        add_entry(case, Entry.Kind.DECISION, user, f"The decision not to refer was withdrawn before sign-off. {why}",
                  ["B6", "B7"])


ANSWER_WORDS = {True: "yes", False: "no", None: "not known yet"}


@transaction.atomic
def change_implied_answer(*, user, case, question, answer, reason):
    """B14, B16, B10: change an answer the kind of incident implies, or set it back, always with the reason.

    `answer` is True, False or None (not known). Return the changes in words, as `update_answers` does.
    """
    require_manager(user, case)
    require_open(case)
    item = evaluation.assess(case).implied.get(question)
    if item is None:
        raise CaseError("This kind of incident implies no answer to that question.", field="answer")
    if answer not in (True, False, None):
        raise CaseError("Choose the answer.", field="answer")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Give the reason for changing an answer that this kind of incident implies.", field="reason")
    if answer == item["answer"] and (answer != item["implied"]) == item["changed"]:
        raise CaseError(f"The answer is already {ANSWER_WORDS[answer]}.", field="answer")
    facts = dict(case.facts)
    changes = dict(facts.get("implied_changes") or {})
    facts.pop(question, None)
    changes.pop(question, None)
    if answer == item["implied"]:
        text = (f"Answer set back to what this kind of incident implies: ‘{item['text']}’ "
                f"{ANSWER_WORDS[answer]}. Reason: {reason}")
    else:
        changes[question] = reason
        if answer is not None:
            facts[question] = answer
        text = (f"Answer changed from what this kind of incident implies: ‘{item['text']}’ is now "
                f"{ANSWER_WORDS[answer]}, not {ANSWER_WORDS[item['implied']]}. Reason: {reason}")
    facts.pop("implied_changes", None)
    if changes:
        facts["implied_changes"] = changes
    case.facts = facts
    case.save(update_fields=["facts"])
    audit_case(user, case, Action.UPDATE, ["facts"], answers=[question], implied=True)
    add_entry(case, Entry.Kind.ANSWERS, user, text, ["B10", *item["rules"]])
    return reevaluate(user=user, case=case, why="An implied answer was changed.")


@transaction.atomic
def confirm_classification(*, user, case, choice, reason):
    """B8: the DSL confirms the suggestion or chooses another category, always with a reason."""
    require_manager(user, case)
    require_open(case)
    if not case.procedure.get("typology"):
        raise CaseError("This procedure does not use the classification.")
    if choice not in engine.CLASSIFICATIONS:
        raise CaseError("Choose a classification.", field="choice")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Give the reason for this classification.", field="reason")
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
    steps.event_happened(case=case, event="classification_confirmed", user=user)


@transaction.atomic
def record_review(*, user, case, held_at, attendees, other_attendees, answers):
    """B1: the initial review meeting, who attended and the answers to its questions."""
    require_manager(user, case)
    require_open(case)
    questions = case.procedure.get("initial_review_questions", [])
    clean = {q["id"]: answers.get(q["id"], "").strip()[:4000] for q in questions if answers.get(q["id"], "").strip()}
    missing = [q for q in questions if q["id"] not in clean]
    if held_at is None or held_at > timezone.now() + timedelta(minutes=5):
        raise CaseError("Give the date and time the meeting was held (not in the future).", field="held_at")
    if not attendees:
        raise CaseError("Record who attended.", field="attendees")
    if missing:
        raise CaseError(f"Answer every question (write 'Not known yet' if so). Not answered: {missing[0]['text']}",
                        field=f"answer_{missing[0]['id']}")
    meeting = ReviewMeeting.objects.create(case=case, held_at=held_at, other_attendees=other_attendees.strip()[:500],
                                           answers=clean, recorded_by=user, recorded_at=timezone.now())
    meeting.attendees.set(attendees)
    record(actor=user, action=Action.CREATE, object_type="review_meeting", object_id=meeting.id,
           school=case.school_id, detail={"case": case.id, "attendees": [a.id for a in attendees]})
    names = ", ".join([a.full_name for a in attendees] + ([other_attendees.strip()] if other_attendees.strip() else []))
    when = f"{timezone.localtime(held_at):%-d %B %Y, %H:%M}"
    add_entry(case, Entry.Kind.REVIEW, user, f"Initial review meeting held {when}."
           f" Attended: {names}.", ["B1"])
    steps.event_happened(case=case, event="review_meeting_recorded", user=user,
                         why=f"the initial review meeting held {when} was recorded")
    return meeting
