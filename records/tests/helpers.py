"""Closed cases built the way Harbour builds them: reported, opened, worked and closed through the actions."""

from datetime import date, datetime, timedelta

import time_machine
from django.utils import timezone

from cases import actions
from cases.tests.helpers import make_case, no_to_everything, record_required_referrals
from tests.people import make_pupil


def close(world, case, by=None):
    """Closed by the person who runs the case: the DSL, the headteacher, or (about the headteacher) the chair."""
    return work_and_close(case, by or {"dsl": world.diana, "headteacher": world.hana, "chair": world.carol}[case.route])


def work_and_close(case, by):
    """Review, answers, a referral, an outcome and every task done, then closed, all by `by`."""
    answers = {q["id"]: "Discussed." for q in case.procedure["initial_review_questions"]}
    actions.record_review(user=by, case=case, held_at=timezone.now(), attendees=[by], other_attendees="",
                          answers=answers)
    actions.update_answers(user=by, case=case, facts=no_to_everything(case))
    actions.record_referral(user=by, case=case, agency="csc", route="phone", made_at=timezone.now())
    record_required_referrals(case, by)  # B15: the LADO for an allegation, and its advice
    actions.set_outcome(user=by, case=case, outcome="seek_advice", reason="Early help advice taken.")
    for task in case.tasks.outstanding().exclude(phase="ongoing"):
        actions.complete_task(user=by, task=task, done=True)
    actions.close_case(user=by, case=case, summary="Group chat unkindness, resolved with both families.",
                       debrief="DSL and head of year met.", lessons_learnt="Check group chats sooner.",
                       policy_changes="None")
    case.refresh_from_db()
    return case


def closed_case(world, incident_type="cyberbullying", *, closed_on=date(2015, 7, 1), children=None, **kwargs):
    """A case opened and closed on `closed_on` (time travelled there and back)."""
    with time_machine.travel(timezone.make_aware(datetime.combine(closed_on, datetime.min.time()))
                             + timedelta(hours=10), tick=False):
        if children is None and incident_type != "staff-allegation":
            children = [(world.pupil, "harmed")]
        case = make_case(world, incident_type, children=children, **kwargs)
        return close(world, case)


def grown_up(world, first="Olive", last="Marchbank", born=date(1988, 2, 29), upn="A999000000077"):
    """A former pupil whose record is long past DOB + 25 years."""
    return make_pupil(world.oakfield, first, last, upn, date_of_birth=born, year_group=11)
