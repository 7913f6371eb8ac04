"""Decisions with their reasons (B10, F7), a consultation with children's social care (B3), a decision not to make
a referral the procedure lets the school decide on (B15), and the decision not to refer with its sign-offs (B6)."""


from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import mfa
from accounts.pickers import role_label
from accounts.policy import people_holding
from audit.log import Action, record, record_refusal
from cases import evaluation
from cases.access import CASES, owns
from cases.actions.answers import reevaluate
from cases.actions.clocks import complete_required_steps
from cases.actions import steps
from cases.actions.common import CaseError, add_entry, case_url, require_manager, require_open, save_decision, team
from cases.models import CaseMember, Decision, Entry, SignOff, Task
from notifications.actions import Kind, notify, resolve, when
from procedures import engine


@transaction.atomic
def record_decision(*, user, case, taken, choice, reason, options=""):
    """B10: an action taken or not taken, the options considered, and why."""
    require_manager(user, case)
    require_open(case)
    choice, reason = (choice or "").strip(), (reason or "").strip()
    if not choice:
        raise CaseError("Say what was decided.", field="choice")
    if not reason:
        raise CaseError("Give the reason. Every decision, including not to act, needs one.", field="reason")
    options_list = [o.strip() for o in (options or "").splitlines() if o.strip()]
    kind = Decision.Kind.ACTION_TAKEN if taken else Decision.Kind.ACTION_NOT_TAKEN
    decision = save_decision(user, case, kind, options_list, choice, reason, ["B10"])
    add_entry(case, Entry.Kind.DECISION, user,
           f"{'Action taken' if taken else 'Action not taken'}: {choice}. Reason: {reason}", ["B10"])
    steps.event_happened(case=case, event="decision_recorded", user=user)
    return decision


@transaction.atomic
def record_advice(*, user, case, source, advice):
    """F7: advice sought when unsure how to proceed."""
    require_manager(user, case)
    require_open(case)
    source, advice = (source or "").strip(), (advice or "").strip()
    if not source or not advice:
        raise CaseError("Say who was asked and what they advised.", field="advice" if source else "source")
    decision = save_decision(user, case, Decision.Kind.ADVICE, [], f"Advice from {source}", advice, ["F7"])
    add_entry(case, Entry.Kind.DECISION, user, f"Advice sought from {source}: {advice}", ["F7"])
    steps.event_happened(case=case, event="advice_sought", user=user, why=f"advice from {source} was recorded")
    return decision


@transaction.atomic
def record_consultation(*, user, case, advice):
    """B3: a consultation with children's social care, with their advice. It escalates the case through child
    protection procedures, so an escalation factor no longer blocks managing in school on its own."""
    require_manager(user, case)
    require_open(case)
    advice = (advice or "").strip()
    if not advice:
        raise CaseError("Say what children's social care advised.", field="advice")
    decision = save_decision(user, case, Decision.Kind.CONSULTATION, [], "Consulted children's social care", advice,
                             ["B3", "F7"])
    add_entry(case, Entry.Kind.DECISION, user, f"Children's social care consulted. Their advice: {advice}",
              ["B3", "F7"])
    reevaluate(user=user, case=case, why="Children's social care were consulted.")
    return decision


@transaction.atomic
def record_referral_not_made(*, user, case, agency, reason):
    """B15, B10: where the procedure lets the school decide (a Prevent referral), the decision not to refer, with
    the reason, settles the requirement as a referral would."""
    require_manager(user, case)
    require_open(case)
    item = next((r for r in evaluation.assess(case).required if r["agency"] == agency and r["decision"]), None)
    if item is None:
        raise CaseError("Nothing in this procedure asks for that decision.", field="agency")
    if item["recorded"]:
        raise CaseError(f"A referral to {item['to']} is already recorded.", field="agency")
    if item["declined"]:
        raise CaseError(f"The decision not to refer to {item['to']} is already recorded.", field="agency")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(f"Give the reason for not referring to {item['to']}.", field="reason")
    decision = save_decision(user, case, Decision.Kind.REFERRAL_NOT_MADE, ["refer", "do not refer"], agency, reason,
                             ["B15", "B10"])
    add_entry(case, Entry.Kind.DECISION, user, f"Decided not to refer to {item['to']}. Reason: {reason}",
              ["B15", "B10"])
    complete_required_steps(user=user, case=case, agency=agency,
                            note=f"decided not to refer to {item['to']}, with the reason recorded")
    reevaluate(user=user, case=case, why=f"The decision about {item['to']} was recorded.")
    return decision


def sign_off_due(case):
    """B6 with E7: when a decision not to refer needs its sign-offs. It settles the referral decision, so it is due
    when the procedure's step that waits for that decision is due (the earliest, if several); None when the case's
    procedure has no such step with a clock."""
    keys = steps.waits_for(case, "referral_decided")
    if not keys:
        return None
    return (case.tasks.filter(key__in=keys, completed_at__isnull=True, due_at__isnull=False)
            .order_by("due_at").values_list("due_at", flat=True).first())


def sign_offs_due(cases) -> dict:
    """`sign_off_due` of each of `cases`, in one query however many there are: {case id: due or None}."""
    keys = {case.id: steps.waits_for(case, "referral_decided") for case in cases}
    due = dict.fromkeys(keys)
    waiting = [case_id for case_id, wanted in keys.items() if wanted]
    if waiting:
        rows = Task.objects.filter(case_id__in=waiting, key__in=set().union(*keys.values()), completed_at__isnull=True,
                                   due_at__isnull=False).values_list("case_id", "key", "due_at")
        for case_id, key, due_at in rows:
            if key in keys[case_id] and (due[case_id] is None or due_at < due[case_id]):
                due[case_id] = due_at
    return due


def signers_for(case, role):
    return people_holding(case.school, role, exclude=[case.subject_staff_id])


@transaction.atomic
def decide_not_to_refer(*, user, case, reason):
    """B6: allowed only when every referral criterion is answered no, every escalation factor present has been
    escalated (B3) and every referral the kind requires is recorded (B15): the engine says which (17.8)."""
    require_manager(user, case)
    require_open(case)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Record the rationale for not referring.", field="reason")
    blocked = evaluation.assess(case).blocked(engine.NO_REFERRAL)
    if blocked:
        raise CaseError(blocked[0])
    if case.decisions.filter(kind=Decision.Kind.NO_REFERRAL, state=Decision.State.AWAITING_SIGN_OFF).exists():
        raise CaseError("A decision not to refer is already waiting for sign-off.")
    roles = list(case.procedure.get("sign_off_roles") or [])
    decision = save_decision(user, case, Decision.Kind.NO_REFERRAL, ["refer", "do not refer"], "Do not refer",
                                reason, ["B6"], state=Decision.State.AWAITING_SIGN_OFF)
    asked = []
    for role in roles:
        SignOff.objects.create(decision=decision, school_id=case.school_id, role=role)
        for signer in signers_for(case, role):
            needs_access = not owns(signer, case) and not CaseMember.objects.filter(case=case, user=signer).exists()
            if signer != user and needs_access:
                CaseMember.objects.create(case=case, user=signer, why=CaseMember.Why.SIGN_OFF, added_by=user,
                                          added_at=timezone.now(), reason="Asked to sign off a decision not to refer.")
                record(actor=user, action=Action.CREATE, object_type="case_member",
                       object_id=f"{case.id}:{signer.id}", school=case.school_id, detail={"why": "sign_off"})
            asked.append(signer)
    who = " and ".join(str(role_label(r, case.school)).lower() for r in roles)  # J8: in the nation's words
    add_entry(case, Entry.Kind.DECISION, user, f"Decision not to refer, waiting for sign-off by the {who}. "
           f"Rationale: {reason}", ["B6"])
    due = sign_off_due(case)
    notify(users=[u for u in dict.fromkeys(asked) if u != user], school=case.school, kind=Kind.SIGN_OFF,
           reference=case.reference, key=f"sign-off:{decision.id}", due_at=due,
           text=(f"Case {case.reference} at {case.school.name}: sign off a decision not to refer by {when(due)}"
                 if due else f"Case {case.reference} at {case.school.name}: sign off a decision not to refer. Its "
                 "procedure sets no deadline, but the decision does not stand until it is signed off"),
           url=reverse("cases:sign_off", args=[case.id, decision.id]))
    return decision


def pending_sign_offs_for(user, case, decisions=None):
    """The unsigned sign-offs on this case that `user` may sign (they hold the role).

    `decisions`: the case's decisions with their sign-offs prefetched, when the caller has them already."""
    if decisions is None:
        unsigned = SignOff.objects.filter(decision__case=case, decision__state=Decision.State.AWAITING_SIGN_OFF,
                                          signed_at__isnull=True).select_related("decision__case__school")
    else:
        unsigned = [s for d in decisions if d.state == Decision.State.AWAITING_SIGN_OFF
                    for s in d.sign_offs.all() if s.signed_at is None]
    return [s for s in unsigned if CASES.may_sign(user, s, case)]


def sign(*, user, sign_off, password, code, comment=""):
    """B6: signing means re-entering the password and a second-factor code.

    The credentials are checked before the transaction, so that a wrong code counts
    towards the second factor's throttling even though nothing is signed.
    """
    if not CASES.may_sign(user, sign_off, sign_off.decision.case):
        raise Http404("No such sign-off")
    refusal = mfa.signature_refusal(user, password, code)
    if refusal:
        raise CaseError(refusal, field="password")
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
    add_entry(case, Entry.Kind.SIGN_OFF, user, f"Decision not to refer signed off as {sign_off.role_label.lower()}"
           + (f": {sign_off.comment}" if sign_off.comment else "."), ["B6"])
    resolve(key=f"sign-off:{decision.id}", users=[user])
    if not decision.sign_offs.filter(signed_at__isnull=True).exists():
        decision.state = Decision.State.SIGNED_OFF
        decision.save(update_fields=["state"])
        add_entry(case, Entry.Kind.SIGN_OFF, user, "Every sign-off is in: the decision not to refer stands.", ["B6"])
        steps.event_happened(case=case, event="referral_decided", user=user,
                             why="the decision not to refer was signed off by everyone the procedure names")
        resolve(key=f"sign-off:{decision.id}")
        notify(users=team(case), school=case.school, reference=case.reference,
               text=f"Case {case.reference} at {case.school.name}: the decision not to refer has every sign-off. "
                    "Nothing more is needed for it", url=case_url(case))
    return sign_off


def record_failed_signature(*, user, sign_off):
    record_refusal(actor=user, object_type="decision", object_id=sign_off.decision_id,
                   school=sign_off.decision.case.school_id, reason="signature_password_or_code_wrong",
                   role=sign_off.role)
