"""Access ladders for the pupil pages (rule H3) and the view events they write (rule H2)."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def page_without_per_request_tokens(response):
    """Strip what differs on every response (nonce, CSRF token, request id) to compare pages."""
    text = response.content.decode()
    text = re.sub(r'nonce="[^"]+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("url_name", ["schools:pupil_list", "schools:pupil_detail"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, url_name):
    url = reverse(url_name, args=[world.pupil.id] if url_name.endswith("detail") else [])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("person", ["eve", "otto"])
def test_r_h3_another_schools_safeguarding_lead_gets_not_found(client, world, person):
    sign_in(client, getattr(world, person))
    assert client.get(reverse("schools:pupil_detail", args=[world.pupil.id])).status_code == 404


@pytest.mark.parametrize("person", ["tom", "gina", "adam"])
def test_r_h3_roles_without_pupil_records_get_not_found(client, world, person):
    """Staff report concerns; governors see numbers (G4); the trust administrator manages accounts."""
    sign_in(client, getattr(world, person))
    assert client.get(reverse("schools:pupil_detail", args=[world.pupil.id])).status_code == 404
    assert client.get(reverse("schools:pupil_list")).status_code == 404
    assert not AuditEvent.objects.filter(action="view", object_type="pupil").exists()


@pytest.mark.parametrize("person", ["diana", "dev", "hana", "lena"])
def test_r_h2_the_safeguarding_team_sees_the_pupil_and_the_view_is_logged(client, world, person):
    user = getattr(world, person)
    sign_in(client, user)
    response = client.get(reverse("schools:pupil_detail", args=[world.pupil.id]))
    assert response.status_code == 200 and b"Quentin Puddlewick" in response.content
    event = AuditEvent.objects.get(action="view", object_type="pupil")
    assert (event.actor_id, event.object_id, event.school_id) == (user.id, str(world.pupil.id), world.oakfield.id)
    assert event.request_id == response["X-Request-ID"]


def test_r_h3_a_forbidden_pupil_looks_exactly_like_a_missing_one(client, world):
    sign_in(client, world.diana)
    forbidden = client.get(reverse("schools:pupil_detail", args=[world.elm_pupil.id]))
    missing = client.get(reverse("schools:pupil_detail", args=[world.elm_pupil.id + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert page_without_per_request_tokens(forbidden) == page_without_per_request_tokens(missing)


def test_the_pupil_list_searches_only_the_current_school(client, world):
    sign_in(client, world.lena)  # trust lead: Oakfield and Riverside, never Elmtree
    response = client.post(reverse("schools:pupil_list"), {"q": "ros"}, follow=True)
    assert response.status_code == 200 and b"Thistledown" not in response.content
    response = client.post(reverse("schools:pupil_list"), {"q": "quen"}, follow=True)
    assert b"Quentin Puddlewick" in response.content
    assert AuditEvent.objects.filter(action="view", object_type="pupil_list", actor=world.lena).count() == 2


def test_switching_school_only_to_one_the_user_belongs_to(client, world):
    sign_in(client, world.lena)
    client.post(reverse("schools:switch"), {"school": world.riverside.id, "next": "/pupils/"})
    assert client.session["harbour_school_id"] == world.riverside.id
    client.post(reverse("schools:switch"), {"school": world.elmtree.id})
    assert client.session["harbour_school_id"] == world.riverside.id
    response = client.post(reverse("schools:switch"), {"school": world.oakfield.id, "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("schools:switch")).status_code == 405
