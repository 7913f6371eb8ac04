"""A trust lead adapts a procedure for a school; every page on the way is accessible."""

import pytest
from playwright.sync_api import expect

from procedures import schema
from procedures.models import ProcedureOverride
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NUDES_V = schema.get("nudes-sharing")["version"]


def test_r_b6_the_dsl_adapts_sign_off_for_the_school(page, world):
    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Procedures", exact=True).click()  # from the home page's "What you can do"
    expect(page.get_by_role("heading", name="Procedures")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sharing nudes and semi-nudes (youth-produced sexual imagery)").click()
    expect(page.get_by_text(f"Version in force: Sharing nudes and semi-nudes v{NUDES_V}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Adapt for this school").click()
    assert_accessible(page)

    page.get_by_label("Trust safeguarding lead").uncheck()
    page.get_by_label("Due within (hours) for task 2").fill("soon")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a number of hours")
    expect(page.get_by_label("Due within (hours) for task 2")).to_have_value("soon")
    assert_accessible(page)

    page.get_by_label("Due within (hours) for task 2").fill("0.5")
    page.get_by_label("Why are you making this change?").fill("Our headteacher signs off alone, as agreed by governors")
    page.get_by_role("button", name="Save as a new version").click()
    in_force = f"Version in force: Sharing nudes and semi-nudes v{NUDES_V} · Oakfield Primary v1"
    expect(page.get_by_text(in_force)).to_be_visible()
    expect(page.get_by_text("headteacher and trust safeguarding lead → headteacher only")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert ProcedureOverride.objects.get().changes == {"sign_off_roles": ["headteacher"],
                                                       "task_due": {"immediate.2": 30}}
