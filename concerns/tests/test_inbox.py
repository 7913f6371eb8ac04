"""The DSL inbox: every waiting concern, the longest waiting first; then the acknowledged ones, a page at a time."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from concerns.models import Concern
from tests.people import sign_in

from .test_report import REPORT, report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(client, world):
    """One concern reported through the form, copied: 3 waiting and 30 acknowledged, an hour apart."""
    sign_in(client, world.tom)
    client.post(REPORT, report_data(world)[0])
    original = Concern.objects.get()
    now = timezone.now()
    made = []
    for i in range(33):
        copy = Concern.objects.get(pk=original.pk)
        copy.pk = None
        copy.idempotency_key = uuid.uuid4()
        if i >= 3:
            copy.status, copy.acknowledged_at, copy.acknowledged_by = Concern.Status.ACKNOWLEDGED, now, world.diana
        copy.save()
        Concern.objects.filter(pk=copy.pk).update(created_at=now - timedelta(hours=i + 1))
        made.append(copy.pk)
    Concern.objects.filter(pk=original.pk).update(status=Concern.Status.CLOSED, acknowledged_at=now)  # out of the inbox
    return made


def refs(html, section):
    part = html.split(f'id="{section}"')[1].split('<h2')[0]
    return re.findall(r">(C\d{6})</a>", part)


def test_r_a1_waiting_concerns_come_first_the_longest_waiting_at_the_top(client, world, many):
    sign_in(client, world.diana)
    html = client.get(reverse("concerns:inbox")).content.decode()
    assert refs(html, "waiting") == [f"C{pk:06d}" for pk in reversed(many[:3])]


def test_acknowledged_concerns_are_shown_25_at_a_time_newest_first(client, world, many):
    sign_in(client, world.diana)
    first = client.get(reverse("concerns:inbox")).content.decode()
    assert refs(first, "acknowledged") == [f"C{pk:06d}" for pk in many[3:28]]
    assert "Showing 1 to 25 of 30, newest first." in first
    assert 'aria-label="Pages of acknowledged concerns"' in first and 'href="?page=2"' in first
    second = client.get(reverse("concerns:inbox"), {"page": "2"}).content.decode()
    assert refs(second, "acknowledged") == [f"C{pk:06d}" for pk in many[28:]]
    assert refs(second, "waiting") == refs(first, "waiting")  # the waiting ones are on every page
    assert "Showing 26 to 30 of 30" in second and 'rel="prev"' in second and 'rel="next"' not in second
    view = AuditEvent.objects.filter(object_type="concern_inbox").latest("seq")
    assert view.detail == {"shown": 8, "page": 2}


@pytest.mark.parametrize("page", ["0", "99", "two", "-1", "", "2" * 40])
def test_a_page_that_does_not_exist_shows_the_nearest_real_one(client, world, many, page):
    sign_in(client, world.diana)
    response = client.get(reverse("concerns:inbox"), {"page": page})
    assert response.status_code == 200
    shown = refs(response.content.decode(), "acknowledged")
    assert shown in ([f"C{pk:06d}" for pk in many[3:28]], [f"C{pk:06d}" for pk in many[28:]])


def test_an_empty_inbox_says_so(client, world):
    sign_in(client, world.diana)
    assert "There are no open concerns." in client.get(reverse("concerns:inbox")).content.decode()


def test_a1_the_inbox_takes_the_same_queries_for_many_rows_of_every_kind_as_for_one(client, world):
    """Issue 24: a row reads nothing of its own (its kind's words come from a map made once, its children are
    counted in the list's query), whether waiting, acknowledged, urgent or from a pupil's own report."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.tests.helpers import make_concern
    from concerns import actions

    make_concern(world, "online-hate", children=[])
    actions.acknowledge(user=world.diana, concern=make_concern(world, "online-hate", children=[]))
    sign_in(client, world.diana)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("concerns:inbox")).status_code == 200
    for kind in ("sextortion", "cyberbullying", "nudes-sharing"):
        actions.acknowledge(user=world.diana, concern=make_concern(world, kind))
        make_concern(world, kind, children=[(world.pupil, "harmed")])
    with CaptureQueriesContext(connection) as many_rows:
        page = client.get(reverse("concerns:inbox")).content.decode()
    assert page.count('class="govuk-table__row"') == 8 + 2  # the rows and the two tables' headers
    assert "Sextortion" in page and "Acknowledged" in page
    assert len(many_rows) == len(one)
