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
