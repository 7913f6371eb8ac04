"""J3 and J5 in one journey from the case page of a deepfake: the DSL records which member of staff the image shows
(a "name — role" picker, told plainly what follows), then records Report Remove offered to the child pictured,
with a hash typed in the notes refused beside the box and everything else kept; every page checked with axe-core."""

import hashlib

import pytest
from playwright.sync_api import expect

from cases.models import Takedown
from cases.tests.helpers import make_case
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_j3_j5_the_dsl_records_who_a_deepfake_shows_and_the_takedown_offer_from_the_case_page(page, world):
    case = make_case(world, "deepfake", children=[(world.pupil, "pictured")])
    sign_in_as(page, world.diana)
    page.goto(f"/cases/{case.id}/")
    expect(page.get_by_text("Not known yet whether the image shows an adult member of staff")).to_be_visible()
    page.get_by_role("link", name="Record who the image shows").first.click()
    expect(page.get_by_role("heading", name="Record the member of staff the image shows")).to_be_visible()
    expect(page.get_by_text("will not see this case unless you add them")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Member of staff").select_option(label="Tom Teacher — Member of staff")
    page.get_by_label("Reason or notes").fill("The pupils who made it named him.")
    page.get_by_role("button", name="Record who the image shows").click()
    expect(page.get_by_text("Recorded: the image shows Tom Teacher")).to_be_visible()
    section = page.locator("#staff-shown + p")
    expect(section).to_contain_text("Tom Teacher — Member of staff")
    expect(page.get_by_role("table", name="Steps for the member of staff")).to_contain_text("police")
    assert_accessible(page)

    page.get_by_role("link", name="Record the offer for each child").first.click()
    expect(page.get_by_role("heading", name="Report Remove and Take It Down")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record the offer for Quentin Puddlewick").click()
    expect(page.get_by_label("Report Remove (Childline and the Internet Watch Foundation)")).to_be_checked()
    page.get_by_label("Wants help to use it").check()
    digest = hashlib.sha256(b"never a picture").hexdigest()
    page.get_by_label("Notes").fill(f"The app showed {digest}")
    page.get_by_role("button", name="Save this record").click()
    expect(page.locator("#notes-error")).to_contain_text("never keeps the image or its hash")
    expect(page.get_by_label("Wants help to use it")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Notes").fill("Their form tutor will sit with them while they use it at home.")
    page.get_by_role("button", name="Save this record").click()
    expect(page.get_by_text("Recorded for Quentin Puddlewick.")).to_be_visible()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Wants help to use it")
    assert_accessible(page)
    row = Takedown.objects.get(case=case)
    assert (row.service, row.choice, row.recorded_by) == ("report_remove", "wants_help", world.diana)
    assert not case.tasks.get(key__startswith="short_term", title__contains="Report Remove").is_open
