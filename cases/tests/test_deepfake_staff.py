"""J3: an AI-made or altered intimate image of an adult member of staff. The member of staff is supported, the police
are told, the pupils go through the behaviour or child-on-child route, and the member of staff never reads the case
about them unless the safeguarding team adds them."""

import pytest
from django.http import Http404
from django.urls import reverse

from cases import actions, evaluation
from cases.access import CASES, Verb, cases_for
from cases.actions.common import CaseError
from cases.tests.helpers import make_case
from notifications.models import Notification
from procedures import engine, schema
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_j3_an_image_of_a_member_of_staff_needs_the_police_support_for_them_and_the_pupils_route():
    definition = schema.get("deepfake")
    result = engine.evaluate(definition, {"depicts_staff_member": True})
    police = [r for r in result["required_referrals"] if r["agency"] == "police"]
    assert police and police[0]["applies"] is True and "crime" in police[0]["reason"]
    words = " ".join(g["text"] for g in result["guidance"])
    assert "supported" in words and "police" in words and "behaviour policy" in words
    assert "does not see this case unless you add them" in words
    tasks = {t["id"]: t["title"] for t in definition["tasks"]}
    assert "support" in tasks["staff_support"] and "police" in tasks["staff_police_report"]
    assert "behaviour policy" in tasks["staff_pupils_route"] and "child-on-child" in tasks["staff_pupils_route"]
    # Rule numbers stay out of the words people read.
    assert "66E" not in words and "J3" not in words
    assert not [r for r in engine.evaluate(definition, {"depicts_staff_member": False})["required_referrals"]
                if r["agency"] == "police"]


def test_j3_recording_the_member_of_staff_answers_the_question_and_requires_the_police(world):
    case = make_case(world, "deepfake", children=[(world.pupil, "created")])
    actions.record_depicted_staff(user=world.diana, case=case, staff=world.tom)
    case.refresh_from_db()
    assert case.depicted_staff == world.tom and case.facts["depicts_staff_member"] is True
    required = {r["agency"]: r for r in evaluation.assess(case).required}
    assert required["police"]["applies"] is True
    step = case.tasks.get(key="staff_police_report")
    with pytest.raises(CaseError, match="cannot be marked as not done"):
        actions.complete_task(user=world.diana, task=step, done=False, note="Not needed.")
    assert "Tom Teacher" in case.entries.filter(kind="person").last().text


def test_j3_the_dsl_cannot_record_themselves_and_only_the_team_records_it(world):
    case = make_case(world, "deepfake", children=[(world.pupil, "created")])
    with pytest.raises(CaseError, match="another member of the safeguarding team"):
        actions.record_depicted_staff(user=world.diana, case=case, staff=world.diana)
    with pytest.raises(Http404):  # a reader who does not run the case is refused as a stranger would be
        actions.record_depicted_staff(user=world.tom, case=case, staff=world.hana)
    bullying = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    with pytest.raises(CaseError, match="does not ask"):
        actions.record_depicted_staff(user=world.diana, case=bullying, staff=world.tom)


def test_j3_access_ladder_the_member_of_staff_shown_reads_the_case_only_once_the_dsl_adds_them(client, world):
    """Dev is a deputy DSL, so would read and run every case; once recorded as the member of staff the image shows,
    Dev gets the same 404 as a stranger, until Diana adds Dev, and then reads it without running it."""
    case = make_case(world, "deepfake", children=[(world.pupil, "created")])
    url = reverse("cases:detail", args=[case.id])
    sign_in(client, world.dev)
    assert client.get(url).status_code == 200  # before: the deputy reads it by role
    actions.record_depicted_staff(user=world.diana, case=case, staff=world.dev)
    case.refresh_from_db()
    assert client.get(url).status_code == 404
    # The referral the answer makes necessary is told to the rest of the team, never to Dev (here, a case showing
    # Tom tells Dev; the case showing Dev does not).
    other = make_case(world, "deepfake", children=[(world.pupil, "created")])
    actions.record_depicted_staff(user=world.diana, case=other, staff=world.tom)
    told = Notification.objects.filter(user=world.dev, text__contains="needs a referral")
    assert told.filter(reference=other.reference).exists() and not told.filter(reference=case.reference).exists()
    assert client.get(reverse("cases:assess", args=[case.id])).status_code == 404
    assert case not in cases_for(world.dev, world.oakfield)
    assert not CASES.allows(world.dev, Verb.READ, case) and not CASES.allows(world.dev, Verb.MANAGE, case)
    # The rest of the team is unaffected.
    sign_in(client, world.diana)
    assert client.get(url).status_code == 200
    # Added by the DSL, with the reason: Dev reads it, never runs it.
    actions.add_member(user=world.diana, case=case, member=world.dev, reason="Dev asked to follow the police report.")
    sign_in(client, world.dev)
    assert client.get(url).status_code == 200
    assert case in cases_for(world.dev, world.oakfield)
    assert not CASES.allows(world.dev, Verb.MANAGE, case)
    assert case not in CASES.visible(world.dev, world.oakfield, Verb.MANAGE)


def test_j3_a_teacher_shown_in_the_image_sees_nothing_until_added(client, world):
    case = make_case(world, "deepfake", children=[(world.pupil, "created")], reporter=world.dev)
    actions.record_depicted_staff(user=world.diana, case=case, staff=world.tom)
    url = reverse("cases:detail", args=[case.id])
    sign_in(client, world.tom)
    assert client.get(url).status_code == 404
    actions.add_member(user=world.diana, case=case, member=world.tom, reason="Tom asked to see what is being done.")
    assert client.get(url).status_code == 200
