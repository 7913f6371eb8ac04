"""J8: the headteacher says the school is in Scotland on "School details", and the report page at once names the
child protection coordinator instead of the designated safeguarding lead; both pages checked with axe."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_j8_a_school_set_to_scotland_speaks_of_its_child_protection_coordinator(page, world):
    sign_in_as(page, world.hana)
    page.get_by_role("link", name="School details").click()
    expect(page.get_by_role("group", name="The nation the school is in").get_by_label("England")).to_be_checked()
    page.get_by_role("group", name="The nation the school is in").get_by_label("Scotland").check()
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("The school’s details are saved.")).to_be_visible()
    assert_accessible(page)
    world.oakfield.refresh_from_db()
    assert world.oakfield.nation == "scotland"

    page.goto(page.url.split("/account/")[0] + "/concerns/report/")
    expect(page.get_by_text("If a child is in immediate danger, call 999 now and then tell your child protection "
                            "coordinator in person.")).to_be_visible()
    expect(page.get_by_role("group", name="Have you told the child protection coordinator in person?")).to_be_visible()
    assert "designated safeguarding lead" not in page.content()
    assert_accessible(page)
