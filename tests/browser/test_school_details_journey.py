"""The headteacher fills in the school's details from the home page (issue 20.9), checked with axe at desktop
and phone widths; the letters print them (advice/tests/test_letters.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_headteacher_fills_in_the_schools_details_from_the_home_page(page, world):
    sign_in_as(page, world.hana)
    page.get_by_role("link", name="School details").click()
    expect(page.get_by_role("heading", name="School details")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Postal address").fill("Oakfield Lane\nBrightwater\nBW1 4OK")
    page.get_by_label("Telephone", exact=True).fill("01632 960101")
    page.get_by_label("Email for families (optional)").fill("not an address")
    page.get_by_label("Safeguarding telephone (optional)").fill("01632 960102")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter an email address like office@school.example.")
    expect(page.get_by_label("Postal address")).to_have_value("Oakfield Lane\nBrightwater\nBW1 4OK")
    assert_accessible(page)
    page.get_by_label("Email for families (optional)").fill("office@oakfield.example")
    page.get_by_label("Safeguarding contact", exact=True).fill("Diana Dsl, designated safeguarding lead")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("The school’s details are saved.")).to_be_visible()
    assert_accessible(page)
    world.oakfield.refresh_from_db()
    assert world.oakfield.safeguarding_phone == "01632 960102" and world.oakfield.email == "office@oakfield.example"
