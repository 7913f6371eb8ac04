"""H5: Oakfield's DSL sends a child's child protection file to Riverside; Riverside's DSL opens it and receipt is
confirmed; the headteacher's dashboard shows files awaiting receipt. axe-core on every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.tests.helpers import make_case
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as
from tests.people import make_pupil, make_user
from transfers.models import Transfer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_child_protection_file_goes_to_the_new_school_and_receipt_is_confirmed(page, world):
    make_case(world, "cyberbullying", children=[(world.pupil, "harmed")])
    make_pupil(world.riverside, "Quentin", "Puddlewick", world.pupil.upn, year_group=7)
    rita = make_user("rita@riverside.example", "Rita Riverside", school=world.riverside, role="dsl")

    sign_in_as(page, world.diana)
    page.goto(f"/pupils/{world.pupil.id}/")
    page.get_by_role("link", name="Send their child protection file").click()
    expect(page.get_by_role("heading", name="Send their child protection file")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the transfer").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the child’s new school")
    assert_accessible(page)
    page.get_by_label("Riverside Academy").check()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Start the transfer").click()
    expect(page.get_by_role("heading", name="Child protection file to Riverside Academy")).to_be_visible()
    expect(page.get_by_text("Awaiting receipt").first).to_be_visible()
    assert_accessible(page)
    page.goto("/transfers/")
    assert_accessible(page)
    page.goto("/transfers/key-card/")
    assert_accessible(page)
    page.goto("/transfers/received/new/")
    page.get_by_role("button", name="Record the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Name the school that sent it")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(page, world.hana)
    page.goto("/reports/")
    assert_accessible(page)
    page.goto(f"/reports/schools/{world.oakfield.id}/transfers-awaiting/")
    expect(page.get_by_role("heading", name="Files sent, awaiting receipt")).to_be_visible()
    expect(page.get_by_text("Riverside Academy").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(page, rita)
    page.goto("/transfers/")
    page.get_by_role("button", name="Open and confirm receipt").click()
    expect(page.get_by_role("heading", name="Child protection file: Quentin Puddlewick")).to_be_visible()
    expect(page.get_by_text("Cyberbullying").first).to_be_visible()
    assert_accessible(page)
    page.goto("/transfers/receive/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    assert Transfer.objects.get().received_at is not None

    # The deputy (a second sign-in by Diana within 30 seconds would reuse her code, which is refused).
    sign_in_as(page, world.dev)
    page.goto(f"/transfers/{Transfer.objects.get().id}/")
    expect(page.get_by_text("Rita Riverside")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)


def test_r_h5_a_file_recorded_before_the_child_is_on_roll_is_linked_from_its_page(page, world):
    from transfers.actions import record_arrival

    item = record_arrival(user=world.diana, school=world.oakfield, from_name="Hill Top Academy", method="paper",
                          arrived_on=timezone.localdate(), where_kept="Locked cabinet, DSL office")
    sign_in_as(page, world.diana)
    page.goto(f"/transfers/received/{item.id}/")
    expect(page.get_by_role("heading", name="Keep this file against the child")).to_be_visible()
    page.get_by_label("Unique pupil number").fill("Z999999999999")
    page.get_by_role("button", name="Link to this child").click()
    expect(page.get_by_role("alert")).to_contain_text("No pupil at this school has that unique pupil number")
    expect(page.get_by_label("Unique pupil number")).to_have_value("Z999999999999")
    assert_accessible(page)
    page.get_by_label("Unique pupil number").fill(world.pupil.upn)
    page.get_by_role("button", name="Link to this child").click()
    expect(page.get_by_text("The file is now kept against")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/pupils/{world.pupil.id}/")
    page.get_by_role("link", name="From Hill Top Academy").click()
    expect(page.get_by_role("heading", name="Keep this file against the child")).to_have_count(0)
    assert_accessible(page)
    assert_no_csp_violations(page)


def test_r_h5_a_key_card_is_registered_after_the_fingerprint_is_read_back_and_can_be_revoked(page, world):
    from transfers.tests.test_transfer_trust import other_harbour_school

    keys, card = other_harbour_school(name="Riverside Academy")  # the name of a school on this Harbour
    sign_in_as(page, world.diana)
    page.goto("/transfers/key-card/")
    page.get_by_label("Paste their key card").fill(card)
    page.get_by_label("The fingerprint they read out to you").fill("0000 1111 2222 3333 4444")
    page.get_by_role("button", name="Register key card").click()
    expect(page.get_by_role("alert")).to_contain_text("does not match this key card")
    expect(page.get_by_label("Paste their key card")).to_have_value(card)
    assert_accessible(page)
    page.get_by_label("The fingerprint they read out to you").fill(keys.fingerprint)
    page.get_by_role("button", name="Register key card").click()
    expect(page.get_by_role("alert")).to_contain_text("already uses this Harbour")
    assert_accessible(page)
    page.get_by_label("I have checked by phone").check()
    page.get_by_role("button", name="Register key card").click()
    expect(page.get_by_text("Riverside Academy is registered")).to_be_visible()
    expect(page.get_by_text("Same name as a school on this Harbour")).to_be_visible()
    page.get_by_text("Revoke this key card").click()
    page.get_by_role("button", name="Revoke Riverside Academy’s key card").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you are revoking this key card")
    assert_accessible(page)
    page.get_by_label("Why are you revoking it?").fill("They sent a new card.")
    page.get_by_role("button", name="Revoke Riverside Academy’s key card").click()
    expect(page.get_by_text("key card is revoked")).to_be_visible()
    expect(page.get_by_text("Revoked by Diana Dsl")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
