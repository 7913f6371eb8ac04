"""Leaders' journeys (G3, G4): a headteacher opens the dashboard and the termly pack; a governor sees
the governor report and nothing else. axe-core on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.tests.helpers import at, case_at, close
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.people import make_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _incidents(world):
    pupils = [make_pupil(world.oakfield, f"Child{i}", "Larkbridge", f"A99900000090{i}", year_group=7 + i % 3,
                         sex="FM"[i % 2]) for i in range(6)]
    now = timezone.localtime()
    cases = [case_at(world, now.replace(hour=9) - timedelta(days=2 + i), "cyberbullying",
                     children=[(p, "harmed")]) for i, p in enumerate(pupils)]
    close(world, cases[0], now - timedelta(days=1), lessons="Talk to the whole year group sooner.")
    case_at(world, at(2025, 10, 1), "staff-allegation", subject_staff=world.tom)
    return cases


def test_a_headteacher_opens_the_dashboard_a_list_trends_and_the_termly_pack(page, world):
    _incidents(world)
    sign_in_as(page, world.hana)
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("link", name=re.compile(r"^\d+ Open cases")).click()
    expect(page.get_by_role("heading", name="Open cases", level=1)).to_be_visible()
    assert_accessible(page)

    page.goto("/reports/trends/")
    expect(page.get_by_role("heading", name="Trends", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Incidents by kind"))).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("link", name="Termly review pack").first.click()
    expect(page.get_by_role("heading", name="Termly review pack", level=1)).to_be_visible()
    expect(page.get_by_text("Talk to the whole year group sooner.")).to_be_visible()
    assert_accessible(page)
    with page.expect_response(lambda r: "termly-pack.pdf" in r.url) as response:
        href = page.get_by_role("link", name=re.compile("Download as PDF")).get_attribute("href")
        page.evaluate("url => fetch(url)", href)
    assert response.value.headers["content-type"] == "application/pdf"


def test_a_governor_sees_the_governor_report_and_nothing_else(page, world):
    _incidents(world)
    sign_in_as(page, world.gina)
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Cases")).to_have_count(0)
    expect(nav.get_by_role("link", name="Dashboard")).to_have_count(0)
    nav.get_by_role("link", name="Governor report").click()
    expect(page.get_by_role("heading", name="Governor report", level=1)).to_be_visible()
    expect(page.get_by_text("Larkbridge")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Leadership pages")).to_have_count(0)
    assert_accessible(page)
    assert_no_csp_violations(page)
    for url in ("/cases/", "/reports/", "/reports/termly-pack/", "/reports/trends/", "/concerns/inbox/"):
        response = page.goto(url)
        assert response.status == 404, url


def test_the_trust_lead_compares_schools(page, world):
    _incidents(world)
    sign_in_as(page, world.lena)
    page.goto("/reports/trust/")
    expect(page.get_by_role("heading", name="Trust overview", level=1)).to_be_visible()
    assert_accessible(page)
    page.goto("/reports/governor-report/")
    expect(page.get_by_role("heading", name="Governor report", level=1)).to_be_visible()
    assert_accessible(page)
