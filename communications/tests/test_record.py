"""Recording a message to many people on a case (E2): who approved it and when, whether the police agreed it (B10),
kept on the case with its audit row and chronology line; a message names no child (E5) and blames none (D6)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases.actions import CaseError
from cases.tests.helpers import make_case
from communications import schema
from communications.actions import record_communication
from communications.models import Communication

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_case(world, "sextortion")  # Quentin Puddlewick, pictured


def filled(template_id="sextortion-parents"):
    """The prepared text with every part in square brackets filled in, as a DSL would."""
    return schema.PLACEHOLDER.sub("the details agreed", schema.as_text(schema.load_templates()[template_id]))


def record(world, case, **changes):
    data = dict(user=world.diana, case=case, template_id="sextortion-parents", title="Letter to all parents",
                text=filled(), approved_by_name="Hana Head", approved_by_role="Headteacher",
                approved_at=timezone.now() - timedelta(hours=1), police_consulted=True,
                police_contact="DC Rivers, Thames Valley Police")
    return record_communication(**{**data, **changes})


def test_r_e2_the_message_is_kept_on_the_case_with_who_approved_it_and_when(world, case):
    message = record(world, case)
    assert (message.case, message.audience, message.template_version, message.approved_by_name,
            message.approved_by_role, message.police_consulted, message.police_contact) == (
        case, "parents", 1, "Hana Head", "Headteacher", True, "DC Rivers, Thames Valley Police")
    assert message.text.startswith("Online blackmail targeting young people")
    event = AuditEvent.objects.get(object_type="communication", object_id=str(message.id))
    assert event.detail == {"case": case.id, "template": "sextortion-parents", "version": 1, "wording": None,
                            "audience": "parents"}
    entry = case.entries.filter(text__startswith="Message for").get()
    assert entry.rules == ["E2", "B10"]
    assert entry.text.startswith("Message for all parents and carers recorded: “Letter to all parents”, approved by "
                                 "Hana Head (Headteacher) on ")
    assert entry.text.endswith("Agreed with the police (DC Rivers, Thames Valley Police).")


def test_r_b10_a_message_not_agreed_with_the_police_says_why(world, case):
    with pytest.raises(CaseError) as refused:
        record(world, case, police_consulted=False, police_contact="")
    assert refused.value.message_dict == {"police_not_consulted_reason": ["Say why the police were not consulted."]}
    message = record(world, case, police_consulted=False, police_not_consulted_reason="The police are not involved.",
                     police_contact="ignored when not consulted")
    assert (message.police_contact, message.police_not_consulted_reason) == ("", "The police are not involved.")
    line = case.entries.filter(text__startswith="Message for").get().text
    assert line.endswith("Not agreed with the police: The police are not involved.")
    communicate = case.tasks.get(title__startswith="Communicate:")
    assert communicate.completed_at is None  # E2: the wording is not yet coordinated with the authorities


def test_r_e2_a_message_agreed_with_the_police_ticks_the_communicate_step(world, case):
    communicate = case.tasks.get(title__startswith="Communicate:")
    assert communicate.completed_at is None
    record(world, case)
    communicate.refresh_from_db()
    assert (communicate.result, communicate.completed_by, communicate.ticked_by) == (
        "done", world.diana, "communication_agreed")
    line = case.entries.order_by("-id").first().text
    assert "the message “Letter to all parents” was approved and agreed with the police" in line


def test_r_b10_whether_the_police_were_consulted_must_be_answered(world, case):
    with pytest.raises(CaseError) as refused:
        record(world, case, police_consulted=None)
    assert list(refused.value.message_dict) == ["police_consulted"]


def test_r_e5_a_message_that_names_a_child_in_the_case_is_refused(world, case):
    for text in ("We are supporting Quentin Puddlewick.", "The Puddlewick family asked us to write."):
        with pytest.raises(CaseError) as refused:
            record(world, case, text=text)
        assert "names no child" in refused.value.message_dict["text"][0]
    assert not Communication.objects.exists()


def test_r_e2_a_part_left_in_square_brackets_is_refused(world, case):
    with pytest.raises(CaseError) as refused:
        record(world, case, text=schema.as_text(schema.load_templates()["sextortion-parents"]))
    message = refused.value.message_dict["text"][0]
    assert message.startswith("Fill in or take out each part in square brackets: [at our school, or in our area]")


def test_r_d6_words_that_blame_a_child_are_refused(world, case):
    with pytest.raises(CaseError) as refused:
        record(world, case, text="Pupils should not have sent pictures.")
    assert "can make a child feel to blame" in refused.value.message_dict["text"][0]


def test_who_approved_it_and_when_are_needed_and_not_in_the_future(world, case):
    with pytest.raises(CaseError) as refused:
        record(world, case, approved_by_name=" ", approved_by_role="", approved_at=timezone.now() + timedelta(days=1))
    assert set(refused.value.message_dict) == {"approved_by_name", "approved_by_role", "approved_at"}


def test_r_e2_only_a_message_the_kind_offers_can_be_used(world):
    allegation = make_case(world, "staff-allegation", subject_staff=world.tom)
    with pytest.raises(CaseError):
        record(world, allegation, user=world.hana)


def test_r_h3_only_the_team_running_the_case_records_one(world, case):
    from django.http import Http404

    for stranger in (world.tom, world.hana, world.eve):
        with pytest.raises(Http404):
            record(world, case, user=stranger)
    assert record(world, case, user=world.dev).recorded_by == world.dev


def test_a_closed_case_takes_no_new_message(world):
    from records.tests.helpers import work_and_close

    bullying = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    work_and_close(bullying, world.diana)
    with pytest.raises(CaseError, match="closed"):
        record(world, bullying, template_id="online-abuse-parents", text=filled("online-abuse-parents"))
