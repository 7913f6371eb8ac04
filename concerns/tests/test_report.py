"""Rules A1–A7: reporting a concern, routing, drafts, idempotency, the reporter's view."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from concerns.models import Concern, ConcernChild, Draft
from notifications.models import Notification
from schools.models import Pupil
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
REPORT = "/concerns/report/"


def report_data(world, **extra):
    second = Pupil.objects.filter(upn="A999000000010").first() or make_pupil(
        world.oakfield, "Milo", "Bramblecott", "A999000000010", year_group=5, sex="M")
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "incident_type": "nudes-sharing",
        "child": [str(world.pupil.id), str(second.id)],
        f"role_{world.pupil.id}": "pictured",
        f"role_{second.id}": "shared_onward",
        "account": "Quentin said: 'Milo sent my photo to the group chat last night.'",
        "disclosed_to": "Tom Teacher",
        "location": "Year 5 group chat, at home",
        "device_confiscated": "yes",
        "device_isolation": "flight_mode",
        "device_location": "Locked drawer in the DSL's office",
        "dsl_told_in_person": "yes",
    }
    data.update(extra)
    return data, second


def test_r_a1_a_teacher_reports_two_children_with_their_own_roles(client, world, django_capture_on_commit_callbacks):
    sign_in(client, world.tom)
    data, milo = report_data(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(REPORT, data)
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert response["Location"] == reverse("concerns:submitted", args=[concern.id])
    roles = dict(ConcernChild.objects.filter(concern=concern).values_list("pupil_id", "role"))
    assert roles == {world.pupil.id: "pictured", milo.id: "shared_onward"}
    assert concern.route == "dsl" and concern.device_isolation == "flight_mode"  # A2
    # The DSL and deputy know at once, in the app; email and the escalation clock follow on commit.
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        "diana@oakfield.example", "dev@oakfield.example"}
    assert len(callbacks) == 2
    assert AuditEvent.objects.filter(action="create", object_type="concern", object_id=str(concern.id),
                                     actor=world.tom).count() == 1


def test_r_a1_the_escalation_clock_is_queued_for_the_acknowledgement_deadline(client, world, settings,
                                                                             django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    sign_in(client, world.tom)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REPORT, report_data(world)[0])
    concern = Concern.objects.get()
    escalation = DBTaskResult.objects.get(task_path="concerns.tasks.escalate_if_unacknowledged")
    expected = concern.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    assert abs((escalation.run_after - expected).total_seconds()) < 5


def test_r_a1_an_unacknowledged_concern_escalates_to_deputies_and_headteacher(client, world):
    from concerns.tasks import escalate_if_unacknowledged

    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    concern = Concern.objects.get()
    Notification.objects.all().delete()
    assert escalate_if_unacknowledged.call(concern.id) is True
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        "dev@oakfield.example", "hana@oakfield.example"}
    assert escalate_if_unacknowledged.call(concern.id) is False  # once only


def test_r_a1_an_acknowledged_concern_does_not_escalate(client, world):
    from concerns.tasks import escalate_if_unacknowledged

    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    concern = Concern.objects.get()
    sign_in(client, world.diana)
    client.post(reverse("concerns:acknowledge", args=[concern.id]))
    assert escalate_if_unacknowledged.call(concern.id) is False


def test_r_a1_a_double_click_or_retry_makes_one_concern(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world)
    first = client.post(REPORT, data)
    second = client.post(REPORT, data)
    assert Concern.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert Notification.objects.count() == 2


def test_a_validation_error_keeps_everything_typed(client, world):
    sign_in(client, world.tom)
    data, milo = report_data(world)
    del data["dsl_told_in_person"]
    response = client.post(REPORT, data)
    page = response.content.decode()
    assert response.status_code == 200 and Concern.objects.count() == 0
    assert "Say whether you have already told the designated safeguarding lead in person" in page
    assert "Milo sent my photo to the group chat last night." in page.replace("&#39;", "'")
    assert "Milo Bramblecott" in page and "Locked drawer in the DSL" in page
    assert f'name="role_{milo.id}" type="radio" value="shared_onward" checked' in page


def test_children_of_another_school_cannot_be_added(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world, child=[str(world.elm_pupil.id)])
    page = client.post(REPORT, data).content.decode()
    assert "Add the children involved" in page and "Thistledown" not in page
    assert client.get(reverse("concerns:child_row", args=[world.elm_pupil.id])).status_code == 404
    assert b"Thistledown" not in client.post(reverse("concerns:pupil_search"), {"child_search": "Thist"}).content


def test_search_as_you_type_finds_children_at_my_school(client, world):
    sign_in(client, world.tom)
    response = client.post(reverse("concerns:pupil_search"), {"child_search": "Quen"}, HTTP_HX_REQUEST="true")
    assert b"Add Quentin Puddlewick" in response.content


def test_the_draft_autosaves_and_survives_a_session_timeout(client, world, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.tom)
        client.get(REPORT)
        data, milo = report_data(world)
        assert client.post(reverse("concerns:draft"), data).status_code == 200
        assert Draft.objects.get(user=world.tom).data["account"].startswith("Quentin said")
        clock.shift(timedelta(minutes=settings.HARBOUR_IDLE_TIMEOUT_MINUTES + 5))
        assert client.get(REPORT).status_code == 302  # signed out
        sign_in(client, world.tom)
        page = client.get(REPORT).content.decode().replace("&#39;", "'")
        assert "Milo sent my photo" in page and "Milo Bramblecott" in page
        assert "We kept what you typed last time" in page
        # Submitting with the recovered draft works, and the draft is gone afterwards.
        assert client.post(REPORT, data).status_code == 302
        assert not Draft.objects.filter(user=world.tom).exists()


def test_r_a4_a_concern_about_staff_goes_to_the_headteacher_and_is_hidden_from_them(client, world):
    sign_in(client, world.dev)
    data, _ = report_data(world, incident_type="staff-allegation", subject_staff=str(world.tom.id), child=[])
    assert client.post(REPORT, data).status_code == 302
    concern = Concern.objects.get()
    assert concern.route == "headteacher"
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["hana@oakfield.example"]
    sign_in(client, world.tom)
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    sign_in(client, world.diana)  # not the DSL queue
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    sign_in(client, world.hana)
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 200


def test_r_a4_f4_a_member_of_staff_being_radicalised_goes_to_the_headteacher_not_the_dsl(client, world):
    sign_in(client, world.diana)
    data, _ = report_data(world, incident_type="radicalisation", subject_staff=str(world.tom.id), child=[],
                          account="A colleague keeps sharing extremist videos in the staff room.")
    assert client.post(REPORT, data).status_code == 302  # no child needs naming
    concern = Concern.objects.get()
    assert concern.route == "headteacher" and concern.subject_staff == world.tom
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["hana@oakfield.example"]
    sign_in(client, world.tom)
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404


def test_r_c8_indecent_images_found_on_a_device_can_be_reported_without_naming_a_child(client, world):
    """Rule C8: the children in indecent images found on a device are usually not known, or not pupils here.
    The report still reaches the DSL; a kind about a child the reporter can name still needs the child."""
    sign_in(client, world.tom)
    data, _ = report_data(world, incident_type="iioc", child=[],
                          account="The technician saw a folder of what looked like indecent images of children "
                                  "on the IT room laptop and closed it at once.")
    assert client.post(REPORT, data).status_code == 302
    concern = Concern.objects.get()
    assert concern.route == "dsl" and not concern.children.exists()
    data, _ = report_data(world, incident_type="nudes-sharing", child=[])
    page = client.post(REPORT, data).content.decode()
    assert "Add the children involved" in page and Concern.objects.count() == 1


def test_r_a4_a_concern_about_the_headteacher_goes_to_the_chair_of_governors(client, world):
    sign_in(client, world.diana)
    data, _ = report_data(world, incident_type="staff-allegation", subject_staff=str(world.hana.id), child=[])
    client.post(REPORT, data)
    concern = Concern.objects.get()
    assert concern.route == "chair"
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["carol@oakfield.example"]
    sign_in(client, world.hana)
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    assert f"C{concern.id:06d}" not in client.get(reverse("concerns:inbox")).content.decode()
    sign_in(client, world.carol)
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 200


def test_r_a5_a_filtering_breach_reaches_the_dsl_team_and_technical_staff(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world, incident_type="filtering-breach", child=[], breach_url="https://blocked.example/x",
                          breach_device_or_user="Library PC 4", breach_seen="A gambling site was shown",
                          provider_told="yes", parents_told="no")
    assert client.post(REPORT, data).status_code == 302
    concern = Concern.objects.get()
    assert (concern.breach_url, concern.provider_told, concern.parents_told) == (
        "https://blocked.example/x",
        True,
        False,
    )
    assert set(Notification.objects.values_list("user__email", flat=True)) == {
        "diana@oakfield.example", "dev@oakfield.example", "terry@oakfield.example"}
    sign_in(client, world.terry)
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 200


def test_r_a7_the_reporter_sees_their_report_and_its_status_not_the_case(client, world):
    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    concern = Concern.objects.get()
    assert b"Sent, not picked up yet" in client.get(reverse("concerns:mine")).content
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    sign_in(client, world.diana)
    client.post(reverse("concerns:acknowledge", args=[concern.id]))
    sign_in(client, world.tom)
    page = client.get(reverse("concerns:submitted", args=[concern.id])).content.decode()
    assert "Picked up on" in page and "picked up your report on" in page
    sign_in(client, world.gina)  # another reporter's report is not theirs to see
    assert client.get(reverse("concerns:submitted", args=[concern.id])).status_code == 404


def test_r_a2_a_device_taken_needs_how_it_was_isolated_and_where_it_is(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world, device_isolation="", device_location="")
    page = client.post(REPORT, data).content.decode()
    assert "Say whether the device is in flight mode or switched off" in page
    assert "Say where the device is kept now" in page and Concern.objects.count() == 0
    data.update(device_isolation="switched_off", device_location="Headteacher's safe")
    assert client.post(REPORT, data).status_code == 302
    assert Concern.objects.get().device_isolation == "switched_off"


def test_r_a6_the_childs_words_are_kept_exactly_as_written_with_when_and_to_whom(client, world):
    words = "She said \u201cit was only meant for him\u201d  \u2014 then stopped.\n\nShe asked me not to tell her dad."
    sign_in(client, world.tom)
    data, _ = report_data(world, account=words, disclosed_to="Tom Teacher", disclosed_at="2026-11-20T09:15")
    client.post(REPORT, data)
    concern = Concern.objects.get()
    assert concern.account == words and concern.disclosed_to == "Tom Teacher"
    assert timezone.localtime(concern.disclosed_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:15"


def test_the_inbox_shows_each_concerns_acknowledgement_deadline(client, world, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.tom)
        client.post(REPORT, report_data(world)[0])
        sign_in(client, world.diana)
        due = timezone.localtime(start + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES))
        due_text = due.strftime("%-I:%M%p").replace("AM", "am").replace("PM", "pm")
        assert f"Acknowledge by {due_text}" in client.get(reverse("concerns:inbox")).content.decode()
        clock.shift(timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES + 1))
        sign_in(client, world.diana)  # the idle limit (30 minutes) has passed meanwhile
        assert f"Was due {due_text}" in client.get(reverse("concerns:inbox")).content.decode()


def test_r_a1_a_reporter_who_has_not_told_the_dsl_in_person_is_asked_to_today(client, world):
    """The report reaches the DSL at once, and the page that confirms it also says what the reporter still has to
    do: they said they had not spoken to the DSL, so it asks them to, or to a deputy, today."""
    sign_in(client, world.tom)
    for told in ("no", "yes"):
        client.post(REPORT, report_data(world, dsl_told_in_person=told)[0])
    not_told, told = Concern.objects.order_by("id")
    asked = client.get(reverse("concerns:submitted", args=[not_told.id])).content.decode()
    assert "You said you have not spoken to the designated safeguarding lead (DSL) face to face yet." in asked
    assert 'id="tell-in-person"' not in client.get(reverse("concerns:submitted", args=[told.id])).content.decode()


def test_r_a1_the_report_page_offers_the_reporter_by_name_so_they_do_not_type_themselves(client, world):
    sign_in(client, world.tom)
    page = client.get(REPORT).content.decode()
    assert 'name="disclosed_to_who" type="radio" value="me"' in page
    assert f"Me, {world.tom.full_name}" in page
    assert 'name="disclosed_to"' in page and "If someone else, who did they tell?" in page  # still typed


@pytest.mark.parametrize(("who", "typed", "recorded"), [
    ("me", "", "Tom Teacher"),
    ("me", "Ms Patel, form tutor", "Tom Teacher; Ms Patel, form tutor"),
    ("someone_else", "Ms Patel, form tutor", "Ms Patel, form tutor"),
    ("no_one", "", ""),
])
def test_r_a1_who_the_child_told_is_recorded_as_before(client, world, who, typed, recorded):
    sign_in(client, world.tom)
    data, _ = report_data(world, disclosed_to_who=who, disclosed_to=typed)
    assert client.post(REPORT, data).status_code == 302
    assert Concern.objects.get().disclosed_to == recorded


def test_r_a1_a_draft_that_chose_me_comes_back_with_me_chosen(client, world):
    sign_in(client, world.tom)
    data, _ = report_data(world, disclosed_to_who="me", disclosed_to="", account="")
    page = client.post(REPORT, data).content.decode()
    assert 'value="me" checked' in page
