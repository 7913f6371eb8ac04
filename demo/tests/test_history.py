"""The demo trust's year of incidents: enough for the dashboards, trends and packs to show something."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.log import verify_trail
from cases.models import Case
from demo import trust
from demo.history import seed_history
from reports import scope
from reports.figures import figures
from reports.reporting import Period
from reports.tests.test_dashboards import CARD
from schools.models import School
from tests.people import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_trust_has_a_year_of_incidents_at_its_own_dates(client):
    trust.seed()
    riverside = School.objects.get(slug="riverside")
    cases = Case.objects.filter(school=riverside)
    now = timezone.now()
    assert cases.filter(incident_recorded_at__lt=now - timedelta(days=200)).exists()
    assert cases.filter(status="closed").exclude(lessons_learnt="").count() >= 10
    assert cases.filter(status="open").exists()
    # Written the way Harbour writes them: the trail is intact, and running again adds nothing.
    assert verify_trail()[1] is None
    assert seed_history(riverside, count=34, seed=riverside.id) == 0

    dsl = User.objects.get(email=trust.demo_email("dsl", "riverside"))
    year = Period((now - timedelta(days=365)).date(), now.date() + timedelta(days=1), "the last year")
    f = figures(scope.cases(dsl, [riverside]), scope.concerns(dsl, [riverside]), year)
    assert f.total >= 30 and f.referred > 0 and f.repeat_children > 0
    assert sum(1 for r in f.by_month if r.value) >= 8  # spread over the year
    assert len({r.key for r in f.by_type}) >= 4

    sign_in(client, dsl)
    numbers = {key: int(n) for _, key, n in CARD.findall(client.get(reverse("reports:dashboard")).content.decode())}
    assert numbers["open-cases"] > 0
    assert client.get(reverse("reports:list", args=[riverside.id, "open-cases"])).status_code == 200
