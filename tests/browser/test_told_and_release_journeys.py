"""Journeys (A1, A5, C9): technical staff told of a filtering breach read its technical summary and cannot act on
it; the headteacher told of an escalation sees who should act; the DSL ends a staff device's quarantine on police
advice. axe-core on every page."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.tests.helpers import make_case
from concerns.actions import Report, escalate, submit_concern
from evidence import actions as evidence_actions
from tests.browser.conftest import assert_accessible
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARRATIVE = "Quentin said he looked for ways to hurt himself on the library computer."


def test_r_a5_a1_those_told_of_a_concern_see_their_part_and_nothing_more(page, world):
    concern, _ = submit_concern(user=world.tom, school=world.oakfield, idempotency_key=uuid.uuid4(), report=Report(
        incident_type="filtering-breach", account=NARRATIVE, children=[(world.pupil, "other")],
        breach_url="https://harmful.example/ways", breach_device_or_user="Library PC 4",
        breach_seen="Self-harm searches; blocked", provider_told=False))
    sign_in_as(page, world.terry)
    page.get_by_role("link", name="Concerns inbox").click()
    expect(page.get_by_role("heading", name="Concerns inbox")).to_be_visible()
    expect(page.get_by_text("Technical details only")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=concern.reference).click()
    expect(page.get_by_role("heading", name=f"Filtering or monitoring breach {concern.reference}")).to_be_visible()
    expect(page.get_by_text("https://harmful.example/ways")).to_be_visible()
    expect(page.get_by_role("heading", name="What to do")).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge this concern")).to_have_count(0)
    expect(page.get_by_role("button", name="Open a case")).to_have_count(0)
    assert NARRATIVE not in page.content() and "Puddlewick" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Nobody acknowledged it in time: the headteacher is told, and sees who should act.
    escalate(concern=concern)
    sign_in_as(page, world.hana)
    page.goto(f"/concerns/{concern.id}/")
    expect(page.get_by_text("waited longer than it should")).to_be_visible()
    expect(page.get_by_text("Diana Dsl")).to_be_visible()
    assert NARRATIVE not in page.content() and "harmful.example" not in page.content()
    assert_accessible(page)


def test_r_c9_the_dsl_ends_a_staff_devices_quarantine_on_police_advice(page, world):
    case = make_case(world)
    evidence_actions.record_device(user=world.diana, case=case, owner="Mr Smith (teacher)", make="School laptop 12",
                                   isolation="switched_off", holder="secure_place", where_or_who="Head's safe",
                                   staff_device=True)
    sign_in_as(page, world.diana)
    page.goto(f"/cases/{case.id}/")
    devices = page.get_by_role("table", name="Devices in safe keeping")
    expect(devices).to_contain_text("Quarantined")
    page.get_by_role("link", name="End the quarantine of School laptop 12").click()
    expect(page.get_by_role("heading", name="End the quarantine of School laptop 12")).to_be_visible()
    assert_accessible(page)

    # Something missing: each answer is asked for beside its field, and what was typed stays.
    page.get_by_label("Police reference (optional)").fill("TVP-2026-0042")
    page.get_by_role("button", name="End the quarantine").click()
    expect(page.get_by_role("alert")).to_contain_text("Say who at the police gave the advice")
    expect(page.get_by_label("Police reference (optional)")).to_have_value("TVP-2026-0042")
    assert_accessible(page)

    advised = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.get_by_label("Who at the police gave the advice?").fill("PC Amir Shah, Thames Valley Police")
    page.get_by_label("When did they advise?").fill(advised.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("What did they advise?").fill("Examined; nothing found. It can go back to its owner.")
    page.get_by_label("Why can the device be released now?").fill("The police need nothing more from it.")
    page.get_by_role("button", name="End the quarantine").click()
    expect(page.get_by_text("Quarantine ended for School laptop 12")).to_be_visible()
    expect(devices).to_contain_text("Quarantine ended on police advice (PC Amir Shah, Thames Valley Police")
    expect(devices).not_to_contain_text("Quarantined")
    assert_accessible(page)

    # Now it can go back to its owner like any other device.
    page.get_by_role("link", name="Move School laptop 12").click()
    page.get_by_label("Returned to its owner").check()
    page.get_by_label("Where is it, or who has it?").fill("Mr Smith")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Custody updated.")).to_be_visible()
