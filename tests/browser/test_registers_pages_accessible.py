"""Every register page the journey does not reach, checked with axe-core (and an error state)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registers import actions
from registers.tests.helpers import build_registers
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_register_page_is_accessible(page, world):
    made = build_registers(world)
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="provider", name="Safe Net Ltd")
    urls = [reverse(f"registers:{name}") for name in (
        "overview", "policy_new", "agreements", "agreement_new", "agreement_unsigned", "photo_search", "leavers",
        "leavers_keeper", "training", "training_new", "filtering", "filtering_role", "filtering_review")]
    urls += [reverse("registers:policy_bring_forward", args=[made["policy"].id]),
             reverse("registers:agreement", args=[made["version"].id]),
             reverse("registers:agreement_sign", args=[made["version"].id]),
             reverse("registers:agreement_sign", args=[made["pupil_version"].id]) + "?year=5",
             reverse("registers:agreement_unsigned") + "?year=5",
             reverse("registers:photo_record", args=[world.pupil.id]),
             reverse("registers:leavers_deleted", args=[made["leaver"].id])]
    sign_in_as(page, world.diana)
    for url in urls:
        page.goto(url)
        assert_accessible(page)
    page.goto(reverse("registers:photo_record", args=[world.pupil.id]))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one place")
    assert_accessible(page)


def test_j6_the_yearly_filtering_review_is_recorded_point_by_point(page, world):
    """J6: each point of the standards is asked, a missing one is named beside its box, and the saved review
    shows every point on the register, all with zero axe violations."""
    actions.name_filtering_role(user=world.diana, school=world.oakfield, role="senior_leader", name="Hana Head")
    sign_in_as(page, world.diana)
    page.goto(reverse("registers:filtering_review"))
    assert_accessible(page)
    expect(page.get_by_label("Senior leader responsible for filtering and monitoring")).to_have_value("Hana Head")
    page.get_by_label("Who carried it out").fill("Diana and Terry")
    page.get_by_role("group", name="Is illegal content blocked").get_by_label("Yes").check()
    page.get_by_label("Generative AI tools").fill("AI chat blocked for pupils")
    page.get_by_label("Pupils with special educational needs or disabilities").fill("Stricter settings")
    page.get_by_label("Devices pupils and staff bring in").fill("Guest Wi-Fi filtered")
    page.get_by_label("Outcome of the review").fill("All in order")
    page.get_by_label("What will change, and who will do it").fill("Nothing needs to change")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("alert")).to_contain_text("English as an additional language")
    expect(page.get_by_label("Generative AI tools")).to_have_value("AI chat blocked for pupils")
    assert_accessible(page)
    page.get_by_label("Pupils learning English as an additional language").fill("Polish keywords added")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("heading", name="Filtering and monitoring", level=1)).to_be_visible()
    expect(page.get_by_text("Polish keywords added")).to_be_visible()
    assert_accessible(page)
