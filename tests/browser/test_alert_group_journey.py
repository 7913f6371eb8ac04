"""Journey (rule P7): the DSL finds monitoring alerts about one term for a class as one inbox item, each pupil listed
and a flagged pupil first, and closes them with a reason (B10), keyboard and screen reader friendly (axe)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.tests.helpers import make_concern
from concerns.models import AlertGroup, Concern
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.people import make_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_p7_the_dsl_triages_a_class_of_alerts_as_one_item(page, world):
    pupils = [make_pupil(world.oakfield, name, "Reader", f"A99900000020{i}", year_group=9)
              for i, name in enumerate(["Asha", "Bilal", "Cora"])]
    pupils[1].is_looked_after = True
    pupils[1].save()
    concerns = [make_concern(world, "filtering-breach", children=[(p, "other")]) for p in pupils]
    now = timezone.now()
    group = AlertGroup.objects.create(school=world.oakfield, term="suicide", created_at=now, last_alert_at=now)
    Concern.objects.filter(id__in=[c.id for c in concerns]).update(alert_group=group)

    sign_in_as(page, world.diana)
    page.goto("/concerns/inbox/")
    expect(page.get_by_role("heading", name="Monitoring alerts to triage together")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("link", name=f"Alerts {group.reference}")).to_be_visible()
    # An alert's own page says it came in with the group, and leads to it.
    page.goto(f"/concerns/{concerns[0].id}/")
    expect(page.get_by_text("This alert is one of a group")).to_contain_text("Triage them together")
    assert_accessible(page)
    page.get_by_role("link", name=f"monitoring alerts, {group.reference}").click()
    expect(page.get_by_role("heading", name=f"Monitoring alerts {group.reference}")).to_be_visible()
    labels = page.locator(".govuk-checkboxes__label").all_inner_texts()
    assert labels[0].startswith("Bilal Reader") and "Looked after" in labels[0]  # flagged, first
    assert_accessible(page)

    page.get_by_role("button", name="Close them all with this reason").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why these alerts need no further action.")
    assert_accessible(page)
    page.get_by_label("Why do these alerts need no further action?").fill(
        "Year 9 English researching the themes of their class novel; checked with their teacher.")
    page.get_by_role("button", name="Close them all with this reason").press("Enter")
    expect(page.get_by_text(f"Alerts {group.reference} closed, with your reason.")).to_be_visible()
    assert_no_csp_violations(page)
    assert AlertGroup.objects.get().status == "closed"
