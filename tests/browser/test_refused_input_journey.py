"""Issue 19.3, in Chromium with axe-core: a refused chronology note comes back on the case page with every word
typed and the reason beside the box (it used to be lost), and a picture written as text in a decision's reason is
refused beside it with the rest kept (A3, B10)."""

import pytest
from playwright.sync_api import expect

from cases.models import Entry
from cases.tests.helpers import make_case
from lib.tests import samples
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_a3_a_note_too_long_comes_back_on_the_case_page_with_what_was_typed(page, world):
    case = make_case(world)
    sign_in_as(page, world.diana)
    page.goto(f"/cases/{case.id}/")
    note = "Spoke to the carer after school; she will call back tomorrow. " * 170  # 10,710 characters
    page.get_by_label("Add a note to the chronology").fill(note)
    page.get_by_role("button", name="Add note").click()

    summary = page.locator(".govuk-error-summary", has_text="There is a problem")
    expect(summary).to_contain_text("is too long: keep it to 10,000 characters")
    expect(page.locator("#note-text-error")).to_contain_text("is too long")
    expect(page.get_by_label("Add a note to the chronology")).to_have_value(note)
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    summary.get_by_role("link").click()  # the summary leads to the box
    expect(page.get_by_label("Add a note to the chronology")).to_be_focused()
    assert not case.entries.filter(kind=Entry.Kind.NOTE).exists()

    page.get_by_label("Add a note to the chronology").fill("Spoke to the carer after school.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".moj-timeline")).to_contain_text("Spoke to the carer after school.")


def test_r_a3_r_b10_a_picture_in_a_decisions_reason_is_refused_beside_it_and_the_rest_is_kept(page, world):
    case = make_case(world)
    sign_in_as(page, world.diana)
    page.goto(f"/cases/{case.id}/decisions/new/")
    page.get_by_label("An action not taken").check()
    page.get_by_label("What was decided").fill("Not to tell the parents today")
    page.get_by_label("Reason", exact=True).fill("The child asked for a day. " + samples.gif89a().hex(" "))
    page.get_by_role("button", name="Save decision").click()

    expect(page.locator("#reason-error")).to_contain_text("contains a picture written as text")
    expect(page.get_by_label("Reason", exact=True)).to_have_value("The child asked for a day.")
    expect(page.get_by_label("What was decided")).to_have_value("Not to tell the parents today")
    expect(page.get_by_label("An action not taken")).to_be_checked()
    assert_accessible(page)
    assert not case.decisions.exists()
