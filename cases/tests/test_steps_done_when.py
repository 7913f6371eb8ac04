"""Issue 20.2 and 20.3: steps ticked by the events that complete them, due-before-open steps with the procedure's
grace, what the reporter gave carried into the case, several steps done with one reason (B10), and urgency from
the first minute for sextortion (E1, B12, B15)."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions
from cases.actions import steps
from cases.models import Entry
from cases.tests.helpers import make_case, make_concern
from concerns.actions import Report, submit_concern
from concerns.urgency import is_urgent, urgent_kinds
from evidence import actions as evidence
from notifications.models import Notification
from procedures import schema
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db


def _lines(case, text):
    return list(case.entries.filter(kind=Entry.Kind.TASK, text__contains=text).values_list("text", flat=True))


# -- done_when: the event ticks its step, with the reason in the chronology (B10) ---------------------------------

def test_r_b10_recording_a_police_referral_ticks_the_police_step_and_says_why(world):
    case = make_case(world, "cyberbullying")
    step = case.tasks.get(key="short_term.3")  # "Contact the police if an offence may have been committed"
    actions.record_referral(user=world.diana, case=case, agency="police", route="police_101", made_at=timezone.now())
    step.refresh_from_db()
    assert step.result == "done" and step.completed_by == world.diana
    [line] = _lines(case, "Contact the police")
    assert "Ticked because the referral to Police was recorded (recorded by Diana Dsl)" in line


def test_r_b1_the_review_meeting_ticks_its_step(world):
    case = make_case(world, "nudes-sharing")
    answers = {q["id"]: "Discussed." for q in case.procedure["initial_review_questions"]}
    actions.record_review(user=world.diana, case=case, held_at=timezone.now(), attendees=[world.diana],
                          other_attendees="", answers=answers)
    assert case.tasks.get(key="immediate.4").result == "done"
    assert _lines(case, "Hold the initial review meeting")[0].endswith("(recorded by Diana Dsl).")


def test_r_d1_parents_told_ticks_the_step_only_once_every_childs_parents_are_told(world):
    other = make_pupil(world.oakfield, "Ottilie", "Brackenridge", "A999000000031")
    case = make_case(world, "nudes-sharing", children=[(world.pupil, "pictured"), (other, "received")])
    step = case.tasks.get(key="short_term.2")
    evidence.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=True,
                                   informed_at=timezone.now(), how="Phone")
    step.refresh_from_db()
    assert step.is_open
    evidence.record_parent_contact(user=world.diana, case=case, pupil=other, informed=False, agreed_with="csc",
                                   reason="Social care advised waiting until a strategy meeting.")
    step.refresh_from_db()
    assert step.result == "done"


def test_r_c7_deletion_confirmed_ticks_the_deletion_step(world):
    case = make_case(world, "nudes-sharing")
    actions.update_answers(user=world.diana, case=case, facts={f"B2.{n}": False for n in range(1, 7)})
    deletion = evidence.request_deletion(user=world.diana, case=case, pupil=world.pupil,
                                         deadline=timezone.now() + timedelta(days=2),
                                         scope=list(evidence.DELETION_SCOPE), illegal_reminder_given=True,
                                         consequence_explained=True)
    evidence.confirm_deletion(user=world.diana, deletion=deletion, confirmed=True, how="Shown on the phone.")
    assert case.tasks.get(key="medium_term.1").result == "done"


def test_r_b10_a_step_without_done_when_is_left_for_the_dsl(world):
    case = make_case(world, "nudes-sharing")
    assert case.tasks.get(key="short_term.3").is_open  # the SENCO: nothing recorded says they were involved
    assert steps.events_for(case)["short_term.3"] == []


def test_an_old_pinned_procedure_without_done_when_still_opens_and_ticks_nothing(world):
    """Procedures are data, pinned on cases: a copy saved before done_when existed loads with the defaults."""
    case = make_case(world, "cyberbullying")
    for task in case.procedure["tasks"]:
        task.pop("done_when", None)
    case.procedure.pop("due_now_grace_minutes", None)
    case.save(update_fields=["procedure"])
    actions.record_referral(user=world.diana, case=case, agency="police", route="police_101", made_at=timezone.now())
    assert case.tasks.get(key="short_term.3").is_open
    assert schema.with_defaults(case.procedure)["due_now_grace_minutes"] == 60


def test_the_schema_refuses_an_event_it_does_not_know():
    definition = schema.get("nudes-sharing")
    definition["tasks"][0]["done_when"] = ["the_moon_rose"]
    assert any("done_when" in problem for problem in schema.validate(definition))
    definition["tasks"][0]["done_when"] = ["referral:police", "parents_told"]
    assert schema.validate(definition) == []


def test_every_definition_sets_done_when_on_some_steps():
    for procedure_id, definition in schema.load_all().items():
        assert any(t["done_when"] for t in definition["tasks"]), procedure_id


# -- Due before the case opened: due now, escalated only after the grace (E7) ---------------------------------------

def test_r_e7_a_step_due_before_the_case_opened_is_due_now_and_not_escalated_within_the_grace(world):
    concern = make_concern(world, "nudes-sharing")
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=False):
        case = actions.open_case(user=world.diana, concern=concern)
        opened = case.opened_at
        step = case.tasks.get(key="immediate.3")  # due 0 minutes after the report: three hours ago
        assert step.due_before_open and step.due_at == opened + timedelta(minutes=60)
        assert not step.is_overdue(opened)
        secure = case.tasks.get(key="immediate.2")  # due 60 minutes after the report: ticked by no device
        assert secure.due_before_open
    with time_machine.travel(opened + timedelta(minutes=30), tick=False):
        assert actions.escalate_task(task_id=step.id) is False
    with time_machine.travel(opened + timedelta(minutes=61), tick=False):
        assert actions.escalate_task(task_id=step.id) is True


def test_r_e7_the_grace_is_set_by_the_procedure(world):
    definition = schema.get("nudes-sharing")
    definition["due_now_grace_minutes"] = 5000
    assert any("due_now_grace_minutes" in p for p in schema.validate(definition))


def test_a_step_due_after_the_case_opened_keeps_its_own_clock(world):
    case = make_case(world, "nudes-sharing")
    step = case.tasks.get(key="short_term.1")
    assert not step.due_before_open
    assert step.due_at == case.incident_recorded_at + timedelta(minutes=2880)


# -- What the reporter gave is carried into the case ---------------------------------------------------------------

def _report_with_device(world, kind="nudes-sharing"):
    report = Report(incident_type=kind, account="A photo is going round.", children=[(world.pupil, "pictured")],
                    device_confiscated=True, device_isolation="flight_mode",
                    device_location="Locked drawer, DSL office")
    concern, _ = submit_concern(user=world.tom, school=world.oakfield, report=report, idempotency_key=uuid.uuid4())
    return concern


def test_the_device_described_on_the_concern_is_on_the_case_and_its_step_ticked(client, world):
    concern = _report_with_device(world)
    case = actions.open_case(user=world.diana, concern=concern)
    [device] = case.devices.all()
    assert device.isolation == "flight_mode" and device.owner == "Quentin Puddlewick"
    assert device.custody.get(is_current=True).where_or_who == "Locked drawer, DSL office"
    assert case.tasks.get(key="immediate.2").result == "done"  # "Secure any device involved"
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "No device recorded" not in page and "Locked drawer, DSL office" in page


def test_a_second_report_of_the_same_device_is_noted_not_recorded_twice(world):
    case = actions.open_case(user=world.diana, concern=_report_with_device(world))
    actions.attach_to_case(user=world.diana, concern=_report_with_device(world), case=case)
    assert case.devices.count() == 1
    assert case.entries.filter(text__contains="also says a device was taken into safe keeping").exists()


def test_the_concern_acknowledged_ticks_tell_the_dsl(world):
    case = make_case(world, "nudes-sharing")
    step = case.tasks.get(key="immediate.1")
    assert step.result == "done" and "was acknowledged and opened as this case" in step.note


# -- Several steps done with one reason (B10) -------------------------------------------------------------------------

def test_r_b10_several_steps_done_at_once_each_with_its_own_chronology_line(client, world):
    case = make_case(world, "nudes-sharing")
    chosen = list(case.tasks.outstanding().filter(phase="short_term")[:3])
    sign_in(client, world.diana)
    response = client.post(reverse("cases:complete_steps", args=[case.id]),
                           {"tasks": [t.id for t in chosen], "reason": "Done at the team meeting on Monday."})
    assert response.status_code == 302
    for task in chosen:
        task.refresh_from_db()
        assert task.result == "done" and task.note == "Done at the team meeting on Monday."
        assert case.entries.filter(kind=Entry.Kind.TASK, text=f"Task done: {task.title} "
                                   "(Done at the team meeting on Monday.)").exists()
    assert AuditEvent.objects.filter(object_type="task", detail__together=3).count() == 3


def test_r_b10_several_steps_need_a_reason_and_what_was_ticked_is_kept(client, world):
    case = make_case(world, "nudes-sharing")
    chosen = case.tasks.outstanding().filter(phase="short_term").first()
    sign_in(client, world.diana)
    response = client.post(reverse("cases:complete_steps", args=[case.id]), {"tasks": [chosen.id], "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200 and "Say why these steps are done" in page
    assert f'value="{chosen.id}" checked' in page
    chosen.refresh_from_db()
    assert chosen.is_open


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("eve", 404), ("tom", 404), ("gina", 404),
                                             ("diana", 302)])
def test_access_ladder_for_completing_several_steps(client, world, who, status):
    case = make_case(world, "nudes-sharing")
    task = case.tasks.outstanding().filter(phase="short_term").first()
    if who != "anonymous":
        sign_in(client, getattr(world, who))
    response = client.post(reverse("cases:complete_steps", args=[case.id]), {"tasks": [task.id], "reason": "Done."})
    assert response.status_code == status
    task.refresh_from_db()
    assert task.is_open == (who != "diana")


def test_a_step_of_another_case_cannot_be_completed_through_this_one(client, world):
    case, other = make_case(world, "nudes-sharing"), make_case(world, "cyberbullying")
    foreign = other.tasks.outstanding().first()
    sign_in(client, world.diana)
    response = client.post(reverse("cases:complete_steps", args=[case.id]), {"tasks": [foreign.id], "reason": "x"})
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.is_open


# -- Urgency from the first minute (E1, B12, B15) ---------------------------------------------------------------------

def test_r_e1_a_sextortion_case_tells_the_headteacher_and_it_staff_and_ticks_report(world):
    case = make_case(world, "sextortion", account="Quentin is told to pay £200 or a photo will be shared.")
    told = Notification.objects.filter(text__startswith="Urgent")
    assert set(told.values_list("user", flat=True)) == {world.hana.id, world.terry.id}
    for notice in told:
        assert "Quentin" not in notice.text and "Puddlewick" not in notice.text and "£200" not in notice.text
        assert case.reference in notice.text and "speak to the designated safeguarding lead" in notice.text
        assert notice.url == reverse("home")  # the case itself is for the safeguarding team
    report = case.tasks.get(key="immediate.2")
    assert report.result == "done" and report.completed_by is None
    [line] = _lines(case, "Report: tell the DSL")
    assert "the headteacher and IT staff were told by Harbour when the case opened (done by Harbour)" in line


def test_r_e1_without_it_staff_the_report_step_stays_open(world):
    world.terry.memberships.all().delete()
    case = make_case(world, "sextortion")
    assert case.tasks.get(key="immediate.2").is_open
    assert case.entries.filter(text__contains="Hana Head (the headteacher)").exists()


def test_r_b12_a_sextortion_case_page_opens_with_the_police_referral_banner_and_the_urgent_step_first(client, world):
    case = make_case(world, "sextortion")
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "Referral required now: police" in page
    assert page.index("Referral required now: police") < page.index('id="clocks"')
    immediate = page[page.index(">Immediate</caption>"):]
    body = immediate[immediate.index("<tbody"):]
    first_row = body[:body.index("</tr>")]
    assert "Contact: report to the police now" in first_row


def test_r_b12_urgent_kinds_are_read_from_the_procedures():
    assert set(urgent_kinds()) == {"sextortion", "online-sexual-abuse"}
    assert is_urgent("sextortion") and not is_urgent("nudes-sharing")


def test_r_b12_the_inbox_marks_urgent_concerns(client, world):
    make_concern(world, "sextortion")
    make_concern(world, "cyberbullying", children=[(world.pupil, "harmed")])
    sign_in(client, world.diana)
    page = client.get(reverse("concerns:inbox")).content.decode()
    assert page.count("harbour-urgent") == 1
    row = page[page.index("harbour-urgent") - 400:page.index("harbour-urgent") + 400]
    assert "Sextortion" in row

