"""Journey: the DSL's home page starts with what is waiting for them, and the notices page groups what they are
asked (A1, B6, E7); opening a notice leads to its item and marks it read. Both pages checked with axe-core."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import actions as case_actions
from cases.tests.helpers import make_case, make_concern
from notifications.models import Notification
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dsl_sets_the_schools_digest_times(page, world):
    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Email digest times").click()
    expect(page.get_by_role("heading", name="Email digest times")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Send the digest at").fill("half seven")
    page.get_by_role("button", name="Save times").click()
    expect(page.get_by_role("link", name="Write each time as hours and minutes")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Send the digest at").fill("08:00, 15:45")
    page.get_by_role("button", name="Save times").click()
    expect(page.get_by_text("The digest is now sent at 08:00 and 15:45 on school days.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)


def test_r_a1_r_e7_the_dsl_sees_what_waits_and_acts_on_a_notice(page, world):
    case = make_case(world)
    now = timezone.now()
    case.tasks.filter(completed_at=None).exclude(due_at=None).update(due_at=now - timedelta(hours=3))
    for task_id in case.tasks.overdue(now).values_list("id", flat=True):
        case_actions.escalate_task(task_id=task_id, now=now)
    concern = make_concern(world)

    sign_in_as(page, world.diana)
    expect(page.get_by_role("heading", level=2).first).to_have_text("Waiting for you")
    expect(page.get_by_role("link", name=f"{concern.reference}: Acknowledge this concern")).to_be_visible()
    overdue = rf"^{case.reference}: (1 step is overdue; it|\d+ steps are overdue; the earliest) was due .+$"
    expect(page.get_by_role("link", name=re.compile(overdue))).to_be_visible()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Concerns inbox")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    menu.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("New concerns (1)") < headings.index("Overdue steps (1)")
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("button", name=f"New concern {concern.reference}").click()
    expect(page).to_have_url(re.compile(rf"/concerns/{concern.id}/$"))
    assert Notification.objects.get(user=world.diana, key=f"concern:{concern.id}").read_at is not None
