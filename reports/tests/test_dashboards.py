"""Dashboards: every number equals the list it opens, each viewer sees only what they may (G4, H3, A4)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import actions
from cases.tests.helpers import ALL_NO, make_case, make_concern
from reports.dashboard import MEASURES
from tests.people import make_user, sign_in

pytestmark = pytest.mark.django_db

CARD = re.compile(r'href="/reports/schools/(\d+)/([a-z-]+)/">\s*<span class="reports-card__number">(\d+)</span>')
TRUST_CELL = re.compile(r'href="/reports/schools/(\d+)/([a-z-]+)/">(\d+)<span')
ROW = re.compile(r'<tr class="govuk-table__row">')


@pytest.fixture
def busy(world):
    """Oakfield with something behind every number; Riverside and Elmtree with a little."""
    three_days_ago = timezone.now() - timedelta(days=3)
    with time_machine.travel(three_days_ago, tick=False):
        overdue = make_case(world)  # immediate tasks long past due, later ones due this week
        waiting = make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
        actions.update_answers(user=world.diana, case=waiting, facts=ALL_NO)
        actions.decide_not_to_refer(user=world.diana, case=waiting, reason="Consensual, no malice.")
        make_concern(world, "online-hate")  # not acknowledged
        make_concern(world, "sextortion")  # not acknowledged
        allegation = make_case(world, "staff-allegation", subject_staff=world.tom)
        make_concern(world, "staff-allegation", subject_staff=world.terry)  # to the head, not acknowledged
        about_head = make_concern(world, "staff-allegation", subject_staff=world.hana)  # to the chair (A4)
        riverside_dsl = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")
        from concerns.actions import Report, submit_concern
        import uuid

        concern, _x = submit_concern(user=riverside_dsl, school=world.riverside, idempotency_key=uuid.uuid4(),
                                     report=Report(incident_type="cyberbullying", account="Group chat.", children=[]))
        actions.open_case(user=riverside_dsl, concern=concern)
        elm, _y = submit_concern(user=world.eve, school=world.elmtree, idempotency_key=uuid.uuid4(),
                                 report=Report(incident_type="cyberbullying", account="Elsewhere.", children=[]))
    return {"overdue": overdue, "waiting": waiting, "allegation": allegation, "about_head": about_head}


def cards(response):
    return {(int(s), key): int(n) for s, key, n in CARD.findall(response.content.decode())}


def list_length(client, school_id, key):
    response = client.get(reverse("reports:list", args=[school_id, key]))
    assert response.status_code == 200
    body = response.content.decode()
    return len(ROW.findall(body)) - 1 if "<tbody" in body else 0  # less the header row


@pytest.mark.parametrize("who", ["diana", "dev", "hana", "lena"])
def test_r_g4_every_dashboard_number_equals_the_length_of_the_list_it_opens(client, world, busy, who):
    sign_in(client, getattr(world, who))
    numbers = cards(client.get(reverse("reports:dashboard")))
    assert numbers, "the dashboard shows numbers"
    for (school_id, key), number in numbers.items():
        assert list_length(client, school_id, key) == number, (who, key)
    # Not a vacuous equality: something is behind most numbers.
    assert sum(1 for n in numbers.values() if n) >= 5


def test_r_g4_the_trust_lead_sees_every_school_side_by_side_and_each_number_equals_its_list(client, world, busy):
    sign_in(client, world.lena)
    response = client.get(reverse("reports:trust"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Oakfield Primary" in body and "Riverside Academy" in body and "Elmtree" not in body
    cells = TRUST_CELL.findall(body)
    assert {int(s) for s, _, _ in cells} == {world.oakfield.id, world.riverside.id}
    for school_id, key, number in cells:
        assert list_length(client, int(school_id), key) == int(number), (school_id, key)
    assert ("%d" % world.riverside.id, "open-cases", "1") in cells


def test_the_dsl_sees_the_safeguarding_teams_numbers_and_no_concern_about_staff(client, world, busy):
    """Rule A4: concerns about staff go to the headteacher (or the chair), never the DSL's numbers."""
    sign_in(client, world.diana)
    numbers = cards(client.get(reverse("reports:dashboard")))
    school = world.oakfield.id
    assert numbers[(school, "open-cases")] == 2
    assert numbers[(school, "unacknowledged")] == 2
    assert numbers[(school, "sign-offs")] == 1
    assert numbers[(school, "overdue-tasks")] > 0
    assert (school, "staff-allegations") not in numbers
    assert client.get(reverse("reports:list", args=[school, "staff-allegations"])).status_code == 404


def test_r_a4_the_headteacher_sees_allegations_but_never_one_about_themselves(client, world, busy):
    sign_in(client, world.hana)
    numbers = cards(client.get(reverse("reports:dashboard")))
    school = world.oakfield.id
    assert numbers[(school, "staff-allegations")] == 1
    assert numbers[(school, "open-cases")] == 3  # two of the team's, one allegation
    assert numbers[(school, "unacknowledged")] == 3  # two of the team's, one about Terry; none about Hana
    body = client.get(reverse("reports:list", args=[school, "unacknowledged"])).content.decode()
    assert busy["about_head"].reference not in body


def test_r_h3_the_head_oversees_the_teams_cases_by_reference_only_and_cannot_open_them(client, world, busy):
    sign_in(client, world.hana)
    body = client.get(reverse("reports:list", args=[world.oakfield.id, "open-cases"])).content.decode()
    overdue, allegation = busy["overdue"], busy["allegation"]
    assert overdue.reference in body and reverse("cases:detail", args=[overdue.id]) not in body
    assert reverse("cases:detail", args=[allegation.id]) in body  # the head runs this one
    assert world.pupil.legal_last_name not in body and world.pupil.legal_first_name not in body
    assert client.get(reverse("cases:detail", args=[overdue.id])).status_code == 404


def test_the_dsl_list_links_each_case_and_concern(client, world, busy):
    sign_in(client, world.diana)
    body = client.get(reverse("reports:list", args=[world.oakfield.id, "open-cases"])).content.decode()
    assert reverse("cases:detail", args=[busy["overdue"].id]) in body
    body = client.get(reverse("reports:list", args=[world.oakfield.id, "unacknowledged"])).content.decode()
    assert len(re.findall(r'href="/concerns/\d+/', body)) == 2  # the navigation's inbox link aside


# -- Access ladders --------------------------------------------------------------------

def urls(world):
    return [reverse("reports:dashboard")] + [reverse("reports:list", args=[world.oakfield.id, m.key])
                                             for m in MEASURES if m.key != "staff-allegations"]


def test_anonymous_is_sent_to_sign_in(client, world):
    for url in urls(world) + [reverse("reports:trust")]:
        assert client.get(url)["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("wrong_role", ["tom", "gina", "terry", "adam", "carol"])
def test_h3_wrong_roles_get_404(client, world, wrong_role):
    sign_in(client, getattr(world, wrong_role))
    for url in urls(world) + [reverse("reports:trust")]:
        assert client.get(url).status_code == 404, (wrong_role, url)


@pytest.mark.parametrize("stranger", ["eve", "otto"])
def test_h3_another_schools_leaders_get_404_for_every_list_here_and_see_only_their_own(client, world, busy, stranger):
    sign_in(client, getattr(world, stranger))
    for url in urls(world)[1:]:
        assert client.get(url).status_code == 404, (stranger, url)
    body = client.get(reverse("reports:dashboard")).content.decode()
    assert "Oakfield" not in body and f"/reports/schools/{world.oakfield.id}/" not in body


@pytest.mark.parametrize("who", ["diana", "dev", "hana", "lena"])
def test_the_right_roles_reach_their_dashboard(client, world, who):
    sign_in(client, getattr(world, who))
    for url in urls(world):
        assert client.get(url).status_code == 200, (who, url)


def test_only_the_trust_lead_reaches_the_trust_overview_and_a_missing_list_is_a_404(client, world):
    sign_in(client, world.diana)
    assert client.get(reverse("reports:trust")).status_code == 404
    assert client.get(reverse("reports:list", args=[world.oakfield.id, "no-such-list"])).status_code == 404
    assert client.get(reverse("reports:list", args=[999999, "open-cases"])).status_code == 404
    assert client.get(reverse("reports:list", args=[world.elmtree.id, "open-cases"])).status_code == 404
    sign_in(client, world.lena)
    assert client.get(reverse("reports:trust")).status_code == 200
    assert client.get(reverse("reports:list", args=[world.elmtree.id, "open-cases"])).status_code == 404


def test_r_h2_reading_a_dashboard_and_a_list_is_audited(client, world, busy):
    sign_in(client, world.diana)
    client.get(reverse("reports:dashboard"))
    client.get(reverse("reports:list", args=[world.oakfield.id, "open-cases"]))
    events = AuditEvent.objects.filter(actor_id=world.diana.id, action="view")
    assert events.filter(object_type="dashboard", school_id=world.oakfield.id).exists()
    assert events.filter(object_type="dashboard_list", detail__list="open-cases", detail__shown=2).exists()


def test_the_dashboard_is_the_first_step_on_the_home_page_and_in_the_navigation(client, world):
    sign_in(client, world.diana)
    body = client.get(reverse("home")).content.decode()
    assert body.index('href="/reports/"') < body.index('href="/concerns/report/"')
    sign_in(client, world.gina)
    body = client.get(reverse("home")).content.decode()
    assert 'href="/reports/"' not in body and 'href="/reports/governor-report/"' in body


# -- Query bounds ----------------------------------------------------------------------

def test_dashboards_and_lists_take_a_fixed_number_of_queries(client, world, busy, django_assert_max_num_queries):
    sign_in(client, world.lena)
    for url in [reverse("reports:dashboard"), reverse("reports:trust")] + urls(world)[1:]:
        with django_assert_max_num_queries(24):
            assert client.get(url).status_code == 200
    # Ten more cases change nothing.
    for _ in range(10):
        make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    for url in [reverse("reports:dashboard"), reverse("reports:trust")] + urls(world)[1:]:
        with django_assert_max_num_queries(24):
            assert client.get(url).status_code == 200


def test_r_g4_overdue_and_due_this_week_are_counted_in_one_query_and_each_still_equals_its_list(world, busy):
    """Issue 24: the steps overdue and those due this week are the same rows (a week's outstanding steps of the open
    cases overseen) counted twice, so one query counts both; each list is exactly the rows its number counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import dashboard

    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        counts = dashboard.counts(world.diana, [world.oakfield], now)
    assert sum('"cases_task"' in q["sql"] for q in queries.captured_queries) == 1
    applying = [m for m in MEASURES if m.applies(world.diana, world.oakfield)]
    assert len(queries.captured_queries) == len(applying) - 1
    for key in ("overdue-tasks", "due-this-week"):
        rows = dashboard.rows(dashboard.BY_KEY[key], world.diana, world.oakfield, now)
        assert counts[key][world.oakfield.id] == len(rows) > 0
    overdue = {t.id for t in dashboard.rows(dashboard.BY_KEY["overdue-tasks"], world.diana, world.oakfield, now)}
    due = {t.id for t in dashboard.rows(dashboard.BY_KEY["due-this-week"], world.diana, world.oakfield, now)}
    assert not overdue & due
    assert all(t.due_at < now for t in dashboard.rows(dashboard.BY_KEY["overdue-tasks"], world.diana,
                                                      world.oakfield, now))
