"""P1–P4: a pupil on a phone (375 px), with the keyboard only, follows the link on the school's poster, tells the
school what is worrying them, keeps the receipt code, and later reads the reply the safeguarding team wrote on the
concern's page. axe-core on every page; the report's words never reach an address nor the browser's history."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from concerns.models import Concern, PupilNote
from tests.browser.conftest import PHONE, assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORRY = "A person in a game keeps asking me for photos and says I must not tell."


def tab_to(page, selector, most=40):
    """Press Tab until the element matching `selector` has the focus: it can be reached by keyboard."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with the Tab key")


def test_r_p1_p4_a_pupil_on_a_phone_tells_the_school_and_reads_the_reply(page, browser, live_server, world):
    # The DSL prints the poster; its link is what the QR code holds.
    staff = browser.new_context(base_url=live_server.url)
    dsl = staff.new_page()
    sign_in_as(dsl, world.diana)
    dsl.goto("/")
    dsl.get_by_role("link", name="Pupils’ page and its poster").click()  # from the home page, no address typed
    assert_accessible(dsl)
    expect(dsl.locator("#poster-pdf")).to_have_attribute("href", reverse("concerns:pupil_poster_pdf"))  # or a PDF
    link = dsl.locator("#pupils-link").get_attribute("href")
    assert link.endswith(f"/tell/{world.oakfield.tell_code}/")

    # The pupil, on a phone, keyboard only.
    page.set_viewport_size(PHONE)
    page.goto(link)
    expect(page.get_by_role("heading", name="Tell us what is worrying you")).to_be_visible()
    expect(page.get_by_role("button", name="Leave this page quickly")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "#kind")  # the first choice; arrow keys move between choices in a radio group
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Someone is threatening me")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Someone is asking me for pictures")).to_be_checked()
    tab_to(page, "#words")
    page.keyboard.type(WORRY)
    tab_to(page, "#pupil_class")
    page.keyboard.type("4C")
    tab_to(page, "form button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you for telling us")).to_be_visible()
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code.replace("-", "")) == 16
    # On the phone the code is on one line: a line break inside it would be copied as two codes, or one cut short.
    assert page.locator("#receipt-code").evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length }") == 1
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert WORRY.split()[2] not in page.url and "?" not in page.url
    # The browser's history holds the page's address only, not the sent form: reloading shows the empty form and
    # sends nothing again (the receipt code is not shown twice).
    page.reload()
    expect(page.get_by_role("heading", name="Tell us what is worrying you")).to_be_visible()
    expect(page.locator("#words")).to_have_value("")
    assert Concern.objects.count() == 1 and PupilNote.objects.count() == 0

    # The safeguarding team reads it in the inbox, marked as from a pupil, and replies.
    concern = Concern.objects.get()
    dsl.goto(reverse("concerns:inbox"))
    expect(dsl.get_by_text("From a pupil").first).to_be_visible()
    assert_accessible(dsl)
    dsl.get_by_role("link", name=concern.reference).click()
    expect(dsl.get_by_text(WORRY)).to_be_visible()
    dsl.get_by_label("Write a short reply").fill("Thank you for telling us. Mrs Dsl will come and see you in class "
                                                 "today. You did the right thing.")
    dsl.get_by_role("button", name="Save the reply").click()
    expect(dsl.get_by_text("Reply saved.")).to_be_visible()
    assert_accessible(dsl)
    staff.close()

    # Later, the pupil types the code and reads the reply.
    page.goto(link)
    tab_to(page, "a[href$='/check/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="See our reply")).to_be_visible()
    assert_accessible(page)
    tab_to(page, "#code")
    page.keyboard.type(code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your message")).to_be_visible()
    expect(page.get_by_text("An adult has read it.")).to_be_visible()
    expect(page.locator("#reply")).to_contain_text("Mrs Dsl will come and see you in class today.")
    assert_accessible(page)
    assert code.lower() not in page.url and code not in page.url
