"""The school sets when its staff get their digest of notices that can wait (A1, E7): the DSL or the trust
safeguarding lead, nobody else; each change audited."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import DigestTimes
from tests.people import sign_in

pytestmark = pytest.mark.django_db
URL = reverse("schools:digest_times")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("person", ["tom", "dev", "hana", "gina", "adam"])
def test_those_who_do_not_adapt_procedures_get_not_found(client, world, person):
    sign_in(client, getattr(world, person))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"times": "09:00"}).status_code == 404
    assert not DigestTimes.objects.exists()


def test_the_dsl_sees_the_default_times_and_sets_the_schools_own(client, world):
    sign_in(client, world.diana)
    page = client.get(URL).content.decode()
    assert 'value="07:30, 15:30"' in page
    response = client.post(URL, {"times": " 16:00 , 8:15"})
    assert response.status_code == 302
    assert DigestTimes.objects.get(school=world.oakfield).times == ["08:15", "16:00"]
    event = AuditEvent.objects.filter(object_type="digest_times").get()
    assert event.actor_id == world.diana.id and event.school_id == world.oakfield.id
    assert 'value="08:15, 16:00"' in client.get(URL).content.decode()


def test_another_schools_dsl_changes_only_their_own_school(client, world):
    sign_in(client, world.eve)
    assert client.post(URL, {"times": "09:00"}).status_code == 302
    assert list(DigestTimes.objects.values_list("school__slug", flat=True)) == [world.elmtree.slug]


@pytest.mark.parametrize("typed, message", [("", "Enter at least one time"), ("half seven", "24-hour clock"),
                                            ("25:00", "24-hour clock"), ("07:00,08:00,09:00,10:00,11:00", "at most 4")])
def test_times_that_are_not_times_are_refused_beside_the_box_with_what_was_typed(client, world, typed, message):
    sign_in(client, world.diana)
    page = client.post(URL, {"times": typed}).content.decode()
    assert message in page and f'value="{typed}"' in page
    assert not DigestTimes.objects.exists()
