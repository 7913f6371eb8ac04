"""A trust administrator adds a school from the home page (issue 21.2), checked with axe: a wrong URN is shown
beside its box with everything else kept, then the school is added and the next steps are offered."""

import pytest
from playwright.sync_api import expect

from schools.models import School
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_j8_the_trust_administrator_adds_a_school_from_the_home_page(page, world):
    sign_in_as(page, world.adam)
    page.get_by_role("link", name="Add a school").click()
    expect(page.get_by_role("heading", name="Add a school")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("School name").fill("Hillside Primary School")
    page.get_by_label("Unique reference number (URN)").fill("12345")
    page.get_by_role("radio", name="Primary").check()
    expect(page.get_by_role("radio", name="England")).to_be_checked()
    page.get_by_label("Postal address (optional)").fill("1 Hill Road\nBrightwater\nBW2 1HS")
    page.get_by_role("button", name="Add the school").click()
    expect(page.get_by_role("alert")).to_contain_text("6 digits, like 123456")
    expect(page.get_by_label("Postal address (optional)")).to_have_value("1 Hill Road\nBrightwater\nBW2 1HS")
    expect(page.get_by_role("radio", name="Primary")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Unique reference number (URN)").fill("123456")
    page.get_by_role("button", name="Add the school").click()
    expect(page.get_by_role("heading", name="Hillside Primary School is added")).to_be_visible()
    assert_accessible(page)
    school = School.objects.get(urn="123456")
    assert (school.trust_id, school.nation, school.address_lines[-1]) == (world.trust.id, "england", "BW2 1HS")
    page.get_by_role("link", name="Import the school’s staff").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
