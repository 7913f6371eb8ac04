"""J7: a procedure version published while a case is open: the DSL finds the case from the home page and the case
list, sees what changed, and moves it with a reason (audited; the chronology says so). Checked with axe."""

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from cases.tests.helpers import make_case
from cases.tests.test_procedure_versions import NEW_STEP, publish
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_version_shows_the_open_case_with_its_differences_and_moving_it_is_audited_J7(page, world):
    case = make_case(world, "cyberbullying")
    publish(world)
    sign_in_as(page, world.diana)
    expect(page.get_by_role("heading", name="A newer procedure version (1)")).to_be_visible()
    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.get_by_role("link", name="See what changed, and move or keep it").click()
    expect(page.get_by_role("heading", name="Cases on an earlier procedure version")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="A newer version of this procedure is in force")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text(NEW_STEP)
    assert_accessible(page)
    page.get_by_label("Move it to the new version").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason for your choice.")
    expect(page.get_by_label("Move it to the new version")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Why?").fill("The new step helps this child.")
    page.get_by_role("button", name="Save my choice").click()
    expect(page.get_by_text(f"Case {case.reference} now follows")).to_be_visible()
    expect(page.get_by_role("cell", name=NEW_STEP, exact=True)).to_be_visible()
    # "Why is this a step?" under a shipped step names its source in words.
    page.get_by_text("Why is this a step?").first.click()
    expect(page.get_by_text("This comes from").first).to_be_visible()
    assert_accessible(page)
    assert AuditEvent.objects.filter(object_type="case", object_id=str(case.id), action="update",
                                     detail__moved=True).exists()
