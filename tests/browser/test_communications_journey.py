"""Messages to staff, parents and pupils in an incident that affects many (E2, B10): from the case page, the DSL
adapts a prepared message, records who approved it and whether the police agreed it, then prints or copies it.
Every page on the way is accessible (axe, desktop)."""

import pytest
from playwright.sync_api import expect

from cases.tests.helpers import make_case
from communications.models import Communication
from communications.tests.test_record import filled
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_e2_the_dsl_adapts_a_staff_briefing_records_its_approval_and_copies_it(page, world):
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured")])
    sign_in_as(page, world.diana)

    page.goto(f"/cases/{case.id}/")
    page.get_by_role("link", name="Prepare a message for staff, parents or pupils").click()
    expect(page.get_by_role("heading", name="Messages to staff, parents and pupils")).to_be_visible()
    expect(page.get_by_text("No message recorded yet.")).to_be_visible()
    assert_accessible(page)

    briefing = "Briefing for all staff: pupils targeted by people threatening to share images"
    page.get_by_role("link", name=briefing).click()
    expect(page.get_by_role("heading", name="Message for all staff")).to_be_visible()
    expect(page.get_by_label("The message")).to_contain_text("[the time or date]")
    assert_accessible(page)

    # Sent with the parts in square brackets left and no approval: each problem is beside its box, nothing is lost.
    page.get_by_role("button", name="Record the approved message").click()
    expect(page.get_by_role("alert")).to_contain_text("Fill in or take out each part in square brackets")
    expect(page.get_by_role("alert")).to_contain_text("Say who approved the message.")
    expect(page.get_by_role("alert")).to_contain_text("Say whether the message was agreed with the police.")
    expect(page.get_by_label("The message")).to_contain_text("Staff briefing: pupils are being targeted")
    assert_accessible(page)

    page.get_by_label("The message").fill(filled("sextortion-staff"))
    page.get_by_label("Who approved it?").fill("Hana Head")
    page.get_by_label("Their role").fill("Headteacher")
    page.get_by_label("No", exact=True).check()
    why = "The police asked schools to brief staff first."
    page.get_by_label("If no: why were the police not consulted?").fill(why)
    page.get_by_role("button", name="Record the approved message").click()

    expect(page.get_by_text("Message recorded with its approval.")).to_be_visible()
    expect(page.get_by_text("Hana Head (Headteacher)")).to_be_visible()
    expect(page.get_by_text("Not consulted: The police asked schools to brief staff first.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the message").click()
    expect(page.get_by_role("status")).to_have_text("Copied. Paste it into your email, letter or notes.")
    assert page.evaluate("navigator.clipboard.readText()") == Communication.objects.get().text

    pdf = page.request.get(page.get_by_role("link", name="Print (PDF)").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    page.goto(f"/cases/{case.id}/")
    section = page.locator("#messages + ul")
    expect(section).to_contain_text("for all staff, approved by Hana Head (Headteacher)")
    expect(page.get_by_text("Message for all staff recorded:")).to_be_visible()


def test_r_e2_the_dsl_rewords_a_prepared_message_for_the_school(page, world):
    from communications import schema

    sign_in_as(page, world.diana)
    page.goto("/messages/")
    expect(page.get_by_role("heading", name="Prepared messages for staff, parents and pupils")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Letter to all parents and carers: online blackmail targeting young people").click()
    expect(page.get_by_text("Oakfield Primary uses the prepared wording as it is.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Change the wording").click()
    assert_accessible(page)
    text = schema.as_text(schema.load_templates()["sextortion-parents"])
    page.get_by_label("The message").fill(text.replace("Dear parents and carers,", "Dear families,"))
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you are changing the wording.")
    expect(page.get_by_label("The message")).to_contain_text("Dear families,")
    assert_accessible(page)
    page.get_by_label("Why are you changing the wording?").fill("How we greet our families.")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("Saved. Oakfield Primary now uses version 1 of this message.")).to_be_visible()
    expect(page.get_by_role("cell", name="How we greet our families.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
