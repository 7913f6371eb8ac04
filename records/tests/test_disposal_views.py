"""Disposal pages (H4, H3): access ladders, the queue's contents and query bound, and the two-person flow."""

from datetime import date, timedelta

import time_machine
from django.utils import timezone

import pytest
from django.urls import reverse

from accounts.models import Membership
from audit.models import AuditEvent
from cases.models import Case
from cases.tests.helpers import code_for
from notifications.models import Notification
from records import actions
from records.models import DisposalRequest, StaffBirthDate, Tombstone
from records.tests.helpers import closed_case, grown_up
from tests.people import PASSWORD, make_pupil, make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_case(world):
    return closed_case(world, children=[(grown_up(world), "harmed")])


def test_access_ladder(client, world, due_case):
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    pages = [reverse("records:queue"), reverse("records:request", args=[due_case.id]),
             reverse("records:approve", args=[request.id])]
    for url in pages:
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), url
    # Other school: Elmtree's DSL and trust lead have their own queue, without Oakfield's records.
    for stranger in (world.eve, world.otto):
        sign_in(client, stranger)
        assert due_case.reference not in client.get(pages[0]).content.decode()
        for url in pages[1:]:
            assert client.get(url).status_code == 404, (stranger, url)
    # Wrong roles at Oakfield: deputy DSL, teacher, governor, technical staff, trust administrator.
    for stranger in (world.dev, world.tom, world.gina, world.terry, world.adam):
        sign_in(client, stranger)
        for url in pages:
            assert client.get(url).status_code == 404, (stranger, url)
        assert client.post(pages[2], {"password": PASSWORD}).status_code == 404
        assert client.post(reverse("records:decline", args=[request.id]), {"decline_reason": "x"}).status_code == 404
    for insider in (world.diana, world.hana, world.lena):
        sign_in(client, insider)
        for url in pages:
            assert client.get(url).status_code == 200, (insider, url)


def test_r_a4_an_allegation_is_not_shown_to_the_dsl_and_never_to_the_person_it_is_about(client, world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    Membership.objects.create(user=world.tom, school=world.oakfield, role="dsl")  # Tom is a DSL as well
    TOTPDevice.objects.create(user=world.tom, name="Test app", confirmed=True)
    allegation = closed_case(world, "staff-allegation", subject_staff=world.tom, closed_on=date(2010, 1, 4))
    url = reverse("records:request", args=[allegation.id])
    for outsider in (world.diana, world.tom):
        sign_in(client, outsider)
        assert client.get(url).status_code == 404
        assert allegation.reference not in client.get(reverse("records:queue")).content.decode()
    for insider in (world.hana, world.lena):
        sign_in(client, insider)
        assert client.get(url).status_code == 200
        assert allegation.reference in client.get(reverse("records:queue")).content.decode()


def test_r_h4_the_queue_lists_due_and_soon_due_records_and_never_open_ones(client, world, due_case,
                                                                           django_assert_max_num_queries):
    from cases.tests.helpers import make_case

    young = closed_case(world)  # kept until 2037
    open_case = make_case(world, children=[(make_pupil(world.oakfield, "Ada", "Old", "A999000000078",
                                                       date_of_birth=date(1970, 1, 1)), "harmed")])
    for n in range(4):
        closed_case(world, children=[(grown_up(world, upn=f"A99900000010{n}"), "harmed")])
    sign_in(client, world.diana)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("records:queue")).content.decode()
    assert due_case.reference in page and "Child protection record" in page and "28 February 2013" in page
    assert young.reference not in page and open_case.reference not in page
    assert "Olive" not in page and "Marchbank" not in page  # the queue names no one
    assert AuditEvent.objects.filter(object_type="disposal_queue", actor=world.diana).exists()


def test_r_h4_the_queue_is_bounded_in_queries_whatever_its_length(client, world, django_assert_max_num_queries):
    for n in range(12):
        closed_case(world, children=[(grown_up(world, upn=f"A9990000002{n:02d}"), "harmed")])
    sign_in(client, world.diana)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("records:queue")).status_code == 200


def test_r_h4_a_staff_allegation_with_no_date_of_birth_says_10_years_are_used(client, world):
    allegation = closed_case(world, "staff-allegation", subject_staff=world.tom, closed_on=date(2010, 1, 4))
    sign_in(client, world.hana)
    page = client.get(reverse("records:queue")).content.decode()
    assert allegation.reference in page and "4 January 2020" in page
    assert "date of birth is not known, so 10 years from closure is used" in page
    page = client.get(reverse("records:request", args=[allegation.id])).content.decode()
    assert "Member of staff’s date of birth, if you know it" in page
    # Given the date of birth, retirement age at 67 is later: the record is no longer due.
    response = client.post(reverse("records:staff_birth_date", args=[allegation.id]),
                           {"born-day": "3", "born-month": "9", "born-year": "1975"})
    assert response.status_code == 302 and StaffBirthDate.objects.get(user=world.tom).date_of_birth == date(1975, 9, 3)
    page = client.get(reverse("records:request", args=[allegation.id])).content.decode()
    assert "3 September 2042" in page and "must be kept until 3 September 2042" in page
    assert allegation.reference not in client.get(reverse("records:queue")).content.decode()


def test_r_h4_a_dsl_asks_and_the_headteacher_approves_with_password_and_code(client, world, due_case):
    sign_in(client, world.diana)
    url = reverse("records:request", args=[due_case.id])
    page = client.post(url, {"reason": ""}).content.decode()
    assert "Give the reason" in page
    assert client.post(url, {"reason": "Past its date; no enquiry needs it."}).status_code == 302
    request = DisposalRequest.objects.get(record_id=due_case.id)
    approve_url = reverse("records:approve", args=[request.id])
    assert "a different person must approve" in client.get(approve_url).content.decode()
    assert Notification.objects.filter(user=world.hana, url=approve_url).exists()
    assert not Notification.objects.filter(user=world.diana, url=approve_url).exists()
    # The DSL cannot approve her own request, even by posting.
    assert client.post(approve_url, {"password": PASSWORD, "code": code_for(world.diana)}).status_code == 404

    sign_in(client, world.hana)
    page = client.post(approve_url, {"password": PASSWORD, "code": "000000"}).content.decode()
    assert "password or code was not right" in page and Case.objects.filter(id=due_case.id).exists()
    assert AuditEvent.objects.filter(action="denied", object_type="disposal_request").exists()
    # The wrong code counts towards the second factor's throttling: a right one straight after is refused too.
    assert "not right" in client.post(approve_url, {"password": PASSWORD, "code": code_for(world.hana)}
                                      ).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = client.post(approve_url, {"password": PASSWORD, "code": code_for(world.hana)})
        assert response.status_code == 302 and not Case.objects.filter(id=due_case.id).exists()
        assert Tombstone.objects.get(record_id=due_case.id).approved_by == world.hana
        page = client.get(response["Location"]).content.decode()
        assert "has been disposed of" in page and "Disposed of" in page
        assert client.get(approve_url).status_code == 404  # the request is done, the record gone


def test_the_requester_may_withdraw_and_an_approver_may_decline(client, world, due_case):
    request = actions.request_disposal(user=world.diana, case=due_case, reason="Past its date.")
    sign_in(client, world.diana)
    client.post(reverse("records:decline", args=[request.id]), {"decline_reason": "Asked too soon."})
    request.refresh_from_db()
    assert request.state == "declined" and request.decided_by == world.diana


def test_a_chair_of_governors_manages_allegations_about_the_headteacher(client, world):
    hana_case = closed_case(world, "staff-allegation", subject_staff=world.hana, by=world.carol,
                            closed_on=date(2010, 1, 4))
    assert hana_case.route == "chair"
    sign_in(client, world.carol)
    assert hana_case.reference in client.get(reverse("records:queue")).content.decode()
    sign_in(client, world.hana)
    assert client.get(reverse("records:request", args=[hana_case.id])).status_code == 404
    extra = make_user("zia@oakfield.example", "Zia Zed", school=world.oakfield, role="chair_of_governors")
    assert extra.access.can("sign_off_decisions", world.oakfield)
