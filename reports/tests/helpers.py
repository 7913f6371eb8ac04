"""Building incidents at chosen moments, the way Harbour builds them (concern → case → actions)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from cases import actions
from cases.tests.helpers import ALL_NO, make_case, make_concern
from concerns import actions as concern_actions

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def case_at(world, when, incident_type="nudes-sharing", **kwargs):
    """Report a concern at `when` and open its case 20 minutes later."""
    with time_machine.travel(when, tick=False):
        concern = make_concern(world, incident_type, **kwargs)
    owner = world.hana if incident_type == "staff-allegation" else world.diana
    with time_machine.travel(when.timestamp() + 20 * 60, tick=False):
        return actions.open_case(user=owner, concern=concern)


def acknowledged_at(world, when, minutes, incident_type="cyberbullying", **kwargs):
    """A concern reported at `when` and acknowledged `minutes` later, with no case."""
    with time_machine.travel(when, tick=False):
        concern = make_concern(world, incident_type, **kwargs)
    with time_machine.travel(when.timestamp() + minutes * 60, tick=False):
        concern_actions.acknowledge(user=world.diana, concern=concern)
    return concern


def close(world, case, when, *, lessons="Check group chats sooner.", outcome="seek_advice", referral=True,
          debrief="The DSL and head of year met.", policy="None."):
    """Do everything a case needs and close it at `when`."""
    with time_machine.travel(when, tick=False):
        answers = {q["id"]: "Discussed." for q in case.procedure["initial_review_questions"]}
        actions.record_review(user=world.diana, case=case, held_at=when, attendees=[world.diana],
                              other_attendees="", answers=answers)
        actions.update_answers(user=world.diana, case=case, facts=ALL_NO)
        if referral:
            actions.record_referral(user=world.diana, case=case, agency="csc", route="phone", made_at=when)
        if case.procedure.get("typology"):
            actions.confirm_classification(user=world.diana, case=case, choice="experimental.romantic",
                                           reason="Agreed at the review.")
        actions.set_outcome(user=world.diana, case=case, outcome=outcome, reason="Agreed at the review.")
        for task in case.tasks.outstanding().exclude(phase="ongoing"):
            actions.complete_task(user=world.diana, task=task, done=True)
        actions.close_case(user=world.diana, case=case, summary="Resolved.", debrief=debrief,
                           lessons_learnt=lessons, policy_changes=policy)
    case.refresh_from_db()
    return case


__all__ = ["at", "case_at", "acknowledged_at", "close", "make_case"]
