"""The trust administrator imports a MIS file and makes and revokes an API token; every page is accessible."""

import pytest
from playwright.sync_api import expect

from api.models import ApiToken
from schools.models import Pupil
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = ("UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg\r\n"
       "B100000000001,Ashdown,Amelia,03/09/2014,F,Year 7,7A\r\n"
       "B100000000002,Brook,Benjamin,31/02/2014,M,Year 7,7A\r\n")


def test_the_administrator_imports_pupils_and_manages_api_tokens(page, world, tmp_path):
    sign_in_as(page, world.adam)
    page.get_by_role("link", name="Import pupils, contacts or staff").click()
    expect(page.get_by_role("heading", name="Import pupils, contacts or staff")).to_be_visible()
    assert_accessible(page)
    upload = tmp_path / "pupils.csv"
    upload.write_text(CSV)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_text("2 rows read (pupils): 1 added; 1 row not imported.")).to_be_visible()
    expect(page.get_by_role("cell", name="Date of birth '31/02/2014' is not a date")).to_be_visible()
    expect(page.get_by_text("Reg: Harbour does not use these columns")).to_be_visible()
    assert_accessible(page)
    assert Pupil.objects.filter(upn="B100000000001").exists()

    image = tmp_path / "photo.csv"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.get_by_label("CSV file").set_input_files(str(image))
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)

    page.goto("/")
    page.get_by_role("link", name="API tokens").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the token a name")
    assert_accessible(page)
    page.get_by_label("Name").fill("Smoothwall monitoring")
    page.get_by_label("Send filtering and monitoring alerts").check()
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_label("Your new token")).to_be_visible()
    assert page.get_by_label("Your new token").input_value().startswith(ApiToken.objects.get().prefix)
    assert_accessible(page)
    page.get_by_role("button", name="Revoke Smoothwall monitoring").click()
    expect(page.get_by_text("has been revoked")).to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert not ApiToken.objects.get().is_active


def test_an_imported_teacher_is_sent_a_link_and_chooses_a_password(page, world):
    """S1: no password is ever emailed; the link works once, then the teacher signs in."""
    import re

    from django.contrib.auth.hashers import make_password
    from django.core import mail

    from accounts.invitations import email_invitation
    from accounts.models import User

    User.objects.filter(id=world.tom.id).update(password=make_password(None))
    sign_in_as(page, world.adam)
    page.get_by_role("link", name="People and sign-in").click()
    expect(page.get_by_role("heading", name="People and sign-in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send a link to Tom Teacher").click()
    expect(page.get_by_text("A link to choose a password is on its way to Tom Teacher")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    email_invitation.call(user_id=world.tom.id, school_name=world.oakfield.name)
    link = re.search(r"http://\S+/account/welcome/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password").fill("short")
    page.get_by_label("Type it again").fill("short")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.get_by_label("New password").fill("river kettle lantern orchard")
    page.get_by_label("Type it again").fill("river kettle lantern orchard")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Your password is saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("tom@oakfield.example")
    page.get_by_label("Password", exact=True).fill("river kettle lantern orchard")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Report a concern")).to_be_visible()
    assert_no_csp_violations(page)


def test_the_dsl_matches_a_monitoring_login_to_a_pupil_once(page, world):
    """A5: an alert naming a login no pupil has is listed for the DSL; matched once, the concern names the child."""
    from django.test import Client

    from api.actions import create_token
    from api.models import MonitoringUser
    from concerns.models import Concern

    _, secret = create_token(user=world.adam, school=world.oakfield, name="Smoothwall", scopes=["alerts:create"])
    sent = Client().post("/api/v1/alerts", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}",
                         data={"source": "Smoothwall", "alert_id": "SW-1", "occurred_at": "2026-03-02T10:15:00Z",
                               "category": "Self-harm search", "severity": "high", "user": "qp-laptop-user",
                               "url": "https://search.example/?q=harm"})
    concern = Concern.objects.get(id=sent.json()["id"])
    assert not concern.children.exists()
    sign_in_as(page, world.diana)
    page.get_by_role("link", name="Monitoring users").click()
    expect(page.get_by_role("heading", name="Monitoring users")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Match qp-laptop-user to a pupil").click()
    page.get_by_label("Pupil’s name or UPN").fill("Puddle")
    page.get_by_role("button", name="Find the pupil").click()
    expect(page.get_by_label("Quentin Puddlewick — Year 5")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Match to this pupil").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the pupil this login belongs to.")
    assert_accessible(page)
    page.get_by_label("Quentin Puddlewick — Year 5").check()
    page.get_by_role("button", name="Match to this pupil").click()
    expect(page.get_by_text("later alerts naming this login will name them, and 1 open concern now names them"))\
        .to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)
    assert MonitoringUser.objects.get().pupil == world.pupil
    assert list(concern.children.values_list("pupil", flat=True)) == [world.pupil.id]


def test_the_dsl_sees_what_the_mis_says_on_the_case_and_the_record(page, world):
    """Issue 22.3: the MIS's flags and the pupils sharing a carer, for the DSL team; a flag suggests the question
    about vulnerability and leaves the answer to the DSL (B3)."""
    from cases.tests.helpers import make_case
    from schools.models import Carer, PupilCarer
    from tests.people import make_pupil

    Pupil.objects.filter(id=world.pupil.id).update(has_child_protection_plan=True, was_looked_after=True)
    sister = make_pupil(world.oakfield, "Polly", "Puddlewick", "A999000000004", year_group=3)
    mother = Carer.objects.create(school=world.oakfield, first_name="Pat", last_name="Puddlewick")
    for child in (world.pupil, sister):
        PupilCarer.objects.create(pupil=child, carer=mother, relationship="Mother")
    case = make_case(world)
    sign_in_as(page, world.diana)
    page.goto(f"/cases/{case.id}/")
    expect(page.get_by_role("heading", name="What the school’s records say")).to_be_visible()
    expect(page.get_by_text("Harbour has not answered this for you")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/pupils/{world.pupil.id}/")
    expect(page.get_by_text("Previously looked after")).to_be_visible()
    expect(page.get_by_role("link", name="Polly Puddlewick")).to_be_visible()
    assert_accessible(page)
