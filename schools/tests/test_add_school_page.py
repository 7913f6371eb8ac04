"""The trust administrator adds a school from their pages (issue 21.2), with the same action as
`manage.py add_school`: a 6-digit URN not already in Harbour, a phase, and a nation (J8, England unless chosen)."""

import html

import pytest
from django.urls import reverse

from accounts.models import TrustMembership, User
from audit.models import AuditEvent
from schools.current import SESSION_KEY
from schools.models import School, Trust
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db
ADD = reverse("schools:add")
NEW = {"name": "Hillside Primary School", "urn": "123456", "phase": "primary", "nation": "england",
       "address": "1 Hill Road\nBrightwater", "safeguarding_contact": "Mr B Patel, designated safeguarding lead"}


def test_add_school_page_access_ladder(client, world):
    assert client.get(ADD).status_code == 302  # anonymous: to sign-in
    assert client.post(ADD, NEW).status_code == 302 and not School.objects.filter(urn="123456").exists()
    # Wrong roles at the trust's schools, the trust's safeguarding lead, and another trust's people.
    for stranger in (world.tom, world.diana, world.hana, world.lena, world.eve, world.otto):
        client.logout()
        sign_in(client, stranger)
        assert client.get(ADD).status_code == 404, stranger
        assert client.post(ADD, NEW).status_code == 404, stranger
    assert not School.objects.filter(urn="123456").exists()
    client.logout()
    sign_in(client, world.adam)
    page = client.get(ADD).content.decode()
    assert "Add a school" in page and world.trust.name in page


def test_r_j8_the_trust_administrator_adds_a_school_in_england_by_default(client, world):
    sign_in(client, world.adam)
    assert 'value="england" checked' in client.get(ADD).content.decode()
    response = client.post(ADD, NEW)
    school = School.objects.get(urn="123456")
    assert response.status_code == 302 and response["Location"] == f"{ADD}?added={school.id}"
    assert (school.trust, school.nation, school.phase) == (world.trust, "england", "primary")
    assert school.address_lines == ["1 Hill Road", "Brightwater"]
    event = AuditEvent.objects.get(object_type="school", object_id=str(school.id))
    assert (event.actor_id, event.action) == (world.adam.id, "create")
    # They now work in the new school, and are told what to do next there.
    assert client.session[SESSION_KEY] == school.id
    page = client.get(response["Location"]).content.decode()
    assert "Hillside Primary School is added" in page and reverse("imports:upload") in page
    assert User.objects.get(id=world.adam.id).access.can("manage_people", school)  # the trust role reaches it


def test_r_j8_a_school_in_wales_is_recorded_as_in_wales(client, world):
    sign_in(client, world.adam)
    client.post(ADD, {**NEW, "nation": "wales"})
    assert School.objects.get(urn="123456").nation == "wales"


def test_mistakes_are_shown_beside_their_boxes_and_everything_typed_is_kept(client, world):
    sign_in(client, world.adam)
    response = client.post(ADD, {**NEW, "urn": "12345", "phase": "", "safeguarding_contact": "",
                                 "safeguarding_phone": "01632 960102"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in page
    assert "6 digits, like 123456" in page and "Choose the school's phase" in page
    assert "Say whom families should ask for" in page
    assert "Hillside Primary School" in page and "01632 960102" in page
    assert not School.objects.filter(name="Hillside Primary School").exists()


def test_a_urn_already_in_harbour_is_refused_without_naming_that_school(client, world):
    sign_in(client, world.adam)
    response = client.post(ADD, {**NEW, "urn": world.elmtree.urn})  # another trust's school
    page = response.content.decode()
    assert response.status_code == 200 and "already in Harbour" in page
    assert world.elmtree.name not in page and world.other_trust.name not in page
    assert School.objects.filter(urn=world.elmtree.urn).count() == 1


def test_an_administrator_of_two_trusts_chooses_one_of_theirs_and_no_other(client, world):
    second = Trust.objects.create(name="Second Trust", slug="second")
    TrustMembership.objects.create(user=world.adam, trust=second, role="trust_administrator")
    sign_in(client, world.adam)
    page = client.get(ADD).content.decode()
    assert "Which trust is the school in?" in page and "Second Trust" in page
    assert "Choose the trust" in client.post(ADD, NEW).content.decode()
    refused = client.post(ADD, {**NEW, "trust": world.other_trust.id}).content.decode()
    assert "Choose the trust" in refused and not School.objects.filter(urn="123456").exists()
    client.post(ADD, {**NEW, "trust": second.id})
    assert School.objects.get(urn="123456").trust == second


def test_a_new_trusts_administrator_is_sent_to_add_the_first_school_from_home(client, world):
    trust = Trust.objects.create(name="Harbour Valley Trust", slug="harbour-valley")
    admin = make_user("it@valley.example", "Ian Tech", trust=trust, trust_role="trust_administrator")
    assert admin.access.requires_second_factor  # S1: they will manage people as soon as a school is added
    sign_in(client, admin)
    page = client.get(reverse("home")).content.decode()
    assert "no schools in Harbour yet" in page and f'href="{ADD}"' in page
    # Once the trust has a school, "Add a school" stays among what they can do.
    client.post(ADD, {**NEW, "name": "Valley School"})
    assert f'href="{ADD}"' in client.get(reverse("home")).content.decode()


def test_other_roles_are_not_offered_add_a_school(client, world):
    sign_in(client, world.diana)
    assert f'href="{ADD}"' not in client.get(reverse("home")).content.decode()
