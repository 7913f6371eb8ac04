"""The school's details that letters to families print (issue 20.9): who may change them, and what is kept."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.people import sign_in

pytestmark = pytest.mark.django_db
URL = "schools:details"
FILLED = {"address": "Oakfield Lane\r\n  Brightwater \r\n\r\nBW1 4OK", "phone": "01632 960101",
          "email": "office@oakfield.example", "safeguarding_contact": "Diana Dsl, designated safeguarding lead",
          "safeguarding_phone": "01632 960102"}


def test_school_details_access_ladder(client, world):
    """Anonymous: to sign in. Another school's DSL sees their own school's details, never Oakfield's. Staff and
    governors: the same 404 as a missing page. The DSL, the headteacher and the trust administrator: the page."""
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    sign_in(client, world.eve)
    response = client.get(reverse(URL))
    assert response.status_code == 200 and "Elmtree High" in response.content.decode()
    assert "Oakfield" not in response.content.decode()
    for person in (world.tom, world.gina, world.dev, world.lena):
        client.logout()
        sign_in(client, person)
        assert client.get(reverse(URL)).status_code == 404, person
        assert client.post(reverse(URL), FILLED).status_code == 404, person
    for person in (world.diana, world.hana, world.adam):
        client.logout()
        sign_in(client, person)
        assert client.get(reverse(URL)).status_code == 200, person


def test_saving_the_details_keeps_them_tidy_and_audits_what_changed(client, world):
    sign_in(client, world.hana)
    response = client.post(reverse(URL), FILLED)
    assert response.status_code == 302 and response["Location"].endswith("?saved=1")
    world.oakfield.refresh_from_db()
    assert world.oakfield.address == "Oakfield Lane\nBrightwater\nBW1 4OK"
    assert world.oakfield.address_lines == ["Oakfield Lane", "Brightwater", "BW1 4OK"]
    assert world.oakfield.safeguarding_contact == "Diana Dsl, designated safeguarding lead"
    event = AuditEvent.objects.filter(object_type="school").latest("seq")
    assert event.actor_id == world.hana.id and sorted(event.changed_fields) == sorted(FILLED)
    page = client.get(response["Location"]).content.decode()
    assert "The school’s details are saved" in page and "01632 960101" in page

    # The same again changes nothing, and nothing is audited.
    before = AuditEvent.objects.filter(object_type="school").count()
    assert client.post(reverse(URL), FILLED)["Location"].endswith("?saved=0")
    assert AuditEvent.objects.filter(object_type="school").count() == before


def test_a_safeguarding_telephone_needs_a_name_to_ask_for_and_what_was_typed_stays(client, world):
    sign_in(client, world.diana)
    response = client.post(reverse(URL), {**FILLED, "safeguarding_contact": "", "email": "not an address"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter an email address like office@school.example." in page
    assert "01632 960102" in page and "BW1 4OK" in page  # nothing typed is lost
    world.oakfield.refresh_from_db()
    assert world.oakfield.phone == ""
    response = client.post(reverse(URL), {**FILLED, "safeguarding_contact": ""})
    assert "Say whom families should ask for on the safeguarding telephone." in response.content.decode()


def test_j4_the_school_day_starts_at_0830_unless_the_school_says_otherwise(client, world):
    from datetime import time

    assert world.oakfield.day_starts_at == time(8, 30)
    sign_in(client, world.diana)
    assert 'value="08:30"' in client.get(reverse(URL)).content.decode()
    page = client.post(reverse(URL), {**FILLED, "day_starts_at": "half eight"}).content.decode()
    assert "Enter the time the school day starts" in page and "01632 960101" in page
    assert client.post(reverse(URL), {**FILLED, "day_starts_at": "08:45"}).status_code == 302
    world.oakfield.refresh_from_db()
    assert world.oakfield.day_starts_at == time(8, 45)
    event = AuditEvent.objects.filter(object_type="school").latest("seq")
    assert "day_starts_at" in event.changed_fields
