"""The pages people meet when something goes wrong are accessible too."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.people import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_h3_the_not_found_page_is_accessible(page, world):
    sign_in_as(page, world.diana)
    response = page.goto(f"/pupils/{world.elm_pupil.id}/")  # another school's pupil: a plain 404
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)


def test_r_s2_the_locked_out_page_is_accessible(page, world):
    page.goto("/account/sign-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Email address").fill("tom@oakfield.example")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Too many attempts to sign in")).to_be_visible()
    assert_accessible(page)
    # Even the right password is refused from here now.
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill("tom@oakfield.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Too many attempts to sign in")).to_be_visible()
