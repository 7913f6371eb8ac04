"""Journey (rule P6): as a teacher writes a report, suggestions for a clearer record appear below the box a second
after typing stops, without moving anything on the page, announced once; the report is sent whatever they say."""

import pytest
from playwright.sync_api import expect

from concerns.models import Concern
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_p6_suggestions_appear_as_a_teacher_writes_and_never_stop_the_report(page, world):
    sign_in_as(page, world.tom)
    page.goto("/concerns/report/")
    page.get_by_label("Other online-safety concern").check()
    button = page.get_by_role("button", name="Send report")
    where = "b => b.getBoundingClientRect().top + window.scrollY"  # from the top of the page, whatever the scroll
    before = button.evaluate(where)
    page.get_by_label("What did the child say, or what did you see?").fill("JB said she was upset.")
    summary = page.locator("#account-suggestions-summary")
    expect(summary).to_have_text("3 suggestions for a clearer record")
    assert button.evaluate(where) == before  # nothing below the box moved
    expect(page.locator("#account-suggestions-status")).to_have_text(
        "3 suggestions for a clearer record, below the box.")
    page.locator("#account-suggestions summary").click()
    expect(page.locator("#account-suggestions-list")).to_contain_text("Initials instead of names")
    # Put right: the box opened stays open, and the change is said once.
    page.get_by_label("What did the child say, or what did you see?").fill(
        'At 10:20am Jade Bell said "someone posted my photo". She was crying.')
    expect(summary).to_have_text("Suggestions for a clearer record")
    expect(page.locator("#account-suggestions-list")).to_contain_text("Nothing to suggest so far")
    expect(page.locator("#account-suggestions")).to_have_attribute("open", "")
    assert_accessible(page)
    assert_no_csp_violations(page)
    page.get_by_label("What did the child say, or what did you see?").fill("JB said she was upset.")
    page.get_by_role("group", name="Have you told the designated safeguarding lead in person?").get_by_label(
        "Yes").check()
    button.click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert Concern.objects.get().account == "JB said she was upset."
