"""Advice for children and families (D3, D4, D6, E6, I7): every page on the way is accessible."""

import pytest
from playwright.sync_api import expect

from advice import schema
from advice.models import AdviceOverride
from cases.tests.helpers import make_case
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_d3_the_dsl_reads_a_cases_advice_prints_a_letter_and_rewords_a_script(page, world):
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured")])
    sign_in_as(page, world.diana)

    page.goto(f"/advice/case/{case.id}/")
    expect(page.get_by_role("heading", name="Advice for the children and families")).to_be_visible()
    expect(page.get_by_role("heading", name="Quentin Puddlewick")).to_be_visible()
    expect(page.get_by_role("heading", name="Someone is threatening to share imagery (sextortion)")).to_be_visible()
    page.get_by_text("Words to use: If someone is threatening to share a picture of you").click()
    expect(page.get_by_text("Do not pay, and do not send anything more.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    letter = page.get_by_role("link", name="Print the letter for parents and carers (PDF) about Quentin (For parents "
                                           "and carers: Advice for parents and carers whose child is being threatened "
                                           "with an image (sextortion))")
    response = page.request.get(letter.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"

    page.goto("/advice/")
    expect(page.get_by_role("heading", name="Advice for children and families")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Advice for a child whose image was taken or shared").click()
    shipped = schema.load_scripts()["imagery-shared-child"]["version"]  # the version the school rewords
    title = f"Advice for a child whose image was taken or shared v{shipped}"
    expect(page.get_by_text(title, exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Change the wording").click()
    assert_accessible(page)
    page.get_by_label("Add a paragraph (optional)").fill("Mrs Patel is in room 4 every lunchtime.")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you are changing the wording.")
    added = len(schema.load_scripts()["imagery-shared-child"]["paragraphs"]) + 1  # after the shipped ones
    expect(page.get_by_label(f"Paragraph {added}")).to_have_value("Mrs Patel is in room 4 every lunchtime.")
    assert_accessible(page)

    page.get_by_label("Why are you changing the wording?").fill("Name the person pupils know.")
    page.get_by_role("button", name="Save a new version").click()
    label = f"Advice for a child whose image was taken or shared v{shipped} · Oakfield Primary v1"
    expect(page.get_by_text(label)).to_be_visible()
    expect(page.get_by_text("Mrs Patel is in room 4 every lunchtime.")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert AdviceOverride.objects.get().version == 1

    page.get_by_role("link", name="All advice").click()
    page.get_by_role("link", name="National services for reporting, removal and support").click()
    expect(page.get_by_role("heading", name="CEOP Safety Centre (National Crime Agency)")).to_be_visible()
    expect(page.get_by_role("heading", name="Childline", exact=True)).to_be_visible()
    assert_accessible(page)
