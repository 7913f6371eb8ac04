"""Journey: a DSL with a long inbox: the waiting concerns first, then the acknowledged ones a page at a time
(issue 9), each page checked with axe-core."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from concerns.models import Concern
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_inbox_shows_waiting_concerns_then_pages_of_acknowledged_ones(page, world):
    now = timezone.now()
    made = []
    for i in range(30):
        concern = Concern.objects.create(
            school=world.oakfield, reported_by=world.tom, incident_type="cyberbullying", route="dsl",
            account=f"Inbox page test {i}", idempotency_key=uuid.uuid4(),
            status="received" if i < 2 else "acknowledged", acknowledged_at=None if i < 2 else now,
            acknowledged_by=None if i < 2 else world.diana, created_at=now - timedelta(hours=i + 1))
        made.append(concern)

    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Concerns inbox").click()
    expect(page.get_by_role("heading", name="Waiting to be acknowledged")).to_be_visible()
    waiting = page.get_by_role("table", name="Concerns waiting to be acknowledged, the longest waiting first")
    expect(waiting.get_by_role("link")).to_have_text([made[1].reference, made[0].reference])
    expect(page.get_by_text("Showing 1 to 25 of 28, newest first.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    pages = page.get_by_role("navigation", name="Pages of acknowledged concerns")
    pages.get_by_role("link", name="Page 2").click()
    expect(page.get_by_text("Showing 26 to 28 of 28, newest first.")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Concerns inbox \(page 2 of 2\)"))
    expect(pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    acknowledged = page.get_by_role("table", name="Acknowledged concerns still open, newest first")
    expect(acknowledged.get_by_role("link")).to_have_text([c.reference for c in made[27:]])
    assert_accessible(page)
    pages.get_by_role("link", name="Previous").click()
    expect(page.get_by_text("Showing 1 to 25 of 28, newest first.")).to_be_visible()
