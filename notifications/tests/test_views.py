"""In-app notices: seen in the navigation, opened with a POST, never another person's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.people import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world):
    return Notification.objects.create(
        user=world.diana,
        school=world.oakfield,
        created_at=timezone.now(),
        text="A new concern is waiting for you at Oakfield Primary",
        url="/concerns/inbox/",
    )


def test_r_a1_the_dsl_sees_the_unread_count_and_the_notice(client, world, notice):
    sign_in(client, world.diana)
    home = client.get(reverse("home")).content.decode()
    assert '<span class="harbour-count">1<span class="govuk-visually-hidden"> unread</span>' in home
    assert "A new concern is waiting" in client.get(reverse("notifications:list")).content.decode()


def test_opening_a_notice_marks_it_read_and_follows_it(client, world, notice):
    sign_in(client, world.diana)
    assert client.get(reverse("notifications:open", args=[notice.id])).status_code == 405
    response = client.post(reverse("notifications:open", args=[notice.id]))
    assert response["Location"] == "/concerns/inbox/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "harbour-count" not in client.get(reverse("home")).content.decode()


def test_another_persons_notice_is_not_found(client, world, notice):
    sign_in(client, world.eve)
    assert client.post(reverse("notifications:open", args=[notice.id])).status_code == 404
    assert b"A new concern is waiting" not in client.get(reverse("notifications:list")).content
    notice.refresh_from_db()
    assert notice.read_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, notice):
    assert client.get(reverse("notifications:list"))["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("notifications:open", args=[notice.id])).status_code == 302


def test_mark_all_read(client, world, notice):
    sign_in(client, world.diana)
    client.post(reverse("notifications:mark_all_read"))
    assert Notification.objects.filter(user=world.diana).unread().count() == 0
