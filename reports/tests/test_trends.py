"""Trends (G4): the DSL monitors incidents for gaps and trends; counted in the database, bounded in queries."""

import re

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from cases import actions
from reports import scope
from reports.figures import duration, figures
from reports.reporting import period_for_key
from reports.tests.helpers import acknowledged_at, at, case_at, close
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db
TODAY = at(2026, 2, 1, 12)


@pytest.fixture
def history(world):
    amy = make_pupil(world.oakfield, "Amy", "Larkspur", "A999000000101", year_group=9, sex="F")
    ben = make_pupil(world.oakfield, "Ben", "Ottershaw", "A999000000102", year_group=9, sex="M")
    cara = make_pupil(world.oakfield, "Cara", "Finchley", "A999000000103", year_group=8, sex="F")
    c1 = case_at(world, at(2025, 10, 6), children=[(amy, "pictured"), (ben, "shared_onward")])
    close(world, c1, at(2025, 10, 10))
    c2 = case_at(world, at(2025, 10, 20), "sextortion", children=[(amy, "pictured")])
    with time_machine.travel(at(2025, 10, 20, 12), tick=False):
        actions.record_decision(user=world.diana, case=c2, taken=True, choice="Called the police",
                                reason="Money was demanded.")
    c3 = case_at(world, at(2025, 11, 3), "cyberbullying", children=[(cara, "harmed")])
    close(world, c3, at(2025, 11, 20), referral=False)
    case_at(world, at(2025, 5, 12), "online-hate", children=[(world.pupil, "witness")])  # last school year
    case_at(world, at(2025, 10, 7), "staff-allegation", subject_staff=world.tom)
    acknowledged_at(world, at(2025, 10, 8), 90)
    return {"amy": amy, "ben": ben, "cara": cara}


def rows(rows_):
    return {r.label: r.value for r in rows_}


def test_r_g4_the_school_year_in_numbers(world, history):
    with time_machine.travel(TODAY, tick=False):
        f = figures(scope.cases(world.diana, [world.oakfield]), scope.concerns(world.diana, [world.oakfield]),
                    period_for_key("2025-autumn"))
    assert (f.total, f.children) == (3, 3)
    assert rows(f.by_type) == {"Sharing nudes or semi-nudes": 1, "Sextortion (threats to share images, often for "
                               "money)": 1, "Cyberbullying": 1}
    assert [(r.key, r.value) for r in f.by_area] == [("content", 0), ("contact", 0), ("conduct", 2), ("commerce", 1)]
    assert rows(f.by_year) == {"Year 8": 1, "Year 9": 2}
    assert rows(f.by_sex) == {"Female": 2, "Male": 1}
    assert [(r.key, r.value) for r in f.by_month] == [("2025-09", 0), ("2025-10", 2), ("2025-11", 1), ("2025-12", 0)]
    assert [(r.key, r.value) for r in f.by_term] == [("2025-autumn", 3)]
    assert rows(f.by_outcome)["Information, advice or support sought from other agencies"] == 2
    assert rows(f.by_outcome)["Not decided yet"] == 1
    assert (f.referred, f.referral_rate) == (1, 33)
    # Three concerns acknowledged when their case was opened 20 minutes on, one after 90 minutes.
    assert f.acknowledged == [20, 20, 20, 90]
    assert (f.median_acknowledged, f.acknowledged_in_time) == (20, 3)
    # First action: 2 hours (sextortion), 4 days (referral and steps), 17 days (steps done at closure).
    assert f.first_action == [120, 4 * 24 * 60, 17 * 24 * 60]
    assert duration(f.median_first_action) == "4 days"
    # Repeat involvement: Amy is in two cases.
    assert [(r.key, r.value) for r in f.repeat] == [("1", 2), ("2", 1), ("3+", 0)]
    assert f.repeat_children == 1


def test_year_group_is_the_childs_year_group_at_the_time(world, history):
    with time_machine.travel(TODAY, tick=False):
        f = figures(scope.cases(world.diana, [world.oakfield]), scope.concerns(world.diana, [world.oakfield]),
                    period_for_key("2024-summer"))
    assert f.total == 1
    assert rows(f.by_year) == {"Year 4": 1}  # Year 5 now


def test_r_a4_the_headteacher_counts_allegations_and_the_dsl_does_not(world, history):
    period = period_for_key("2025-autumn")
    with time_machine.travel(TODAY, tick=False):
        head = figures(scope.cases(world.hana, [world.oakfield]), scope.concerns(world.hana, [world.oakfield]), period)
        tom = figures(scope.cases(world.tom, [world.oakfield]), scope.concerns(world.tom, [world.oakfield]), period)
    assert head.total == 4 and rows(head.by_type)["Concern about a member of staff"] == 1
    assert tom.total == 0  # no oversight at all, and never of a case about himself


def test_the_trends_page_draws_each_chart_with_its_table(client, world, history):
    sign_in(client, world.diana)
    with time_machine.travel(TODAY, tick=True):
        response = client.get(reverse("reports:trends"), {"period": "2025-year"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('role="img"') == 10 and body.count("<title id=") == 10 and body.count("<desc id=") == 10
    assert body.count('<table class="govuk-table') == 10  # J2: the AI-made imagery figure among them
    assert "33% (1 of 3 incidents referred to another agency)" in body
    assert "Commerce: money, gambling and scams" in body
    for name in ("Amy", "Larkspur", "Ottershaw", "Finchley"):
        assert name not in body


def test_a_chosen_date_range_and_a_wrong_one(client, world, history):
    sign_in(client, world.diana)
    with time_machine.travel(TODAY, tick=True):
        body = client.get(reverse("reports:trends"), {"period": "range", "from-day": "1", "from-month": "10",
                                                      "from-year": "2025", "to-day": "31", "to-month": "10",
                                                      "to-year": "2025"}).content.decode()
        assert "1 October 2025 to 31 October 2025" in body
        assert re.search(r"Incidents reported\s*</dt>\s*<dd[^>]*>\s*2\s*</dd>", body)
        body = client.get(reverse("reports:trends"), {"period": "range", "from-day": "31", "from-month": "2",
                                                      "from-year": "2025"}).content.decode()
        assert "There is a problem" in body and "Enter the first and last day as real dates" in body


def test_the_trust_lead_sees_every_school_together(client, world, history):
    sign_in(client, world.lena)
    with time_machine.travel(TODAY, tick=True):
        body = client.get(reverse("reports:trends"), {"period": "2025-autumn", "school": "all"}).content.decode()
    assert "Every school of the trust" in body
    sign_in(client, world.diana)
    with time_machine.travel(TODAY, tick=True):
        body = client.get(reverse("reports:trends"), {"period": "2025-autumn", "school": "all"}).content.decode()
    assert "Every school of the trust" not in body  # the DSL's trends stay with her school


def test_trends_take_a_fixed_number_of_queries(client, world, history, django_assert_max_num_queries):
    sign_in(client, world.diana)
    with time_machine.travel(TODAY, tick=True):
        with django_assert_max_num_queries(30):
            client.get(reverse("reports:trends"), {"period": "2025-year"})
    for month in (9, 10, 11, 12):
        case_at(world, at(2025, month, 2), "cyberbullying", children=[(history["ben"], "harmed")])
    with time_machine.travel(TODAY, tick=True):
        with django_assert_max_num_queries(30):
            client.get(reverse("reports:trends"), {"period": "2025-year"})


def test_access_ladder_and_audit(client, world):
    url = reverse("reports:trends")
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    for wrong in ("tom", "gina", "terry", "adam", "carol"):
        sign_in(client, getattr(world, wrong))
        assert client.get(url).status_code == 404, wrong
    for right in ("diana", "dev", "hana", "lena"):
        sign_in(client, getattr(world, right))
        assert client.get(url).status_code == 200, right
    assert AuditEvent.objects.filter(object_type="trends", actor_id=world.lena.id).exists()
