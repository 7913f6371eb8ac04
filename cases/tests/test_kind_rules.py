"""What a kind of incident carries on a case, whatever the answers: implied answers (B14, B16), required referrals
(B15), escalation factors (B3), the staff allegation route (F8, F4), and one answer about "managed in school"
shared with the engine (issue 17.8). Proven at the level of actions."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions, evaluation
from cases.actions import CaseError
from cases.models import Decision, Entry
from cases.tests.helpers import ALL_NO, make_case, make_concern, no_to_everything
from concerns.models import Route
from lib.workdays import add_working_days
from procedures import engine

pytestmark = pytest.mark.django_db
NO_FACTORS = {f"B3.{n}": False for n in range(1, 8)}


def task(case, key):
    return case.tasks.get(key=key)


def refer(world, case, agency, route, by=None):
    return actions.record_referral(user=by or world.diana, case=case, agency=agency, route=route,
                                   made_at=timezone.now(), reference="REF-9")


# ---- B14: a sextortion case is blackmail from the moment it opens -----------------------------------------


def test_r_b14_a_sextortion_case_opens_with_blackmail_answered_yes_and_a_referral_required(world):
    case = make_case(world, "sextortion")
    assessment = evaluation.assess(case)
    assert assessment.result["criteria_met"] == ["B2.2"] and assessment.missing_referral
    assert assessment.implied["B2.2"]["answer"] is True
    opened = case.entries.filter(kind=Entry.Kind.ANSWERS).first()
    assert opened.text.startswith("Answered yes from the kind of incident: ‘A child has been coerced")
    assert "blackmail" in opened.text and "B14" in opened.rules
    assert case.entries.filter(kind=Entry.Kind.REFERRAL_REQUIRED, text__contains="the police").exists()


def test_r_b14_b6_the_audits_path_is_closed_answering_no_cannot_lead_to_managing_sextortion_in_school(world):
    """The audit: answer no to everything, decide not to refer, manage in school, close. Each step is refused."""
    case = make_case(world, "sextortion")
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, **NO_FACTORS})
    assert case.facts.get("B2.2") is None  # the form cannot change an implied answer
    assert evaluation.assess(case).result["criteria_met"] == ["B2.2"]
    with pytest.raises(CaseError, match="A decision not to refer is not possible, because a child has been coerced"):
        actions.decide_not_to_refer(user=world.diana, case=case, reason="Nothing to refer.")
    with pytest.raises(CaseError, match="the police must be told"):
        actions.set_outcome(user=world.diana, case=case, outcome="managed_in_school", reason="We will support.")
    assert any("the police must be told" in b for b in actions.closure_blockers(case))


def test_r_b14_b10_changing_an_implied_answer_needs_a_reason_and_is_audited_and_in_the_chronology(world):
    case = make_case(world, "sextortion")
    with pytest.raises(CaseError, match="Give the reason"):
        actions.change_implied_answer(user=world.diana, case=case, question="B2.2", answer=False, reason=" ")
    with pytest.raises(CaseError, match="implies no answer"):
        actions.change_implied_answer(user=world.diana, case=case, question="B2.5", answer=False, reason="x")
    with pytest.raises(CaseError, match="already yes"):
        actions.change_implied_answer(user=world.diana, case=case, question="B2.2", answer=True, reason="x")
    before = AuditEvent.objects.count()
    changes = actions.change_implied_answer(user=world.diana, case=case, question="B2.2", answer=False,
                                            reason="The police found it was a joke between two friends.")
    assert any("no longer applies" in c for c in changes)
    case.refresh_from_db()
    assert case.facts["B2.2"] is False
    assert case.facts["implied_changes"] == {"B2.2": "The police found it was a joke between two friends."}
    assert AuditEvent.objects.filter(seq__gt=0, object_type="case", object_id=str(case.id), action="update",
                                     detail__implied=True).count() == 1 and AuditEvent.objects.count() > before
    entry = case.entries.filter(kind=Entry.Kind.ANSWERS, text__startswith="Answer changed").get()
    assert "is now no, not yes" in entry.text and "joke between two friends" in entry.text
    assert "B10" in entry.rules and "B14" in entry.rules
    # The answers form keeps the DSL's change: it cannot undo it either.
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B2.2": True})
    case.refresh_from_db()
    assert case.facts["B2.2"] is False and "implied_changes" in case.facts
    # Setting it back needs a reason too, and clears the change.
    actions.change_implied_answer(user=world.diana, case=case, question="B2.2", answer=True,
                                  reason="New messages show money was demanded after all.")
    case.refresh_from_db()
    assert "B2.2" not in case.facts and "implied_changes" not in case.facts
    assert evaluation.assess(case).result["criteria_met"] == ["B2.2"]
    assert case.entries.filter(text__startswith="Answer set back to what this kind of incident implies").exists()


def test_r_b15_changing_the_implied_answer_does_not_remove_the_required_police_referral(world):
    case = make_case(world, "sextortion")
    actions.change_implied_answer(user=world.diana, case=case, question="B2.2", answer=False, reason="A prank.")
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, **NO_FACTORS})
    with pytest.raises(CaseError, match="the police must be told"):
        actions.decide_not_to_refer(user=world.diana, case=case, reason="Nothing to refer.")


# ---- B16: upskirting and deepfakes are never experimental -------------------------------------------------


@pytest.mark.parametrize("kind", ["upskirting", "deepfake"])
def test_r_b16_upskirting_and_deepfake_cases_never_suggest_experimental_or_resolving_in_school(world, kind):
    case = make_case(world, kind)
    actions.update_answers(user=world.diana, case=case, facts={
        **ALL_NO, **NO_FACTORS, "intent_to_harm": False, "pictured_child_willing": True, "relationship": "partners",
        "shared_beyond_pair": False})
    result = evaluation.assess(case).result
    assert result["suggested_classification"] == "aggravated.reckless_misuse"
    assert result["may_resolve_directly"] is False
    assert not any("may resolve this directly" in g["text"] for g in result["guidance"])


def test_r_b9_b16_nudes_sharing_may_be_resolved_directly_only_when_everything_is_answered_no(world):
    case = make_case(world)
    romantic = {**ALL_NO, "intent_to_harm": False, "pictured_child_willing": True, "relationship": "partners",
                "shared_beyond_pair": False, "ai_made_or_altered": False}
    actions.update_answers(user=world.diana, case=case, facts=romantic)
    assert not evaluation.assess(case).result["may_resolve_directly"]  # the factors are not answered yet
    actions.update_answers(user=world.diana, case=case, facts={**romantic, **NO_FACTORS})
    result = evaluation.assess(case).result
    assert result["may_resolve_directly"] and any("may resolve this directly" in g["text"] for g in result["guidance"])
    actions.update_answers(user=world.diana, case=case, facts={**romantic, **NO_FACTORS, "ai_made_or_altered": True})
    result = evaluation.assess(case).result
    assert result["suggested_classification"] == "aggravated.reckless_misuse"
    assert not any("may resolve this directly" in g["text"] for g in result["guidance"])


# ---- B3: an escalation factor blocks managing in school until an escalation is recorded ------------------


def test_r_b3_a_factor_blocks_a_decision_not_to_refer_and_managing_in_school_until_children_social_care_advise(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B3.3": True})
    with pytest.raises(CaseError, match="Escalate through child protection procedures first"):
        actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual.")
    assert any("Escalate through" in b for b in actions.outcome_blockers(case, "managed_in_school"))
    with pytest.raises(CaseError, match="advised"):
        actions.record_consultation(user=world.diana, case=case, advice=" ")
    consultation = actions.record_consultation(user=world.diana, case=case,
                                               advice="Support in school; tell us if anything changes.")
    assert consultation.kind == Decision.Kind.CONSULTATION and consultation.rules == ["B3", "F7"]
    assert AuditEvent.objects.filter(object_type="decision", object_id=str(consultation.id), action="create").exists()
    assert case.entries.filter(kind=Entry.Kind.DECISION, text__startswith="Children's social care consulted").exists()
    # Now the factor has been escalated: the decision not to refer (and its sign-off) is the way to manage it.
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="CSC advised support in school.")
    assert decision.state == Decision.State.AWAITING_SIGN_OFF
    assert not any("Escalate" in b for b in actions.outcome_blockers(case, "managed_in_school"))


def test_r_b3_advice_from_someone_else_is_not_an_escalation(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B3.3": True})
    actions.record_advice(user=world.diana, case=case, source="Professionals Online Safety Helpline",
                          advice="Consider early help.")
    assert "escalation_needed" in [r["code"] for r in
                                   evaluation.assess(case).result["blocked_reasons"]["managed_in_school"]]


# ---- B15: required referrals, their steps and clocks ------------------------------------------------------


def test_r_b15_f1_the_police_step_of_online_sexual_abuse_cannot_be_marked_not_done(world):
    case = make_case(world, "online-sexual-abuse", children=[(world.pupil, "harmed")])
    police = task(case, "immediate.3")
    assert actions.why_not_skippable(case, police)
    with pytest.raises(CaseError, match="cannot be marked as not done"):
        actions.complete_task(user=world.diana, task=police, done=False, note="Parents asked us not to.")
    other = task(case, "short_term.3")
    actions.complete_task(user=world.diana, task=other, done=False, note="No intelligence to pass on.")
    refer(world, case, "police", "police_101")
    police.refresh_from_db()
    assert police.result == "done" and "the referral to Police was recorded" in police.note
    assert case.entries.filter(kind=Entry.Kind.TASK, text__contains="Contact the police at once").exists()


def test_r_b15_iioc_on_a_school_device_requires_the_police_once_answered(world):
    case = make_case(world, "iioc", children=[(world.pupil, "other")])
    device_step = task(case, "immediate.4")
    with pytest.raises(CaseError, match="Answer ‘Was the material found on a school device"):
        actions.complete_task(user=world.diana, task=device_step, done=False, note="Not on a school device.")
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "found_on_school_device": False,
                                                                "held_by_staff": False})
    assert evaluation.assess(case).required == []
    actions.complete_task(user=world.diana, task=device_step, done=False, note="Met by accident on a phone at home.")
    other = make_case(world, "iioc", children=[(world.pupil, "other")])
    actions.update_answers(user=world.diana, case=other, facts={**ALL_NO, "found_on_school_device": True})
    assert [r["agency"] for r in evaluation.assess(other).required if r["applies"]] == ["police"]
    assert other.entries.filter(kind=Entry.Kind.REFERRAL_REQUIRED, text__contains="the police").exists()
    assert any("must be reported to the police" in b for b in actions.outcome_blockers(other, "managed_in_school"))
    with pytest.raises(CaseError):
        actions.set_outcome(user=world.diana, case=other, outcome="managed_in_school", reason="x")


def test_r_b15_iioc_held_by_staff_puts_the_lado_step_on_the_working_day_clock(world):
    case = make_case(world, "iioc", children=[(world.pupil, "other")])
    lado_step = task(case, "immediate.5")
    shipped_due = lado_step.due_at
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "held_by_staff": True})
    lado_step.refresh_from_db()
    assert lado_step.due_at == add_working_days(case.incident_recorded_at, 1) != shipped_due


def test_r_b15_f4_radicalisation_needs_a_prevent_decision_referral_or_not_with_the_reason(world):
    case = make_case(world, "radicalisation", children=[(world.pupil, "other")])
    step = task(case, "short_term.1")
    with pytest.raises(CaseError, match="cannot be marked as not done"):
        actions.complete_task(user=world.diana, task=step, done=False, note="Not needed.")
    actions.update_answers(user=world.diana, case=case, facts={"B2.6": False})
    assert any("Prevent" in b for b in actions.closure_blockers(case))
    with pytest.raises(CaseError, match="Give the reason for not referring to Prevent"):
        actions.record_referral_not_made(user=world.diana, case=case, agency="prevent", reason="")
    decision = actions.record_referral_not_made(user=world.diana, case=case, agency="prevent",
                                                reason="Discussed with the Prevent lead: a misunderstanding of a "
                                                       "history lesson; support in school.")
    assert decision.kind == Decision.Kind.REFERRAL_NOT_MADE and decision.choice == "prevent"
    step.refresh_from_db()
    assert step.result == "done"
    assert not any("Prevent" in b for b in actions.closure_blockers(case))
    with pytest.raises(CaseError, match="already recorded"):
        actions.record_referral_not_made(user=world.diana, case=case, agency="prevent", reason="Again.")


def test_r_b15_only_a_decision_type_requirement_can_be_decided_against(world):
    case = make_case(world, "sextortion")
    with pytest.raises(CaseError, match="Nothing in this procedure asks for that decision"):
        actions.record_referral_not_made(user=world.diana, case=case, agency="police", reason="Parents declined.")


def test_r_f4_b5_prevent_is_an_outcome_of_a_radicalisation_case_and_needs_the_referral_to_close(world):
    case = make_case(world, "radicalisation", children=[(world.pupil, "other")])
    assert "prevent" in dict(actions.outcomes_for(case))
    assert "prevent" not in dict(actions.outcomes_for(make_case(world, "cyberbullying",
                                                                children=[(world.pupil, "harmed")])))
    actions.set_outcome(user=world.diana, case=case, outcome="prevent", reason="Referred through the LA route.")
    assert "The outcome is a referral to Prevent: record it." in actions.closure_blockers(case)
    refer(world, case, "prevent", "online")
    blockers = actions.closure_blockers(case)
    assert not any("Prevent" in b for b in blockers)


def test_r_b15_closing_is_refused_while_a_required_referral_is_missing(world):
    case = make_case(world, "online-sexual-abuse", children=[(world.pupil, "harmed")])
    with pytest.raises(CaseError):
        actions.close_case(user=world.diana, case=case, summary="s", debrief="d", lessons_learnt="l",
                           policy_changes="None")
    assert any("the police must be told at once" in b for b in actions.closure_blockers(case))


# ---- F8: a concern about a member of staff --------------------------------------------------------------


def test_r_f8_r_b15_a_staff_allegation_needs_the_lado_in_one_working_day_and_their_advice(world):
    case = make_case(world, "staff-allegation", subject_staff=world.dev, children=[])
    lado_step = task(case, "immediate.2")
    assert lado_step.due_at == add_working_days(case.incident_recorded_at, 1)
    with pytest.raises(CaseError, match="cannot be marked as not done"):
        actions.complete_task(user=world.hana, task=lado_step, done=False, note="We will handle it ourselves.")
    actions.update_answers(user=world.hana, case=case, facts={"B2.6": False, "radicalisation_concern": False})
    with pytest.raises(CaseError, match="Record the referral to the LADO"):
        actions.decide_not_to_refer(user=world.hana, case=case, reason="A misunderstanding.")
    referral = refer(world, case, "lado", "phone", by=world.hana)
    lado_step.refresh_from_db()
    assert lado_step.result == "done"
    assert any("Record the answer from the LADO" in b for b in actions.closure_blockers(case))
    with pytest.raises(CaseError, match="Record the answer from the LADO"):
        actions.set_outcome(user=world.hana, case=case, outcome="managed_in_school", reason="x")
    actions.record_response(user=world.hana, referral=referral, response="No further action by the LADO: the "
                            "headteacher to speak to the member of staff about boundaries.",
                            response_at=timezone.now())
    assert not any("LADO" in b for b in actions.closure_blockers(case))
    assert evaluation.assess(case).required[0]["answered"] is True


def test_r_f4_a_radicalisation_concern_about_staff_goes_by_the_allegation_route_with_prevent(world):
    concern = make_concern(world, "radicalisation", subject_staff=world.dev, children=[],
                           account="A colleague has been sharing extremist videos with pupils.")
    assert concern.route == Route.HEADTEACHER
    case = actions.open_case(user=world.hana, concern=concern)
    assert case.procedure_id == "staff-allegation" and case.route == Route.HEADTEACHER
    assert case.facts == {"radicalisation_concern": True}
    required = {r["agency"]: r for r in evaluation.assess(case).required}
    # The police are asked about (indecent images, B15, C9) until that question is answered.
    assert set(required) == {"lado", "prevent", "police"} and required["prevent"]["applies"] is True
    assert required["police"]["applies"] is None
    assert "prevent" in dict(actions.outcomes_for(case))
    with pytest.raises(CaseError, match="follows the staff allegation procedure"):
        other = make_concern(world, "radicalisation", subject_staff=world.dev, children=[])
        actions.open_case(user=world.hana, concern=other, procedure_id="radicalisation")


def test_r_c9_b15_indecent_images_reported_about_a_member_of_staff_start_with_the_police_required(world):
    """C9: a member of staff holding indecent images of children goes to the headteacher (A4), and the case starts
    with that answered yes, so the police are required (B15) without the headteacher being asked again."""
    concern = make_concern(world, "iioc", subject_staff=world.dev, children=[],
                           account="Images of children were found in a colleague's folder on the staff laptop.")
    assert concern.route == Route.HEADTEACHER
    case = actions.open_case(user=world.hana, concern=concern)
    assert case.procedure_id == "staff-allegation" and case.facts == {"indecent_images": True}
    required = {r["agency"]: r for r in evaluation.assess(case).required}
    assert required["police"]["applies"] is True and required["lado"]["applies"] is True
    assert "managed_in_school" in evaluation.assess(case).result["blocked_outcomes"]


def test_a4_a_radicalisation_concern_about_no_member_of_staff_stays_with_the_dsl(world):
    concern = make_concern(world, "radicalisation", children=[(world.pupil, "other")])
    assert concern.route == Route.DSL
    assert actions.open_case(user=world.diana, concern=concern).procedure_id == "radicalisation"


# ---- 17.8: one answer, from the engine ------------------------------------------------------------------


@pytest.mark.parametrize("kind,facts", [
    ("nudes-sharing", {}),
    ("nudes-sharing", ALL_NO),
    ("nudes-sharing", {**ALL_NO, "B3.5": True}),
    ("sextortion", {**ALL_NO, **NO_FACTORS}),
    ("staff-allegation", {"B2.6": False}),
    ("iioc", {**ALL_NO, "held_by_staff": True}),
])
def test_r_17_8_the_case_refuses_managed_in_school_exactly_when_procedure_evaluate_says_so(world, kind, facts):
    case = make_case(world, kind, **({"subject_staff": world.dev, "children": []} if kind == "staff-allegation"
                                     else {"children": [(world.pupil, "other")]}))
    by = world.hana if kind == "staff-allegation" else world.diana
    actions.update_answers(user=by, case=case, facts=facts)
    assessment = evaluation.assess(case)
    # What `procedure evaluate` prints for the same facts: the pinned procedure, the answers and the records.
    printed = engine.evaluate(case.procedure, assessment.facts)
    assert [r["code"] for r in printed["blocked_reasons"]["managed_in_school"]] == [
        r["code"] for r in assessment.result["blocked_reasons"]["managed_in_school"]]
    blockers = actions.outcome_blockers(case, "managed_in_school")
    assert bool(blockers) == ("managed_in_school" in printed["blocked_outcomes"])
    if blockers:
        with pytest.raises(CaseError):
            actions.set_outcome(user=by, case=case, outcome="managed_in_school", reason="x")
    no_referral = printed["blocked_reasons"]["no_referral"]
    if no_referral:
        with pytest.raises(CaseError, match=no_referral[0]["text"][:30]):
            actions.decide_not_to_refer(user=by, case=case, reason="x")
    else:
        actions.decide_not_to_refer(user=by, case=case, reason="x")


# ---- Cases already open keep their pinned version ------------------------------------------------------


def test_r_b14_a_case_pinned_before_the_kind_rules_keeps_its_version_and_still_works(world, client):
    from django.urls import reverse

    from tests.people import sign_in

    case = make_case(world, "sextortion")
    old = {k: v for k, v in case.procedure.items()
           if k not in ("implied_answers", "required_referrals", "kind_rules", "yes_no_questions")}
    case.procedure = {**old, "version": 2}
    case.save(update_fields=["procedure"])
    result = evaluation.assess(case).result
    assert result["implied_answers"] == [] and result["required_referrals"] == [] and result["criteria_met"] == []
    contact = task(case, "immediate.5")
    actions.complete_task(user=world.diana, task=contact, done=False, note="Police already involved by parents.")
    actions.update_answers(user=world.diana, case=case, facts=no_to_everything(case))
    sign_in(client, world.diana)
    for name in ("detail", "assess", "outcome", "no_referral", "implied", "not_referred"):
        assert client.get(reverse(f"cases:{name}", args=[case.id])).status_code == 200, name


def test_a_working_day_clock_counts_from_when_the_incident_was_recorded_over_a_weekend(world):
    import time_machine

    friday = timezone.make_aware(datetime(2026, 3, 6, 15, 0))
    with time_machine.travel(friday, tick=False):
        case = make_case(world, "staff-allegation", subject_staff=world.dev, children=[])
    assert task(case, "immediate.2").due_at == timezone.make_aware(datetime(2026, 3, 9, 15, 0))
    assert task(case, "immediate.2").due_at - friday == timedelta(days=3)
