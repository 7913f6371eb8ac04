"""Journey (rules A1, A7): a teacher reports a concern about two children with different roles;
the DSL sees it in the inbox and acknowledges it; the teacher sees it was received."""

import pytest
from playwright.sync_api import expect
from django_otp.plugins.otp_totp.models import TOTPDevice

from concerns.models import Concern, ConcernChild
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.people import PASSWORD, make_pupil, unused_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, user):
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device:
        page.get_by_label("Enter the security code from your authenticator app").fill(
            unused_code(user))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url.endswith("/"))


def add_child(page, search, name):
    page.get_by_label("Search for a child by name").fill(search)
    page.get_by_role("button", name=f"Add {name}").click()
    page.get_by_role("group", name=f"What happened to {name}").wait_for()


def test_r_a1_a_teacher_reports_and_the_dsl_acknowledges(page, world):
    milo = make_pupil(world.oakfield, "Milo", "Bramblecott", "A999000000010", year_group=5, sex="M")
    sign_in_as(page, world.tom)
    page.get_by_role("link", name="Report a concern").click()
    expect(page.get_by_role("heading", name="Report a concern")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Sharing nudes or semi-nudes").check()
    add_child(page, "Quen", "Quentin Puddlewick")
    page.get_by_role("group", name="What happened to Quentin Puddlewick").get_by_label(
        "Pictured in the imagery"
    ).check()
    add_child(page, "Bramb", "Milo Bramblecott")
    page.get_by_role("group", name="What happened to Milo Bramblecott").get_by_label("Shared it onward").check()
    page.get_by_label("What did the child say, or what did you see?").fill(
        "Quentin said: 'Milo sent my photo to the group chat.'")
    page.get_by_role("group", name="Who did the child tell? (optional)").get_by_label("Me, Tom Teacher").check()
    page.get_by_role("group", name="Has a phone or other device been taken into safe keeping?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Put in flight mode (kept switched on)").check()
    page.get_by_label("Where is the device kept now?").fill("Locked drawer, DSL office")
    page.get_by_role("group", name="Have you told the designated safeguarding lead in person?").get_by_label(
        "Yes"
    ).check()
    page.locator("#draft-status").filter(has_text="Draft saved").wait_for()  # autosave reached the server
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    assert_accessible(page)
    concern = Concern.objects.get()
    assert concern.disclosed_to == "Tom Teacher"  # A1: known, not typed
    assert dict(ConcernChild.objects.values_list("pupil_id", "role")) == {
        world.pupil.id: "pictured", milo.id: "shared_onward"}

    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Notifications 1 unread").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="Concerns inbox").click()
    expect(page.get_by_role("heading", name="Concerns inbox")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=concern.reference).click()
    expect(page.get_by_role("heading", name=f"Concern {concern.reference}")).to_be_visible()
    expect(page.get_by_text("Pictured in the imagery")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Acknowledge this concern").click()
    expect(page.get_by_text("acknowledged. The reporter can see")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Open a case").click()
    expect(page.get_by_role("heading", name="Case K")).to_be_visible()
    expect(page.get_by_role("cell", name="Shared it onward")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, world.tom)
    page.get_by_role("link", name="My reports").click()
    expect(page.get_by_role("heading", name="My reports")).to_be_visible()
    expect(page.get_by_text("Picked up", exact=True)).to_be_visible()  # A7, issue 20.6: in the reporter's words
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_text("picked up your report on")).to_be_visible()
    expect(page.get_by_text("This page will show")).to_have_count(0)
    assert_accessible(page)


def test_r_a3_a_picture_pasted_as_text_is_refused_by_the_autosave_and_the_page(page, world):
    """The autosave says plainly the draft was not saved and why; sending shows the message beside the box,
    with the picture taken out and everything else kept; the page stays accessible throughout."""
    import base64

    from lib.tests import samples

    sign_in_as(page, world.tom)
    page.goto("/concerns/report/")
    page.get_by_label("Sharing nudes or semi-nudes").check()
    account = page.get_by_label("What did the child say, or what did you see?")
    account.fill("He showed me: " + base64.b64encode(samples.jpeg()).decode())
    status = page.locator("#draft-status")
    status.filter(has_text="Draft not saved").wait_for()
    expect(status).to_contain_text("contains a picture written as text (base64)")
    with page.expect_response(lambda response: "/draft" in response.url):  # leaving the box autosaves once more
        account.blur()
    assert_accessible(page)

    page.get_by_role("button", name="Send report").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("contains a picture written as text (base64)")
    expect(account).to_have_value("He showed me:")
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert Concern.objects.count() == 0
