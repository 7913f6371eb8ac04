"""Journey (C1–C3, C5, C7, E7): a DSL records a seized phone, a viewing signed by viewer and witness, and a deletion
with a deadline; the deadline passes and the task escalates. axe-core on every page."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases import actions as case_actions
from cases.tests.helpers import code_for, make_case
from notifications.models import Notification
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as
from tests.people import PASSWORD

def sign(page, user):
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(code_for(user))
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Signed.")).to_be_visible()


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_c5_c7_seized_phone_and_deletion_deadline_escalates(page, world):
    case = make_case(world)
    sign_in_as(page, world.diana)
    page.goto(f"/cases/{case.id}/")
    page.get_by_role("link", name="Record a device").click()
    expect(page.get_by_role("heading", name="Record a device")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Whose device is it?").fill("Quentin Puddlewick")
    page.get_by_label("Make and model").fill("Blue phone, cracked case")
    page.get_by_label("Flight mode (kept switched on)").check()
    page.get_by_label("Kept in a secure place at school").check()
    page.get_by_label("Where is it, or who has it?").fill("DSL office safe")
    page.get_by_role("button", name="Save device").click()
    expect(page.get_by_text("Device recorded.")).to_be_visible()
    expect(page.get_by_role("table", name="Devices in safe keeping")).to_contain_text("DSL office safe")
    assert_accessible(page)

    # C1–C3: a viewing record, then the viewer's and the witness's signatures.
    page.get_by_role("link", name="Record that imagery was viewed").click()
    expect(page.get_by_role("heading", name="Record that imagery was viewed")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("It was the only way to decide whether to involve other agencies").check()
    page.get_by_role("group", name="Would viewing cause a child significant distress or harm?").get_by_label(
        "No, it would not").check()
    page.get_by_label("Senior colleagues consulted before viewing").fill("Hana Head, headteacher")
    # Issue 20.5: "name — role", the safeguarding team first.
    witness = page.get_by_label("Member of staff present as witness")
    expect(witness.locator("option").nth(1)).to_have_text("Dev Deputy — Deputy designated safeguarding lead")
    witness.select_option(label="Dev Deputy — Deputy designated safeguarding lead")
    page.get_by_label("Where", exact=True).fill("DSL office, door closed")
    page.get_by_role("group", name="Was it on the school premises, in private?").get_by_label("Yes").check()
    page.get_by_role("group", name="Were you the same sex as the child?").get_by_label("Yes").check()
    page.get_by_label("What was done as a result").fill("Decided a referral to social care is not needed.")
    page.get_by_role("group", name="Had the imagery already been copied, printed or saved?").get_by_label("No").check()
    page.get_by_role("button", name="Save, then sign").click()
    expect(page.get_by_text("Viewing recorded.")).to_be_visible()
    # Each signature needs a fresh code, so the clock moves on a minute between codes.
    clock = time_machine.travel(timezone.now() + timedelta(minutes=1), tick=True)
    traveller = clock.start()
    try:
        page.get_by_role("link", name="Sign this record").click()
        assert_accessible(page)
        sign(page, world.diana)
        page.get_by_role("button", name="Sign out").click()
        traveller.shift(timedelta(minutes=1))
        sign_in_as(page, world.dev)
        page.goto(f"/cases/{case.id}/")
        traveller.shift(timedelta(minutes=1))
        page.get_by_role("link", name="Sign this record").click()
        sign(page, world.dev)
        expect(page.get_by_text("Signed by viewer and witness")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        traveller.shift(timedelta(minutes=1))
        sign_in_as(page, world.diana)
        page.goto(f"/cases/{case.id}/")
        _deletion_and_escalation(page, world, case)
    finally:
        clock.stop()


def _deletion_and_escalation(page, world, case):
    page.get_by_role("link", name="Ask a child to delete imagery").click()
    assert_accessible(page)
    page.get_by_label("Quentin Puddlewick").check()
    page.get_by_label("I reminded the child that having the image is illegal").check()
    page.get_by_label("I explained what happens if it is not deleted").check()
    for label in ("Every device", "Cloud storage and back-ups", "Social media and messaging apps"):
        page.get_by_label(label).check()
    deadline = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Deadline to confirm").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save, with the deadline").click()
    expect(page.get_by_text("Deletion recorded")).to_be_visible()
    assert_accessible(page)

    # The deadline passes without confirmation: the worker escalates the task.
    task = case.deletions.get().task
    assert case_actions.escalate_task(task_id=task.id, now=task.due_at + timedelta(minutes=1))
    assert Notification.objects.filter(user=world.dev, text__contains="overdue").exists()
    page.reload()
    expect(page.locator("#chronology ~ .moj-timeline").get_by_text("Overdue since")).to_be_visible()
    assert_accessible(page)
