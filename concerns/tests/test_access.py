"""Access ladders for every concerns view: anonymous, other school, wrong role, right role."""

import pytest
from django.urls import reverse

from concerns.models import Concern
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(client, world):
    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    client.logout()
    return Concern.objects.get()


def test_anonymous_visitors_are_sent_to_sign_in(client, concern):
    for url in [REPORT, reverse("concerns:mine"), reverse("concerns:inbox"),
                reverse("concerns:detail", args=[concern.id]), reverse("concerns:submitted", args=[concern.id])]:
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), url
    assert client.post(reverse("concerns:acknowledge", args=[concern.id])).status_code == 302
    assert Concern.objects.get().status == "received"


@pytest.mark.parametrize("person", ["eve", "otto"])
def test_another_schools_safeguarding_lead_gets_not_found(client, world, concern, person):
    sign_in(client, getattr(world, person))
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    assert client.post(reverse("concerns:acknowledge", args=[concern.id])).status_code == 404
    assert client.get(reverse("concerns:submitted", args=[concern.id])).status_code == 404
    assert f"C{concern.id:06d}" not in client.get(reverse("concerns:inbox")).content.decode()


@pytest.mark.parametrize("person", ["gina", "terry", "hana"])
def test_wrong_roles_get_not_found_for_the_dsl_queue(client, world, concern, person):
    sign_in(client, getattr(world, person))
    assert client.get(reverse("concerns:detail", args=[concern.id])).status_code == 404
    assert client.post(reverse("concerns:acknowledge", args=[concern.id])).status_code == 404
    assert Concern.objects.get().status == "received"


def test_the_trust_administrator_cannot_report(client, world):
    sign_in(client, world.adam)
    assert client.get(REPORT).status_code == 404


@pytest.mark.parametrize("person", ["diana", "dev", "lena"])
def test_the_safeguarding_team_sees_and_acknowledges(client, world, concern, person):
    sign_in(client, getattr(world, person))
    assert f"C{concern.id:06d}" in client.get(reverse("concerns:inbox")).content.decode()
    page = client.get(reverse("concerns:detail", args=[concern.id]))
    assert page.status_code == 200 and b"Milo Bramblecott" in page.content
    assert client.post(reverse("concerns:acknowledge", args=[concern.id])).status_code == 302
    assert Concern.objects.get().status == "acknowledged"


def test_acknowledging_needs_a_post(client, world, concern):
    sign_in(client, world.diana)
    assert client.get(reverse("concerns:acknowledge", args=[concern.id])).status_code == 405


@pytest.mark.parametrize("person", ["tom", "gina", "adam"])
def test_people_who_receive_no_concerns_have_no_inbox(client, world, person):
    sign_in(client, getattr(world, person))
    assert client.get(reverse("concerns:inbox")).status_code == 404
