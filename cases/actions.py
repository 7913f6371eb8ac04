"""Every change to a case is one of these functions.

Each checks what it must, saves, adds a chronology entry, writes the audit row in the
same transaction, and notifies on commit. Views and the API call the same functions.
A refusal raises CaseError with a sentence the DSL can act on.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import mfa
from accounts.capabilities import ROLE_LABELS, Role, TrustRole
from accounts.models import User
from audit.log import Action, record
from cases import evaluation
from cases.access import owns
from cases.models import Case, CaseMember, Decision, Entry, Referral, ReviewMeeting, SignOff, Task
from concerns import actions as concern_actions
from concerns import routing
from concerns.models import IncidentType, Route
from notifications.actions import notify
from procedures import engine
from procedures.versions import differences, effective_for, shipped


class CaseError(ValidationError):
    """The case is not in a state that allows this; the message says what to do instead."""


def _entry(case, kind, author, text, rules=()):
    return Entry.objects.create(case=case, kind=kind, author=author, at=timezone.now(), text=text, rules=list(rules))


def _audit(user, case, action, fields=(), **detail):
    record(actor=user, action=action, object_type="case", object_id=case.id, school=case.school_id,
           changed_fields=list(fields), detail=detail or None)


def _require_open(case):
    if not case.is_open:
        raise CaseError("This case is closed. Reopen it first, giving the reason.")


def team(case):
    """The people who run the case, for notices (never the member of staff it is about)."""
    roles = {Role.DSL, Role.DEPUTY_DSL} if case.route == Route.DSL else routing.ROUTE_ROLES[case.route]
    return routing.users_with_roles(case.school, roles, exclude=[case.subject_staff_id])


def _case_url(case):
    return reverse("cases:detail", args=[case.id])


# -- Opening -------------------------------------------------------------------------

PROCEDURE_FOR = {t: t for t in IncidentType.values if t != IncidentType.OTHER}


@transaction.atomic
def open_case(*, user, concern, procedure_id=None):
    """Open a case from a concern, pinning the procedure in force for its school now. Return the case.

    A concern of kind "other" needs the DSL to choose which procedure fits.
    """
    if concern.case_id:
        return concern.case
    procedure_id = procedure_id or PROCEDURE_FOR.get(concern.incident_type)
    if procedure_id not in PROCEDURE_FOR.values():
        raise CaseError("Choose which procedure fits this concern.")
    if concern.incident_type == IncidentType.STAFF_ALLEGATION and procedure_id != IncidentType.STAFF_ALLEGATION:
        raise CaseError("A concern about a member of staff follows the staff allegation procedure.")
    procedure = effective_for(concern.school, procedure_id)
    # Kept with the case: how this school's version differed from the shipped one that day.
    procedure["pinned"]["differences"] = differences(shipped(procedure_id), procedure)
    now = timezone.now()
    case = Case.objects.create(
        school=concern.school, incident_type=procedure_id, route=concern.route, subject_staff=concern.subject_staff,
        opened_by=user, opened_at=now, incident_recorded_at=concern.created_at, procedure_id=procedure_id,
        procedure=procedure,
    )
    _audit(user, case, Action.CREATE, ["incident_type", "route", "status", "procedure"], from_concern=concern.id,
           procedure=procedure["pinned"]["label"])
    _entry(case, Entry.Kind.OPENED, user,
           f"Case opened from concern {concern.reference}. Procedure: {procedure['pinned']['label']}.")
    tasks = Task.objects.bulk_create([
        Task(case=case, key=t["id"], phase=t["phase"], title=t["title"], rules=t["rules"],
             due_at=None if t["due_after_minutes"] is None else case.incident_recorded_at
             + timedelta(minutes=t["due_after_minutes"]))
        for t in procedure["tasks"]
    ])
    _link(user=user, concern=concern, case=case, first=True)
    case.evaluation = evaluation.assess(case).result
    case.save(update_fields=["evaluation"])
    _schedule_escalations([t for t in tasks if t.due_at])
    return case


def _schedule_escalations(tasks):
    from cases.tasks import escalate_if_overdue

    def enqueue():
        for t in tasks:
            escalate_if_overdue.using(run_after=t.due_at).enqueue(t.id)

    transaction.on_commit(enqueue)


@transaction.atomic
def attach_to_case(*, user, concern, case):
    """Several reports of one incident become one case. Only within the same school and route."""
    if case.school_id != concern.school_id or case.route != concern.route or not owns(user, case):
        raise Http404("No such case")
    if not case.is_open:
        raise Http404("No such open case")
    _link(user=user, concern=concern, case=case)
    reevaluate(user=user, case=case, why="A new concern was added.")
    return case


def _link(*, user, concern, case, first=False):
    concern_actions.acknowledge(user=user, concern=concern)
    concern.case = case
    concern.save(update_fields=["case"])
    record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=concern.school,
           changed_fields=["case"], detail={"case": case.id})
    if not first:
        _entry(case, Entry.Kind.CONCERN, user,
               f"Concern {concern.reference} (reported by {concern.reported_by.full_name}) added to this case.")
    involve_senco(case=case, by=user)


def involve_senco(*, case, by):
    """B11: when a child in the case has special educational needs, the SENCO is involved."""
    links = [link for link in evaluation.case_pupils(case) if link.pupil.has_sen]
    if not links:
        return []
    sencos = routing.users_with_roles(case.school, {Role.SENCO}, exclude=[case.subject_staff_id])
    added = []
    for senco in sencos:
        if CaseMember.objects.filter(case=case, user=senco).exists():
            continue
        CaseMember.objects.create(case=case, user=senco, why=CaseMember.Why.SENCO, added_by=by,
                                  added_at=timezone.now(), reason="A child in this case has special educational needs.")
        record(actor=by, action=Action.CREATE, object_type="case_member", object_id=f"{case.id}:{senco.id}",
               school=case.school_id, detail={"why": "senco", "rule": "B11"})
        _entry(case, Entry.Kind.PERSON, by, f"{senco.full_name} (SENCO) added: a child in this case has special "
               "educational needs.", ["B11"])
        added.append(senco)
    if added:
        notify(users=added, school=case.school, text=f"You have been added to a safeguarding case at "
               f"{case.school.name} as SENCO", url=_case_url(case))
    elif not sencos and not case.entries.filter(kind=Entry.Kind.PERSON, text__contains="SENCO role").exists():
        _entry(case, Entry.Kind.PERSON, by, "A child in this case has special educational needs, but nobody holds "
               "the SENCO role in Harbour. Involve the SENCO another way and record it.", ["B11"])
    return added


# -- Answers and evaluation (B2, B3, B7, B8) ------------------------------------------

ANSWER_KEYS_FIXED = ("youngest_age", "relationship") + evaluation.YES_NO_KEYS


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
    _require_open(case)
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
    _audit(user, case, Action.UPDATE, fields, answers=changed)
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
        _entry(case, Entry.Kind.ANSWERS, user, " ".join([text] + changes), ["B7"])
    if after["referral_required"] and not before.get("referral_required"):
        _entry(case, Entry.Kind.REFERRAL_REQUIRED, user, "A referral criterion applies ("
               + ", ".join(after["criteria_met"]) + "): refer to children's social care and/or the police now.",
               ["B2"])
        notify(users=[u for u in team(case) if u != user], school=case.school,
               text=f"A case at {case.school.name} now needs an immediate referral", url=_case_url(case))
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
        _entry(case, Entry.Kind.DECISION, user, f"The decision not to refer was withdrawn before sign-off: {why}.",
               ["B6", "B7"])


@transaction.atomic
def confirm_classification(*, user, case, choice, reason):
    """B8: the DSL confirms the suggestion or chooses another category, always with a reason."""
    _require_open(case)
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
    _record_decision(user, case, Decision.Kind.CLASSIFICATION, list(engine.CLASSIFICATIONS), choice, reason, ["B8"])
    label = evaluation.classification_label
    text = (f"Classification {verb}: {label(choice)}." if choice == suggestion
            else f"Classification set to {label(choice)} (Harbour suggested {label(suggestion)}).")
    _entry(case, Entry.Kind.DECISION, user, f"{text} Reason: {reason}", ["B8"])
    _audit(user, case, Action.UPDATE, ["classification"], suggestion=suggestion)


def _record_decision(user, case, kind, options, choice, reason, rules, state=Decision.State.RECORDED):
    decision = Decision.objects.create(case=case, kind=kind, options=options, choice=choice, reason=reason,
                                       decided_by=user, decided_at=timezone.now(), rules=rules, state=state)
    record(actor=user, action=Action.CREATE, object_type="decision", object_id=decision.id, school=case.school_id,
           detail={"case": case.id, "kind": kind})
    return decision


@transaction.atomic
def record_decision(*, user, case, taken, choice, reason, options=""):
    """B10: an action taken or not taken, the options considered, and why."""
    _require_open(case)
    choice, reason = (choice or "").strip(), (reason or "").strip()
    if not choice:
        raise CaseError("Say what was decided.")
    if not reason:
        raise CaseError("Give the reason. Every decision, including not to act, needs one.")
    options_list = [o.strip() for o in (options or "").splitlines() if o.strip()]
    kind = Decision.Kind.ACTION_TAKEN if taken else Decision.Kind.ACTION_NOT_TAKEN
    decision = _record_decision(user, case, kind, options_list, choice, reason, ["B10"])
    _entry(case, Entry.Kind.DECISION, user,
           f"{'Action taken' if taken else 'Action not taken'}: {choice}. Reason: {reason}", ["B10"])
    return decision


@transaction.atomic
def record_advice(*, user, case, source, advice):
    """F7: advice sought when unsure how to proceed."""
    _require_open(case)
    source, advice = (source or "").strip(), (advice or "").strip()
    if not source or not advice:
        raise CaseError("Say who was asked and what they advised.")
    decision = _record_decision(user, case, Decision.Kind.ADVICE, [], f"Advice from {source}", advice, ["F7"])
    _entry(case, Entry.Kind.DECISION, user, f"Advice sought from {source}: {advice}", ["F7"])
    return decision


# -- Decision not to refer and its sign-offs (B6) -------------------------------------

def signers_for(case, role):
    if role in TrustRole.values:
        users = User.objects.filter(is_active=True, trust_memberships__trust_id=case.school.trust_id,
                                    trust_memberships__role=role)
        return list(users.exclude(id=case.subject_staff_id).distinct().order_by("id"))
    return routing.users_with_roles(case.school, {role}, exclude=[case.subject_staff_id])


@transaction.atomic
def decide_not_to_refer(*, user, case, reason):
    """B6: allowed only when every referral criterion is answered and none applies."""
    _require_open(case)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Record the rationale for not referring.")
    result = evaluation.assess(case).result
    if result["criteria_met"]:
        raise CaseError("A referral criterion applies (" + ", ".join(result["criteria_met"]) + "), so a decision "
                        "not to refer is not possible. Refer to children's social care and/or the police.")
    if result["criteria_unknown"]:
        raise CaseError("Answer every referral question first (" + ", ".join(result["criteria_unknown"])
                        + " not answered). A decision not to refer needs each of them answered no.")
    if case.decisions.filter(kind=Decision.Kind.NO_REFERRAL, state=Decision.State.AWAITING_SIGN_OFF).exists():
        raise CaseError("A decision not to refer is already waiting for sign-off.")
    roles = list(case.procedure.get("sign_off_roles") or [])
    decision = _record_decision(user, case, Decision.Kind.NO_REFERRAL, ["refer", "do not refer"], "Do not refer",
                                reason, ["B6"], state=Decision.State.AWAITING_SIGN_OFF)
    asked = []
    for role in roles:
        SignOff.objects.create(decision=decision, role=role)
        for signer in signers_for(case, role):
            if signer != user and not owns(signer, case) and not CaseMember.objects.filter(case=case, user=signer).exists():
                CaseMember.objects.create(case=case, user=signer, why=CaseMember.Why.SIGN_OFF, added_by=user,
                                          added_at=timezone.now(), reason="Asked to sign off a decision not to refer.")
                record(actor=user, action=Action.CREATE, object_type="case_member",
                       object_id=f"{case.id}:{signer.id}", school=case.school_id, detail={"why": "sign_off"})
            asked.append(signer)
    who = " and ".join(ROLE_LABELS.get(r, r).lower() for r in roles)
    _entry(case, Entry.Kind.DECISION, user, f"Decision not to refer, waiting for sign-off by the {who}. "
           f"Rationale: {reason}", ["B6"])
    notify(users=[u for u in dict.fromkeys(asked) if u != user], school=case.school,
           text=f"Please sign off a decision not to refer at {case.school.name}",
           url=reverse("cases:sign_off", args=[case.id, decision.id]))
    return decision


def pending_sign_offs_for(user, case):
    """The unsigned sign-offs on this case that `user` may sign (they hold the role)."""
    roles = user.access.roles_in(case.school_id)
    return [s for s in SignOff.objects.filter(decision__case=case, decision__state=Decision.State.AWAITING_SIGN_OFF,
                                              signed_at__isnull=True).select_related("decision")
            if s.role in roles and user.id != case.subject_staff_id]


def sign(*, user, sign_off, password, code, comment=""):
    """B6: signing means re-entering the password and a second-factor code.

    The credentials are checked before the transaction, so that a wrong code counts
    towards the second factor's throttling even though nothing is signed.
    """
    if sign_off.role not in user.access.roles_in(sign_off.decision.case.school_id):
        raise Http404("No such sign-off")
    if not user.check_password(password or "") or mfa.match_token(user, code or "") is None:
        raise CaseError("Your password or code was not right. Enter both again to sign.")
    with transaction.atomic():
        return _sign(user, sign_off, comment)


def _sign(user, sign_off, comment):
    sign_off = SignOff.objects.select_for_update().select_related("decision__case__school").get(id=sign_off.id)
    decision = sign_off.decision
    case = decision.case
    if decision.state != Decision.State.AWAITING_SIGN_OFF or sign_off.signed_at:
        raise CaseError("This decision is no longer waiting for your signature.")
    sign_off.signed_by = user
    sign_off.signed_at = timezone.now()
    sign_off.comment = (comment or "").strip()
    sign_off.save(update_fields=["signed_by", "signed_at", "comment"])
    record(actor=user, action=Action.SIGN, object_type="decision", object_id=decision.id, school=case.school_id,
           detail={"role": sign_off.role, "case": case.id, "rule": "B6"})
    _entry(case, Entry.Kind.SIGN_OFF, user, f"Decision not to refer signed off as {sign_off.role_label.lower()}"
           + (f": {sign_off.comment}" if sign_off.comment else "."), ["B6"])
    if not decision.sign_offs.filter(signed_at__isnull=True).exists():
        decision.state = Decision.State.SIGNED_OFF
        decision.save(update_fields=["state"])
        _entry(case, Entry.Kind.SIGN_OFF, user, "Every sign-off is in: the decision not to refer stands.", ["B6"])
        notify(users=team(case), school=case.school,
               text=f"A decision not to refer at {case.school.name} has been signed off", url=_case_url(case))
    return sign_off


def record_failed_signature(*, user, sign_off):
    record(actor=user, action=Action.DENIED, object_type="decision", object_id=sign_off.decision_id,
           detail={"reason": "signature_password_or_code_wrong", "role": sign_off.role})


# -- Referrals, outcome, tasks --------------------------------------------------------

@transaction.atomic
def record_referral(*, user, case, agency, made_at, reference="", notes=""):
    if agency not in Referral.Agency.values:
        raise CaseError("Choose who the referral was made to.")
    if made_at is None or made_at > timezone.now() + timedelta(minutes=5):
        raise CaseError("Give the date and time the referral was made (not in the future).")
    referral = Referral.objects.create(case=case, agency=agency, made_at=made_at, reference=reference.strip(),
                                       notes=notes.strip(), made_by=user, recorded_at=timezone.now())
    record(actor=user, action=Action.CREATE, object_type="referral", object_id=referral.id, school=case.school_id,
           detail={"case": case.id, "agency": agency})
    ref = f" (reference {referral.reference})" if referral.reference else ""
    _entry(case, Entry.Kind.REFERRAL, user, f"Referral to {referral.get_agency_display()}{ref}.", ["B2", "B5"])
    if case.is_open:
        reevaluate(user=user, case=case, why="A referral was recorded.")
    return referral


def outcome_blockers(case, outcome, assessment=None):
    """Why `outcome` cannot be recorded yet (B2, B6), as sentences; empty when it can."""
    assessment = assessment or evaluation.assess(case)
    if outcome != Case.Outcome.MANAGED_IN_SCHOOL:
        return []
    if assessment.missing_referral:
        return ["A referral criterion applies (" + ", ".join(assessment.result["criteria_met"]) + "). Record the "
                "referral to children's social care or the police before the school can manage this directly."]
    signed = case.decisions.filter(kind=Decision.Kind.NO_REFERRAL, state=Decision.State.SIGNED_OFF).exists()
    if not assessment.referral_recorded and not signed:
        return ["Managing this in school without a referral needs a decision not to refer, signed off by "
                + " and ".join(ROLE_LABELS.get(r, r).lower() for r in case.procedure.get("sign_off_roles", []))
                + "."]
    return []


@transaction.atomic
def set_outcome(*, user, case, outcome, reason):
    """B5, guarded by B2 (no "managed in school" while a criterion is met without a referral) and B6."""
    _require_open(case)
    if outcome not in Case.Outcome.values:
        raise CaseError("Choose the outcome.")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Give the reason for this outcome.")
    blockers = outcome_blockers(case, outcome)
    if blockers:
        raise CaseError(blockers[0])
    case.outcome = outcome
    case.save(update_fields=["outcome"])
    _record_decision(user, case, Decision.Kind.OUTCOME, list(Case.Outcome.values), outcome, reason, ["B5"])
    _entry(case, Entry.Kind.OUTCOME, user, f"Outcome: {case.get_outcome_display()}. Reason: {reason}", ["B5"])
    _audit(user, case, Action.UPDATE, ["outcome"])


@transaction.atomic
def complete_task(*, user, task, done, note=""):
    """A task is done, or not done with the reason (B10). Never reopened: add a note instead."""
    case = task.case
    _require_open(case)
    if not task.is_open:
        raise CaseError("This task has already been completed.")
    note = (note or "").strip()
    if not done and not note:
        raise CaseError("Say why this task is not being done.")
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
    _entry(case, Entry.Kind.TASK, user, text, ["B10"] if not done else task.rules)
    return task


@transaction.atomic
def set_review_date(*, user, case, review_date):
    """E4: the ongoing phase's clock is the review date the DSL sets."""
    _require_open(case)
    if review_date is None or review_date < timezone.localdate():
        raise CaseError("Choose a review date, today or later.")
    case.review_date = review_date
    case.save(update_fields=["review_date"])
    _audit(user, case, Action.UPDATE, ["review_date"])
    _entry(case, Entry.Kind.NOTE, user, f"Review date set: {review_date:%-d %B %Y}.", ["E4"])
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
    _entry(case, Entry.Kind.ESCALATION, None, f"Overdue since {timezone.localtime(task.due_at):%-d %B %Y, %H:%M}: "
           f"{task.title}", ["E7"])
    notify(users=team(case), school=case.school, text=f"A task on a case at {case.school.name} is overdue",
           url=_case_url(case))
    return True


# -- People, notes, review meetings ---------------------------------------------------

@transaction.atomic
def add_member(*, user, case, member, reason):
    _require_open(case)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Say why this person needs to see the case.")
    if member.id == case.subject_staff_id or not member.is_active or not member.access.roles_in(case.school_id):
        raise CaseError("Choose an active member of staff at this school.")
    if CaseMember.objects.filter(case=case, user=member).exists() or owns(member, case):
        raise CaseError(f"{member.full_name} can already see this case.")
    CaseMember.objects.create(case=case, user=member, why=CaseMember.Why.ADDED, reason=reason, added_by=user,
                              added_at=timezone.now())
    record(actor=user, action=Action.CREATE, object_type="case_member", object_id=f"{case.id}:{member.id}",
           school=case.school_id, detail={"why": "added", "reason": reason})
    _entry(case, Entry.Kind.PERSON, user, f"{member.full_name} added to the case. Reason: {reason}", ["H3"])
    notify(users=[member], school=case.school, text=f"You have been added to a safeguarding case at "
           f"{case.school.name}", url=_case_url(case))


@transaction.atomic
def add_note(*, user, case, text):
    text = (text or "").strip()
    if not text:
        raise CaseError("Write the note first.")
    entry = _entry(case, Entry.Kind.NOTE, user, text[:10000])
    record(actor=user, action=Action.CREATE, object_type="case_entry", object_id=entry.id, school=case.school_id,
           detail={"case": case.id})
    return entry


@transaction.atomic
def record_review(*, user, case, held_at, attendees, other_attendees, answers):
    """B1: the initial review meeting, who attended and the answers to its questions."""
    _require_open(case)
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
    _entry(case, Entry.Kind.REVIEW, user, f"Initial review meeting held {timezone.localtime(held_at):%-d %B %Y, %H:%M}."
           f" Attended: {names}.", ["B1"])
    return meeting


# -- Closure and reopening (G1, H1) ---------------------------------------------------

def closure_blockers(case, assessment=None):
    """Everything that must happen before the case can close, as sentences."""
    assessment = assessment or evaluation.assess(case)
    blockers = []
    if not case.reviews.exists():
        blockers.append("Record the initial review meeting.")
    if assessment.missing_referral:
        blockers.append("A referral criterion applies (" + ", ".join(assessment.result["criteria_met"]) + "): "
                        "record the referral to children's social care or the police.")
    if not case.outcome:
        blockers.append("Record the outcome.")
    elif case.outcome == Case.Outcome.REFER and not assessment.referral_recorded:
        blockers.append("The outcome is a referral: record it.")
    elif case.outcome == Case.Outcome.MANAGED_IN_SCHOOL:
        blockers += outcome_blockers(case, case.outcome, assessment)
    if case.procedure.get("typology") and not case.classification:
        blockers.append("Confirm or choose the classification.")
    if hasattr(case, "viewings") and case.viewings.filter(state="awaiting").exists():
        blockers.append("An imagery viewing record is waiting for the viewer's and witness's signatures.")
    timed = case.tasks.outstanding().exclude(phase=Task.Phase.ONGOING).count()
    if timed:
        blockers.append(f"{timed} task{'s' if timed != 1 else ''} still open: mark each done, or not done with the "
                        "reason.")
    return blockers


@transaction.atomic
def close_case(*, user, case, summary, debrief, lessons_learnt, policy_changes):
    _require_open(case)
    values = {"summary": summary, "debrief": debrief, "lessons_learnt": lessons_learnt,
              "policy_changes": policy_changes}
    values = {k: (v or "").strip() for k, v in values.items()}
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise CaseError("Complete every closing question (write 'None' for no policy or curriculum change).")
    blockers = closure_blockers(case)
    if blockers:
        raise CaseError(blockers[0])
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
    _audit(user, case, Action.UPDATE, ["status", "closed_at", *values])
    _entry(case, Entry.Kind.CLOSED, user, f"Case closed. Summary: {values['summary']} Debrief: {values['debrief']} "
           f"Lessons learnt: {values['lessons_learnt']} Policy or curriculum changes: {values['policy_changes']}",
           ["H1", "G1"])
    # A7: the reporters see that the concern they raised has been dealt with (nothing more).
    for concern in case.concerns.exclude(status="closed"):
        concern.status = "closed"
        concern.save(update_fields=["status"])
        record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=case.school_id,
               changed_fields=["status"], detail={"case": case.id})
    return case


@transaction.atomic
def reopen_case(*, user, case, reason):
    if case.is_open:
        raise CaseError("This case is already open.")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Say why the case is being reopened.")
    case.status = Case.Status.OPEN
    case.closed_at = None
    case.closed_by = None
    case.save(update_fields=["status", "closed_at", "closed_by"])
    _audit(user, case, Action.UPDATE, ["status", "closed_at"], reason=reason)
    _entry(case, Entry.Kind.REOPENED, user, f"Case reopened. Reason: {reason}", ["B7"])
    for concern in case.concerns.filter(status="closed"):
        concern.status = "acknowledged"
        concern.save(update_fields=["status"])
        record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=case.school_id,
               changed_fields=["status"], detail={"case": case.id})
    reevaluate(user=user, case=case, why="Case reopened.")
    return case
