"""The concern's page as the safeguarding lead opens it from the inbox: its clock, and only the rows that apply."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from concerns.models import Concern
from harbour.jinja2 import local_datetime
from tests.people import sign_in

from .tell_helpers import tell
from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db


def _page(client, concern):
    return client.get(reverse("concerns:detail", args=[concern.id])).content.decode()


def test_r_a1_the_concern_page_says_by_when_to_acknowledge_it_and_when_that_has_passed(client, world, settings):
    """Every clock shows its deadline: the page with the Acknowledge button says by when, as the inbox does."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.tom)
        client.post(REPORT, report_data(world)[0])
        concern = Concern.objects.get()
        due = local_datetime(concern.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES))
        sign_in(client, world.diana)
        assert f"Acknowledge it by {due}" in _page(client, concern)
        clock.shift(timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES + 1))
        sign_in(client, world.diana)  # the idle limit has passed meanwhile
        late = _page(client, concern)
        assert "Overdue" in late and f"It was due to be acknowledged by {due}" in late
        client.post(reverse("concerns:acknowledge", args=[concern.id]))
        assert 'id="acknowledge-by"' not in _page(client, concern)  # acknowledged: no clock left to show


def test_r_p3_a_pupils_report_shows_no_rows_for_questions_the_pupils_page_never_asks(client, world):
    """A pupil is not asked whom they told, where, or whether the DSL was told in person: "No" there would mislead."""
    tell(client, world.oakfield)
    sign_in(client, world.diana)
    pupil_page = _page(client, Concern.objects.get())
    assert "From a pupil" in pupil_page
    for row in ("Told the safeguarding team in person", "Told to", "When it happened"):
        assert row not in pupil_page
    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    sign_in(client, world.diana)
    staff_page = _page(client, Concern.objects.exclude(pupil_report__isnull=False).get())
    assert "Told the safeguarding team in person" in staff_page
    assert "Told to" in staff_page and "Tom Teacher" in staff_page
