"""The rules of the case, proven at the level of actions (B1–B11, E7, F7, G1, H1)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions, evaluation
from cases.actions import CaseError
from cases.models import Case, CaseMember, Decision, Entry, Task
from cases.tests.helpers import ALL_NO, code_for, make_case
from notifications.models import Notification
from tests.people import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_case_pins_the_procedure_it_opened_with(world):
    case = make_case(world, "sextortion")
    assert case.procedure_id == "sextortion"
    assert case.procedure["pinned"]["procedure_id"] == "sextortion"
    assert case.procedure["pinned"]["label"].endswith(f"v{case.procedure['version']}")
    assert case.tasks.count() == len(case.procedure["tasks"])
    assert case.incident_recorded_at == case.concerns.get().created_at


def test_other_concern_needs_a_procedure_chosen(world):
    from cases.tests.helpers import make_concern

    concern = make_concern(world, "other", children=[(world.pupil, "harmed")])
    with pytest.raises(CaseError):
        actions.open_case(user=world.diana, concern=concern)
    case = actions.open_case(user=world.diana, concern=concern, procedure_id="cyberbullying")
    assert case.procedure_id == "cyberbullying" and case.incident_type == "cyberbullying"


def test_r_b1_initial_review_records_attendees_and_every_answer(world):
    case = make_case(world)
    questions = case.procedure["initial_review_questions"]
    assert len(questions) == 9
    answers = {q["id"]: "Discussed." for q in questions}
    with pytest.raises(CaseError, match="Answer every question"):
        actions.record_review(user=world.diana, case=case, held_at=timezone.now(), attendees=[world.diana],
                              other_attendees="", answers={**answers, "inform_parents": ""})
    with pytest.raises(CaseError, match="who attended"):
        actions.record_review(user=world.diana, case=case, held_at=timezone.now(), attendees=[],
                              other_attendees="", answers=answers)
    meeting = actions.record_review(user=world.diana, case=case, held_at=timezone.now(),
                                    attendees=[world.diana, world.dev], other_attendees="PC Jones, police",
                                    answers=answers)
    assert set(meeting.attendees.all()) == {world.diana, world.dev}
    assert meeting.answers == answers
    entry = case.entries.get(kind=Entry.Kind.REVIEW)
    assert "Dev Deputy" in entry.text and "PC Jones" in entry.text and entry.rules == ["B1"]
    assert "Record the initial review meeting." not in actions.closure_blockers(case)


def test_r_b2_any_criterion_requires_referral_and_blocks_managed_in_school(world):
    case = make_case(world)
    changes = actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B2.1": True})
    assert any("A referral criterion now applies: An adult is involved" in c for c in changes)
    assessment = evaluation.assess(case)
    assert assessment.referral_required and assessment.missing_referral
    assert case.entries.filter(kind=Entry.Kind.REFERRAL_REQUIRED).exists()
    # The rest of the DSL team is told at once.
    assert Notification.objects.filter(user=world.dev, kind="referral", text__contains="needs a referral now").exists()
    with pytest.raises(CaseError, match="Record the referral"):
        actions.set_outcome(user=world.diana, case=case, outcome="managed_in_school", reason="We can handle it.")
    assert any("an adult is involved" in b for b in actions.closure_blockers(case))
    actions.record_referral(
        user=world.diana, case=case, agency="police", route="police_101", made_at=timezone.now(), reference="CR/1"
    )
    assert not evaluation.assess(case).missing_referral
    actions.set_outcome(user=world.diana, case=case, outcome="managed_in_school",
                        reason="Police took no further action; school supports the children.")
    case.refresh_from_db()
    assert case.outcome == "managed_in_school"


@pytest.mark.parametrize("criterion", [f"B2.{n}" for n in range(1, 7)])
def test_r_b2_each_criterion_alone_requires_referral(world, criterion):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, criterion: True})
    assert evaluation.assess(case).result["criteria_met"] == [criterion]


def test_r_b2_a_referral_to_another_agency_does_not_satisfy_the_criterion(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={"B2.6": True})
    actions.record_referral(user=world.diana, case=case, agency="ceop", made_at=timezone.now())
    assert evaluation.assess(case).missing_referral


def test_r_b3_6_involved_before_is_answered_from_earlier_cases(world):
    first = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        second = make_case(world)
        assessment = evaluation.assess(second)
    assert assessment.earlier == [first]
    assert "B3.6" in assessment.result["escalation_factors"]
    # The first case knows of no earlier one.
    assert "B3.6" not in evaluation.assess(first).result["escalation_factors"]


def test_r_b5_outcomes_are_the_three_of_the_procedure(world):
    case = make_case(world)
    assert [o["id"] for o in case.procedure["outcomes"]] == ["refer", "seek_advice", "managed_in_school"]
    with pytest.raises(CaseError):
        actions.set_outcome(user=world.diana, case=case, outcome="ignored", reason="x")
    with pytest.raises(CaseError, match="reason"):
        actions.set_outcome(user=world.diana, case=case, outcome="seek_advice", reason=" ")


def test_r_b6_no_referral_needs_every_criterion_answered_no(world):
    case = make_case(world)
    with pytest.raises(CaseError, match="6 referral questions are not answered yet"):
        actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B2.3": True})
    with pytest.raises(CaseError, match="unusual for the child's stage of development"):
        actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    with pytest.raises(CaseError, match="rationale"):
        actions.decide_not_to_refer(user=world.diana, case=case, reason="")
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    assert decision.state == Decision.State.AWAITING_SIGN_OFF
    assert [s.role for s in decision.sign_offs.all()] == ["headteacher", "trust_safeguarding_lead"]
    # The headteacher, who cannot read DSL cases, is added to this one to sign; both are told.
    assert CaseMember.objects.filter(case=case, user=world.hana, why="sign_off").exists()
    assert Notification.objects.filter(user=world.hana, text__contains="sign off").exists()
    assert Notification.objects.filter(user=world.lena, text__contains="sign off").exists()
    # Managed in school without a referral waits for the signatures.
    with pytest.raises(CaseError, match="signed off"):
        actions.set_outcome(user=world.diana, case=case, outcome="managed_in_school", reason="School will support.")


def test_r_b6_signing_needs_password_and_second_factor(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    head_sign_off = decision.sign_offs.get(role="headteacher")
    with pytest.raises(CaseError, match="password or code"):
        actions.sign(user=world.hana, sign_off=head_sign_off, password=PASSWORD, code="000000")
    with pytest.raises(CaseError, match="password or code"):
        actions.sign(user=world.hana, sign_off=head_sign_off, password="wrong password here", code=code_for(world.hana))
    # Someone without the role cannot sign in its place.
    with pytest.raises(Exception):
        actions.sign(user=world.dev, sign_off=head_sign_off, password=PASSWORD, code=code_for(world.dev))
    # Wrong codes count towards the second factor's throttling, even with no signature made.
    with pytest.raises(CaseError, match="password or code"):
        actions.sign(user=world.hana, sign_off=head_sign_off, password=PASSWORD, code=code_for(world.hana))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        actions.sign(user=world.hana, sign_off=head_sign_off, password=PASSWORD, code=code_for(world.hana),
                     comment="Agreed.")
        decision.refresh_from_db()
        assert decision.state == Decision.State.AWAITING_SIGN_OFF
        actions.sign(user=world.lena, sign_off=decision.sign_offs.get(role="trust_safeguarding_lead"),
                     password=PASSWORD, code=code_for(world.lena))
    decision.refresh_from_db()
    assert decision.state == Decision.State.SIGNED_OFF
    assert AuditEvent.objects.filter(action="sign", object_type="decision", object_id=str(decision.id)).count() == 2
    actions.set_outcome(user=world.diana, case=case, outcome="managed_in_school", reason="School will support.")


def test_r_b6_sign_off_roles_come_from_the_pinned_procedure(world):
    case = make_case(world)
    case.procedure = {**case.procedure, "sign_off_roles": ["headteacher"]}
    case.save(update_fields=["procedure"])
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    assert [s.role for s in decision.sign_offs.all()] == ["headteacher"]


def test_r_b7_new_information_withdraws_a_pending_no_referral_and_says_what_changed(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    decision = actions.decide_not_to_refer(user=world.diana, case=case, reason="Consensual, no malice.")
    changes = actions.update_answers(user=world.diana, case=case, facts={**ALL_NO, "B2.2": True, "B3.5": True})
    assert changes[0].startswith("A referral criterion now applies: A child has been coerced")
    assert any("An escalation factor is now present: The image has been shared widely" in c for c in changes)
    assert "A referral is now required." in changes
    decision.refresh_from_db()
    assert decision.state == Decision.State.WITHDRAWN
    entry = case.entries.filter(kind=Entry.Kind.ANSWERS).last()
    assert entry.text.startswith("Answers changed: ‘A child has been coerced, blackmailed or groomed, or there…’")
    assert entry.rules == ["B7"] and "B2.2" not in entry.text
    withdrawn = case.entries.filter(kind=Entry.Kind.DECISION).last()
    assert withdrawn.text.startswith("The decision not to refer was withdrawn before sign-off. A decision not to refer "
                                     "is not possible, because a child has been coerced")
    # Answers changing back is also explained.
    changes = actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    assert any(c.startswith("A referral criterion no longer applies: A child has been coerced") for c in changes)


def test_r_b7_unknown_is_not_no(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={"B2.1": False})
    result = evaluation.assess(case).result
    assert not result["referral_required"] and "B2.2" in result["criteria_unknown"]
    assert any("not answered" in b or "Record the outcome" in b for b in actions.closure_blockers(case))


def test_r_b8_suggestion_confirmed_or_overridden_with_a_reason(world):
    case = make_case(world)
    actions.update_answers(user=world.diana, case=case, facts={
        **ALL_NO, "intent_to_harm": False, "pictured_child_willing": True, "relationship": "partners",
        "shared_beyond_pair": False})
    assert evaluation.assess(case).result["suggested_classification"] == "experimental.romantic"
    with pytest.raises(CaseError, match="reason"):
        actions.confirm_classification(user=world.diana, case=case, choice="experimental.romantic", reason="")
    actions.confirm_classification(user=world.diana, case=case, choice="experimental.romantic",
                                   reason="Year 10 couple; nobody else saw it.")
    # The step that asked for it is ticked after it (20.2), so the decision is the last decision entry.
    assert "Classification confirmed" in case.entries.filter(kind="decision").last().text
    actions.confirm_classification(user=world.diana, case=case, choice="aggravated.reckless_misuse",
                                   reason="We learnt the image was forwarded to a friend.")
    case.refresh_from_db()
    assert case.classification == "aggravated.reckless_misuse"
    assert "Harbour suggested Experimental: romantic" in case.entries.filter(kind="decision").last().text
    assert case.decisions.filter(kind="classification").count() == 2


def test_r_b8_youngest_age_comes_from_dates_of_birth(world):
    case = make_case(world)
    assessment = evaluation.assess(case)
    assert assessment.computed_age == evaluation.age_on(world.pupil.date_of_birth, case.incident_recorded_at.date())
    assert assessment.facts["youngest_age"] == assessment.computed_age


def test_r_b10_actions_not_taken_are_recorded_with_reasons(world):
    case = make_case(world)
    with pytest.raises(CaseError, match="reason"):
        actions.record_decision(user=world.diana, case=case, taken=False, choice="Not telling parents today", reason="")
    decision = actions.record_decision(user=world.diana, case=case, taken=False, choice="Not telling parents today",
                                       reason="The child fears violence at home; CSC to advise.",
                                       options="Tell today\nWait for CSC advice")
    assert decision.kind == "action_not_taken" and decision.options == ["Tell today", "Wait for CSC advice"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(case=case, kind="action_taken", choice="x", reason="", decided_by=world.diana,
                                decided_at=timezone.now())
    task = case.tasks.first()
    with pytest.raises(CaseError, match="why"):
        actions.complete_task(user=world.diana, task=task, done=False, note="")
    actions.complete_task(user=world.diana, task=task, done=False, note="Already done by the reporter.")
    assert "Reason: Already done by the reporter." in case.entries.last().text


def test_r_b11_senco_added_when_a_child_has_sen(world):
    senco = make_user("sally@oakfield.example", "Sally Senco", school=world.oakfield, role="senco")
    world.pupil.sen_status = "K"
    world.pupil.save()
    case = make_case(world)
    member = CaseMember.objects.get(case=case, user=senco)
    assert member.why == "senco"
    assert Notification.objects.filter(user=senco, text__contains="SENCO").exists()
    assert case.entries.filter(kind=Entry.Kind.PERSON, rules=["B11"]).exists()
    from cases.access import may_read, owns

    assert may_read(senco, case) and not owns(senco, case)


def test_r_b11_no_senco_account_is_said_plainly(world):
    world.pupil.sen_status = "E"
    world.pupil.save()
    case = make_case(world)
    assert "nobody holds the SENCO role" in case.entries.get(kind=Entry.Kind.PERSON).text


def test_r_e1_to_e4_sextortion_phase_clocks(world):
    from cases.models import phase_deadlines

    case = make_case(world, "sextortion")
    start = case.incident_recorded_at
    deadlines = phase_deadlines(case.procedure, start)
    assert deadlines == {"immediate": start + timedelta(hours=2), "short_term": start + timedelta(hours=48),
                         "medium_term": start + timedelta(weeks=2)}
    phases = set(case.tasks.values_list("phase", flat=True))
    assert phases == {"immediate", "short_term", "medium_term", "ongoing"}
    assert not case.tasks.filter(phase="ongoing").exclude(due_at=None).exists()
    for t in case.tasks.exclude(phase="ongoing"):
        assert t.due_at <= deadlines[t.phase]


def test_r_e7_overdue_task_is_escalated_once_in_app_and_by_email(world):
    case = make_case(world, "sextortion")
    task = case.tasks.get(key="immediate.1")  # Secure: due within 2 hours
    assert not actions.escalate_task(task_id=task.id)  # not due yet
    later = task.due_at + timedelta(minutes=1)
    assert actions.escalate_task(task_id=task.id, now=later)
    assert not actions.escalate_task(task_id=task.id, now=later)  # once
    assert Notification.objects.filter(user=world.dev, text__contains="overdue").exists()
    entry = case.entries.get(kind=Entry.Kind.ESCALATION)
    assert entry.author is None and entry.rules == ["E7"]
    done = case.tasks.filter(phase="immediate").exclude(id=task.id).first()
    actions.complete_task(user=world.diana, task=done, done=True)
    assert not actions.escalate_task(task_id=done.id, now=later)


def test_r_e7_sweep_command_escalates_overdue_tasks(world):
    from django.core.management import call_command

    case = make_case(world, "sextortion")
    with time_machine.travel(case.incident_recorded_at + timedelta(hours=3)):
        call_command("escalate_overdue_tasks")
    # Every first-hour step still open is escalated; the Report step was done when Harbour told the headteacher
    # and IT staff on opening (20.3), so it is not.
    still_open = case.tasks.filter(phase="immediate", completed_at__isnull=True)
    assert still_open.count() >= 4
    assert Task.objects.filter(case=case, phase="immediate", escalated_at__isnull=False).count() == still_open.count()


def test_r_f7_advice_sought_is_recorded(world):
    case = make_case(world)
    decision = actions.record_advice(user=world.diana, case=case, source="Professionals Online Safety Helpline",
                                     advice="Treat as experimental; no referral needed if all criteria are no.")
    assert decision.kind == "advice" and decision.rules == ["F7"]


def test_r_g1_h1_closure_needs_summary_debrief_lessons_and_everything_done(world):
    case = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    with pytest.raises(CaseError, match="every closing question"):
        actions.close_case(user=world.diana, case=case, summary="s", debrief="", lessons_learnt="l",
                           policy_changes="None")
    with pytest.raises(CaseError):
        actions.close_case(user=world.diana, case=case, summary="s", debrief="d", lessons_learnt="l",
                           policy_changes="None")
    blockers = actions.closure_blockers(case)
    assert "Record the initial review meeting." in blockers and "Record the outcome." in blockers
    assert with_everything_done(world, case)
    case.refresh_from_db()
    assert case.status == "closed" and case.lessons_learnt == "Check group chats sooner."
    assert case.concerns.get().status == "closed"  # the reporter sees it closed (A7)
    assert set(case.entries.get(kind=Entry.Kind.CLOSED).rules) == {"H1", "G1"}
    with pytest.raises(CaseError, match="closed"):
        actions.add_member(user=world.diana, case=case, member=world.tom, reason="x")
    actions.reopen_case(user=world.diana, case=case, reason="A new message came to light.")
    case.refresh_from_db()
    assert case.is_open and case.closed_at is None and case.concerns.get().status == "acknowledged"
    assert "Check group chats sooner." in case.entries.get(kind=Entry.Kind.CLOSED).text


def with_everything_done(world, case):
    answers = {q["id"]: "Discussed." for q in case.procedure["initial_review_questions"]}
    actions.record_review(user=world.diana, case=case, held_at=timezone.now(), attendees=[world.diana],
                          other_attendees="", answers=answers)
    actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
    actions.record_referral(user=world.diana, case=case, agency="csc", route="phone", made_at=timezone.now())
    actions.set_outcome(user=world.diana, case=case, outcome="seek_advice", reason="Early help advice taken.")
    for task in case.tasks.outstanding().exclude(phase="ongoing"):
        actions.complete_task(user=world.diana, task=task, done=True)
    actions.close_case(user=world.diana, case=case, summary="Group chat bullying, resolved.",
                       debrief="DSL and head of year met.", lessons_learnt="Check group chats sooner.",
                       policy_changes="None")
    return True


def test_chronology_entries_are_never_edited(world):
    case = make_case(world)
    entry = case.entries.first()
    entry.text = "rewritten"
    with pytest.raises(Exception, match="never edited"), transaction.atomic():
        entry.save()


def test_adding_a_person_is_audited_and_gives_read_access(world):
    from cases.access import may_read

    case = make_case(world)
    assert not may_read(world.tom, case)
    with pytest.raises(CaseError, match="why"):
        actions.add_member(user=world.diana, case=case, member=world.tom, reason="")
    actions.add_member(user=world.diana, case=case, member=world.tom, reason="Form tutor supporting the child.")
    assert may_read(world.tom, case)
    assert AuditEvent.objects.filter(object_type="case_member", object_id=f"{case.id}:{world.tom.id}").exists()
    with pytest.raises(CaseError):
        actions.add_member(user=world.diana, case=case, member=world.eve, reason="Elsewhere")


def test_staff_allegation_case_is_for_the_headteacher_only(world):
    from cases.access import may_read, owns

    case = make_case(world, "staff-allegation", subject_staff=world.tom)
    assert case.route == "headteacher"
    assert owns(world.hana, case) and not may_read(world.diana, case) and not may_read(world.tom, case)
    assert not may_read(world.lena, case)
    assert Case.objects.get(id=case.id).procedure_id == "staff-allegation"
