"""J4: the DSL records an Operation Encompass notice from the concerns inbox (no address to remember), finds the
children by name without losing what was typed, and names the key adult on the concern; every page checked with
axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from concerns.models import EncompassNotice
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as
from tests.people import make_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_j4_the_dsl_records_a_police_notice_and_names_the_key_adult(page, world):
    make_pupil(world.oakfield, "Ottilie", "Brackenridge", "A999000000077", year_group=3)
    sign_in_as(page, world.diana)
    page.goto(reverse("concerns:inbox"))
    page.get_by_role("button", name="Record a police notice (Operation Encompass)").click()
    expect(page.get_by_role("heading", name="Record a police notice (Operation Encompass)")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Police reference").fill("WMP/2026/118833")
    page.get_by_role("button", name="Record the notice and tell the safeguarding team").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose each child the police named")
    expect(page.get_by_label("Police reference")).to_have_value("WMP/2026/118833")
    assert_accessible(page)
    page.get_by_label("Find a child by name").fill("Brack")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Add Ottilie Brackenridge").click()
    expect(page.get_by_label("Ottilie Brackenridge")).to_be_checked()
    page.get_by_label("Find a child by name").fill("Pudd")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Add Quentin Puddlewick").click()
    expect(page.get_by_label("Quentin Puddlewick")).to_be_checked()
    expect(page.get_by_label("Police reference")).to_have_value("WMP/2026/118833")
    assert_accessible(page)
    page.get_by_role("button", name="Record the notice and tell the safeguarding team").click()
    expect(page.get_by_text("The safeguarding team has been told")).to_be_visible()
    expect(page.get_by_text("Not named yet: due by")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who is the key adult?").select_option(label="Tom Teacher — Member of staff")
    page.get_by_role("button", name="Save the key adult").click()
    expect(page.get_by_text("Tom Teacher is the key adult")).to_be_visible()
    assert_accessible(page)
    assert EncompassNotice.objects.get().key_adult_id == world.tom.id


def test_j4_the_school_day_start_is_set_on_the_school_details_page(page, world):
    sign_in_as(page, world.diana)
    page.goto(reverse("schools:details"))
    expect(page.get_by_label("The school day starts at")).to_have_value("08:30")
    page.get_by_label("The school day starts at").fill("08:45")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("The school’s details are saved.")).to_be_visible()
    expect(page.get_by_label("The school day starts at")).to_have_value("08:45")
    assert_accessible(page)
