"""Receiving is not managing (A1, A4, A5, H3). Those only told of a concern see what they need for their part and
cannot acknowledge it (which would stop the escalation clock) or open a case from it; the inbox lists only what
its reader may open; every refusal is the 404 of a missing concern. The actions refuse by themselves, so no
caller (a view, the API, a command) can reach around the policy."""

import uuid

import pytest
from django.urls import reverse

from accounts.policy import Refused
from cases import actions as case_actions
from cases.models import Case
from concerns import actions
from concerns.access import CONCERNS
from concerns.actions import Report, submit_concern
from concerns.models import Concern
from notifications.models import Notification
from tests.people import make_user, sign_in
from tests.security.matrix import normalise

pytestmark = pytest.mark.django_db
NARRATIVE = "Quentin told me he searched for ways to hurt himself on the library computer."


@pytest.fixture
def osc(world):
    return make_user("olu@oakfield.example", "Olu Coordinator", school=world.oakfield,
                     role="online_safety_coordinator")


@pytest.fixture
def breach(world, osc):
    concern, _ = submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="filtering-breach", account=NARRATIVE, children=[(world.pupil, "other")],
        breach_url="https://harmful.example/ways", breach_device_or_user="Library PC 4, user qpuddlewick",
        breach_seen="Self-harm search terms; the page was blocked", provider_told=False))
    return concern


def test_r_a5_a_breach_is_told_to_technical_staff_and_the_coordinator_as_well_as_the_dsl_team(world, breach, osc):
    told = set(Notification.objects.filter(url=reverse("concerns:detail", args=[breach.id]))
               .values_list("user__email", flat=True))
    assert told == {"diana@oakfield.example", "dev@oakfield.example", "terry@oakfield.example",
                    "olu@oakfield.example"}


@pytest.mark.parametrize("person", ["terry", "osc"])
def test_r_a5_those_told_see_the_technical_summary_and_nothing_else(client, world, breach, osc, person):
    sign_in(client, osc if person == "osc" else world.terry)
    page = client.get(reverse("concerns:detail", args=[breach.id]))
    body = page.content.decode()
    assert page.status_code == 200
    for detail in ("https://harmful.example/ways", "Library PC 4, user qpuddlewick",
                   "Self-harm search terms; the page was blocked", "Filtering or monitoring breach"):
        assert detail in body
    # Never what was said, the children's names, or who reported it; no button that acts on the concern.
    for secret in (NARRATIVE, "Quentin", "Puddlewick", "Tom Teacher"):
        assert secret not in body
    assert reverse("concerns:acknowledge", args=[breach.id]) not in body
    assert reverse("concerns:open_case", args=[breach.id]) not in body


@pytest.mark.parametrize("person", ["terry", "osc"])
def test_r_a1_a5_h3_those_told_cannot_acknowledge_or_open_a_case_and_are_refused_like_a_stranger(
        client, world, breach, osc, person):
    sign_in(client, osc if person == "osc" else world.terry)
    for name in ("concerns:acknowledge", "concerns:open_case", "concerns:add_to_case"):
        refused = client.post(reverse(name, args=[breach.id]), {"procedure": "filtering-breach"})
        missing = client.post(reverse(name, args=[987654]), {"procedure": "filtering-breach"})
        assert refused.status_code == missing.status_code == 404, name
        assert normalise(refused.content) == normalise(missing.content), name
    breach.refresh_from_db()
    assert breach.status == Concern.Status.RECEIVED and breach.acknowledged_by is None and breach.case_id is None
    assert not Case.objects.exists()


def test_r_a1_because_technical_staff_cannot_acknowledge_the_escalation_still_happens(client, world, breach):
    from concerns.tasks import escalate_if_unacknowledged

    sign_in(client, world.terry)
    client.post(reverse("concerns:acknowledge", args=[breach.id]))
    assert escalate_if_unacknowledged.call(breach.id) is True


def test_r_a5_the_actions_refuse_by_themselves_whoever_calls_them(world, breach, osc):
    for person in (world.terry, osc, world.tom, world.hana, world.eve):
        with pytest.raises(Refused):
            actions.acknowledge(user=person, concern=breach)
        with pytest.raises(Refused):
            case_actions.open_case(user=person, concern=breach)
    case = case_actions.open_case(user=world.diana, concern=breach)
    other, _ = submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="filtering-breach", account="Another alert.", breach_url="https://harmful.example/2"))
    with pytest.raises(Refused):
        case_actions.attach_to_case(user=world.terry, concern=other, case=case)
    breach.refresh_from_db()
    assert breach.acknowledged_by == world.diana and breach.case == case


def test_r_a1_the_headteacher_told_of_an_escalation_sees_who_should_act_not_the_concern(client, world, breach):
    """A1: the escalation notice opens a page (never a 404): the concern's status and who to speak to."""
    from concerns.tasks import escalate_if_unacknowledged

    sign_in(client, world.hana)
    assert client.get(reverse("concerns:detail", args=[breach.id])).status_code == 404  # not told yet
    escalate_if_unacknowledged.call(breach.id)
    notice = Notification.objects.get(user=world.hana)
    page = client.get(notice.url)
    body = page.content.decode()
    assert page.status_code == 200 and "waited longer than it should" in body
    assert "Diana Dsl" in body and "Dev Deputy" in body
    for secret in (NARRATIVE, "Quentin", "Puddlewick", "harmful.example"):
        assert secret not in body
    assert client.post(reverse("concerns:acknowledge", args=[breach.id])).status_code == 404
    assert client.post(reverse("concerns:open_case", args=[breach.id])).status_code == 404
    breach.refresh_from_db()
    assert breach.status == Concern.Status.RECEIVED


def test_r_a4_the_person_a_concern_is_about_is_never_told_even_when_they_would_be(client, world):
    """A4: a concern about the headteacher goes to the chair; the headteacher is refused it like a stranger, even
    after it escalates (escalations of a concern about staff go to those it is for)."""
    from concerns.tasks import escalate_if_unacknowledged

    concern, _ = submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="staff-allegation", account="A worry about the headteacher.", subject_staff=world.hana))
    assert concern.route == "chair"
    escalate_if_unacknowledged.call(concern.id)
    assert not Notification.objects.filter(user=world.hana).exists()
    for person in (world.hana, world.diana, world.terry):
        assert not CONCERNS.allows(person, CONCERNS.Verb.SEE_SUMMARY, concern)
        sign_in(client, person)
        assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    assert CONCERNS.allows(world.carol, CONCERNS.Verb.ACKNOWLEDGE, concern)
    assert CONCERNS.allows(world.carol, CONCERNS.Verb.OPEN_CASE, concern)


def test_r_h3_every_inbox_row_opens_for_each_reader(client, world, breach, osc):
    """No row of anyone's inbox answers 404: each receiving role follows every link in it."""
    import re

    submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="cyberbullying", account="Unkind messages.", children=[(world.pupil, "harmed")]))
    submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="staff-allegation", account="A worry about a teacher.", subject_staff=world.terry))
    submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="staff-allegation", account="A worry about the head.", subject_staff=world.hana))
    followed = {}
    for person in (world.diana, world.dev, world.hana, world.terry, osc, world.carol, world.lena):
        sign_in(client, person)
        inbox = client.get(reverse("concerns:inbox"))
        assert inbox.status_code == 200, person
        links = re.findall(r'href="(/concerns/\d+/)"', inbox.content.decode())
        assert links, person
        for link in links:
            assert client.get(link).status_code == 200, (person, link)
        followed[person.full_name] = len(links)
    # Each sees what is theirs: the team all but the allegations; technical staff and the coordinator the
    # breach; the headteacher the allegation about a teacher, who is not told of it; the chair the one
    # about the headteacher.
    assert followed == {"Diana Dsl": 2, "Dev Deputy": 2, "Hana Head": 1, "Terry Tech": 1,
                        "Olu Coordinator": 1, "Carol Chair": 1, "Lena Lead": 2}
