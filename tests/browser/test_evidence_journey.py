"""Journey (C5, C7, E7): a DSL records a seized phone and a deletion with a deadline; the deadline
passes and the task escalates. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import actions as case_actions
from cases.tests.helpers import make_case
from notifications.models import Notification
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

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
