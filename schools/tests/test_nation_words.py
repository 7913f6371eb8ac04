"""J8: the words for the safeguarding lead follow the school's nation, on every kind of surface that shows them (the
report page, the report-sent page, the home page, people lists and pickers, notices and emails, the case page), and
the nation is set on "School details", audited. One test per surface, over the four nations."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.functional import Promise

from accounts.pickers import people_at
from audit.models import AuditEvent
from cases.tests.helpers import make_case, make_concern
from concerns.tests.test_report import REPORT, report_data
from notifications.models import Notification
from notifications.tasks import email_notifications
from schools import nations
from tests.people import sign_in

pytestmark = pytest.mark.django_db
NATIONS = ("england", "wales", "scotland", "northern_ireland")
# What each nation calls the role, as its guidance does; and what the other nations' pages must not say instead.
ROLE = {"england": "designated safeguarding lead", "wales": "designated safeguarding person",
        "scotland": "child protection coordinator", "northern_ireland": "designated teacher"}
# ...and its short form, where an email's subject has room only for that.
SHORT = {"england": "the DSL", "wales": "the DSP", "scotland": "child protection coordinator",
         "northern_ireland": "designated teacher"}
LABEL = {"england": "Designated safeguarding lead", "wales": "Designated safeguarding person",
         "scotland": "Child protection coordinator", "northern_ireland": "Designated teacher for child protection"}


@pytest.fixture(params=NATIONS)
def nation(request, world):
    world.oakfield.nation = request.param
    world.oakfield.save(update_fields=["nation"])
    return request.param


def others(nation):
    return [ROLE[n] for n in NATIONS if n != nation and ROLE[n] not in ROLE[nation]]


def test_r_j8_every_nation_has_every_sentence_whole_and_marked_for_translation():
    fields = list(nations.Words.model_fields)
    for nation in NATIONS:
        said = nations.for_nation(nation)
        for field in fields:
            value = getattr(said, field)
            assert isinstance(value, Promise) and str(value).strip(), (nation, field)
        # Each sentence names the role in the nation's own words (the labels are capitalised).
        for field in fields:
            if field.endswith("_subject"):
                assert SHORT[nation] in str(getattr(said, field)), (nation, field)
            elif not field.endswith("_label"):
                assert ROLE[nation] in str(getattr(said, field)), (nation, field)
    # England's words are the default for a school without a nation, and for an unknown one.
    assert nations.words(None) == nations.for_nation("england") == nations.for_nation("atlantis")


def test_r_j8_the_report_page_and_its_error_name_the_role_as_the_nation_does(client, world, nation):
    sign_in(client, world.tom)
    said = nations.for_nation(nation)
    page = client.get(REPORT).content.decode()
    assert str(said.danger_tell_lead) in page and str(said.told_lead_question) in page
    assert not any(other in page for other in others(nation))
    data, _ = report_data(world)
    del data["dsl_told_in_person"]
    page = client.post(REPORT, data).content.decode()
    assert str(said.told_lead_required) in page


def test_r_j8_the_report_sent_page_says_who_was_told_in_the_nations_words(client, world, nation):
    concern = make_concern(world)
    sign_in(client, world.tom)
    page = client.get(reverse("concerns:submitted", args=[concern.id])).content.decode()
    said = nations.for_nation(nation)
    assert str(said.told_lead_and_deputies) in page and str(said.worried_find_lead) in page
    assert not any(other in page for other in others(nation))


@pytest.mark.parametrize("who", ["tom", "dev", "hana"])
def test_r_j8_the_home_page_advice_names_the_role_as_the_nation_does(client, world, nation, who):
    sign_in(client, getattr(world, who))
    page = client.get(reverse("home")).content.decode()
    said = nations.for_nation(nation)
    expected = {"tom": said.home_for_staff, "dev": said.home_for_deputy, "hana": said.home_for_headteacher}[who]
    assert str(expected) in page
    assert not any(other in page for other in others(nation))


def test_r_j8_the_dsl_sees_their_role_in_the_nations_words_on_the_home_page(client, world, nation):
    sign_in(client, world.diana)
    page = client.get(reverse("home")).content.decode()
    assert f"<li>{LABEL[nation]}</li>" in page


def test_r_j8_pickers_and_the_people_list_label_the_role_as_the_nation_does(client, world, nation):
    labels = [u.picker_label for u in people_at(world.oakfield)]
    assert f"Diana Dsl — {LABEL[nation]}" in labels
    assert f"Dev Deputy — Deputy {LABEL[nation][0].lower()}{LABEL[nation][1:]}" in labels
    sign_in(client, world.adam)  # the trust administrator sends staff their links
    page = client.get(reverse("schools:people")).content.decode()
    assert "Oakfield" in page and LABEL[nation] in page


def test_r_j8_the_case_opened_notice_and_its_email_name_the_role_as_the_nation_does(world, nation):
    case = make_case(world, "sextortion")
    notice = Notification.objects.get(user=world.hana, text__startswith="Urgent")
    expected = str(nations.for_nation(nation).case_opened_notice).format(
        kind="sextortion", reference=case.reference, school=world.oakfield.name)
    assert notice.text == expected and ROLE[nation] in notice.text
    mail.outbox.clear()
    email_notifications.call([notice.id])
    [email] = [m for m in mail.outbox if world.hana.email in m.to]
    short = str(nations.for_nation(nation).case_opened_subject).format(reference=case.reference)
    assert email.subject == short and expected in email.body and len(short) <= 80 and "today" in short
    assert not any(other in email.subject + email.body for other in others(nation))


def test_r_j8_the_case_page_shows_the_nations_referral_route(client, world, nation):
    """Scotland: an image-sharing case says at once that social work or the police are needed for an inter-agency
    referral discussion, and offers that route; elsewhere it is neither required nor offered. Northern Ireland: the
    EA Child Protection Support Service is among the case's resources."""
    case = make_case(world, "nudes-sharing")
    sign_in(client, world.diana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    ird = "social work or the police, for an inter-agency referral discussion (IRD)"
    assert (ird in page) == (nation == "scotland")
    assert ("Education Authority Child Protection Support Service (advice line for schools)" in page) == (
        nation == "northern_ireland")
    assert ("Keeping learners safe (Welsh Government)" in page) == (nation == "wales")
    referral = client.get(reverse("cases:referral", args=[case.id]) + "?agency=ird").content.decode()
    assert ("Social work or the police, for an inter-agency referral discussion (IRD)" in referral) == (
        nation == "scotland")


# -- The nation on "School details" ------------------------------------------------------------------------------

DETAILS = {"address": "Oakfield Lane", "phone": "01632 960101", "email": "", "safeguarding_contact": "",
           "safeguarding_phone": "", "day_starts_at": "08:30"}


def test_r_j8_the_headteacher_sets_the_nation_on_school_details_and_it_is_audited(client, world):
    sign_in(client, world.hana)
    page = client.get(reverse("schools:details")).content.decode()
    assert 'name="nation" type="radio" value="england" checked' in page
    response = client.post(reverse("schools:details"), {**DETAILS, "nation": "wales"})
    assert response.status_code == 302
    world.oakfield.refresh_from_db()
    assert world.oakfield.nation == "wales"
    event = AuditEvent.objects.filter(object_type="school", object_id=str(world.oakfield.id)).latest("seq")
    assert "nation" in event.changed_fields and event.actor_id == world.hana.id
    assert event.detail["nation"] == {"from": "england", "to": "wales"}
    # The words change with it.
    client.logout()
    sign_in(client, world.diana)
    assert "<li>Designated safeguarding person</li>" in client.get(reverse("home")).content.decode()


def test_r_j8_an_unknown_nation_is_refused_and_nothing_changes(client, world):
    sign_in(client, world.diana)
    response = client.post(reverse("schools:details"), {**DETAILS, "nation": "atlantis"})
    assert response.status_code == 200 and "Choose the nation the school is in." in response.content.decode()
    world.oakfield.refresh_from_db()
    assert world.oakfield.nation == "england"


def test_r_j8_only_those_who_manage_school_details_can_change_the_nation(client, world):
    """The access ladder of the page (schools/tests/test_school_details.py) holds for the nation too: staff, a
    governor, the deputy and the trust's safeguarding lead get the same 404, and nothing changes."""
    for person in (world.tom, world.gina, world.dev, world.lena):
        client.logout()
        sign_in(client, person)
        assert client.post(reverse("schools:details"), {**DETAILS, "nation": "scotland"}).status_code == 404
    world.oakfield.refresh_from_db()
    assert world.oakfield.nation == "england"
    # Another school's DSL changes their own school, never this one.
    client.logout()
    sign_in(client, world.eve)
    client.post(reverse("schools:details"), {**DETAILS, "nation": "scotland"})
    world.oakfield.refresh_from_db()
    world.elmtree.refresh_from_db()
    assert (world.oakfield.nation, world.elmtree.nation) == ("england", "scotland")


def test_r_j8_waiting_for_you_asks_the_sign_off_in_the_nations_words(client, world, nation):
    """A school whose procedure names its safeguarding lead to sign off a decision not to refer (B6): their "Waiting
    for you" names the role as the nation does."""
    from cases import actions as case_actions
    from cases.tests.helpers import ALL_NO
    from procedures import versions

    versions.save_override(user=world.diana, procedure_id="cyberbullying", school=world.oakfield,
                           changes={"sign_off_roles": ["dsl"]}, reason="Our lead signs off.")
    case = make_case(world, "cyberbullying", by=world.dev)
    case_actions.update_answers(user=world.dev, case=case, facts=ALL_NO)
    case_actions.decide_not_to_refer(user=world.dev, case=case, reason="Consensual, no malice.")
    sign_in(client, world.diana)
    page = client.get(reverse("home")).content.decode()
    assert f"Sign off a decision not to refer, as {LABEL[nation].lower()}" in page


def test_r_j8_the_email_with_a_link_to_choose_a_password_names_the_role_as_the_nation_does(
        world, nation, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from accounts.invitations import email_invitation, send_invitation

    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(actor=world.adam, school=world.oakfield, member=world.tom)
    queued = DBTaskResult.objects.filter(task_path="accounts.invitations.email_invitation").latest("enqueued_at")
    assert queued.args_kwargs["kwargs"]["nation"] == nation
    mail.outbox.clear()
    assert email_invitation.call(**queued.args_kwargs["kwargs"]) == 1
    [message] = mail.outbox
    assert str(nations.for_nation(nation).unexpected_invitation) in message.body
    assert not any(other in message.body for other in others(nation))
