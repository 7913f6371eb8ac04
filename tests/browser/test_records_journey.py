"""Journeys (H4, H6): a DSL asks to dispose of a record past its retention date and the headteacher
approves with password and code; a DSL reviews a subject access export. axe-core on every page."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.tests.helpers import code_for, make_case
from records.models import Tombstone
from records.tests.helpers import closed_case, grown_up
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.people import PASSWORD, make_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_h4_a_dsl_asks_to_dispose_and_the_headteacher_approves(page, world):
    case = closed_case(world, children=[(grown_up(world), "harmed")])
    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Records due for disposal").click()  # from the home page
    expect(page.get_by_role("heading", name="Records due for disposal")).to_be_visible()
    expect(page.get_by_role("table", name="Records to review")).to_contain_text(case.reference)
    assert_accessible(page)
    page.get_by_role("link", name=f"Ask to dispose of case {case.reference}").click()
    expect(page.get_by_role("heading", name=f"Dispose of case {case.reference}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask to dispose of this record").click()
    expect(page.get_by_role("link", name="Give the reason the record can be disposed of now.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why can this record be disposed of now?").fill(
        "The retention period has passed and no enquiry needs it.")
    page.get_by_role("button", name="Ask to dispose of this record").click()
    expect(page.get_by_text("A different person must approve it.")).to_be_visible()
    expect(page.get_by_role("table", name="Records to review")).to_contain_text("Waiting for approval")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The approval needs a fresh code, so the clock moves on a minute after signing in.
    clock = time_machine.travel(timezone.now() + timedelta(minutes=1), tick=True)
    traveller = clock.start()
    try:
        sign_in_as(page, world.hana)
        traveller.shift(timedelta(minutes=1))
        page.get_by_role("link", name="Records due for disposal").click()  # from the home page
        page.get_by_role("link", name=f"Approve or decline for case {case.reference}").click()
        expect(page.get_by_role("heading", name=f"Approve disposal of case {case.reference}")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Code from your authenticator app").fill(code_for(world.hana))
        page.get_by_role("button", name="Approve and dispose of the record").click()
        expect(page.get_by_text(f"Case {case.reference} has been disposed of.")).to_be_visible()
        expect(page.get_by_role("table", name="Disposed of")).to_contain_text("Hana Head")
        assert_accessible(page)
        assert_no_csp_violations(page)
    finally:
        clock.stop()
    assert not Case.objects.filter(id=case.id).exists()
    assert Tombstone.objects.get(record_id=case.id).requested_by == world.diana


def test_r_h6_a_dsl_reviews_a_subject_access_export(page, world):
    zara = make_pupil(world.oakfield, "Zara", "Fenwick", "A999000000031")
    make_case(world, children=[(world.pupil, "pictured"), (zara, "sent")],
              account="Quentin said Zara Fenwick sent the photo.")
    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Records due for disposal").click()  # from the home page
    page.get_by_role("link", name="Answer a subject access request").click()
    expect(page.get_by_role("heading", name="Subject access request")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name of the pupil, parent or carer, or member of staff").fill("Quentin")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Quentin Puddlewick").click()
    expect(page.get_by_role("heading", name="Review the export for Quentin Puddlewick")).to_be_visible()
    expect(page.get_by_text("Quentin said [another child] sent the photo.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Zara")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("button", name="Record the release").click()
    expect(page.get_by_role("link", name="Say how the export was given to the person.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Given in person").check()
    page.get_by_role("button", name="Record the release").click()
    expect(page.get_by_text("Release recorded.")).to_be_visible()
    expect(page.get_by_role("table", name="Released before")).to_contain_text("This version")
    assert_accessible(page)
    assert_no_csp_violations(page)
