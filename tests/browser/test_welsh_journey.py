"""Journey (rule J8): at a school in Wales, a teacher chooses Cymraeg and reports a concern in Welsh; the designated
safeguarding person finds it waiting on her home page and reads the notice in Welsh; the case page's headings are in
Welsh; the child's advice, and the services it lists, print in Welsh. Every page is accessible."""

import re

import pytest
from playwright.sync_api import expect

from advice.tests.test_letters import pdf_text
from cases import actions as case_actions
from concerns.models import Concern
from tests.browser.conftest import assert_accessible, assert_no_csp_violations
from tests.browser.test_report_journey import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r_j8_a_welsh_school_reports_is_told_and_prints_advice_in_welsh(page, world, tmp_path):
    world.oakfield.nation = "wales"
    world.oakfield.save(update_fields=["nation"])
    world.diana.preferred_language = "cy"  # the designated safeguarding person chose Cymraeg earlier
    world.diana.save(update_fields=["preferred_language"])

    sign_in_as(page, world.tom)
    offer = page.get_by_role("complementary", name="Cymraeg")
    expect(offer).to_contain_text("Mae Harbour ar gael yn Gymraeg.")
    assert_accessible(page)
    offer.get_by_role("button", name="Defnyddio Harbour yn Gymraeg").click()
    expect(page.get_by_role("link", name="Hafan")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("button", name="English")).to_be_visible()  # the way back, in its own language

    page.goto("/concerns/report/")
    expect(page.get_by_role("heading", name="Rhoi gwybod am bryder")).to_be_visible()
    expect(page.get_by_text("dywedwch wrth eich person dynodedig diogelu wyneb yn wyneb")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rhannu lluniau noeth neu hanner noeth").check()
    page.locator("#draft-status").filter(has_text="Drafft wedi’i gadw am").wait_for()  # autosave, in Welsh
    page.get_by_label("Chwilio am blentyn yn ôl ei enw").fill("Quen")
    page.get_by_role("button", name="Ychwanegu Quentin Puddlewick").click()
    group = page.get_by_role("group", name="Beth ddigwyddodd i Quentin Puddlewick")
    group.wait_for()
    group.get_by_label("Yn y ddelwedd").check()
    page.get_by_label("Beth ddywedodd y plentyn, neu beth welsoch chi?").fill(
        "Dywedodd Quentin fod ei lun wedi cael ei anfon i'r sgwrs grŵp.")
    page.get_by_role("group", name="Ydych chi wedi dweud wrth y person dynodedig diogelu eich hun?") \
        .get_by_label("Ydy", exact=True).check()
    assert_accessible(page)
    assert_no_csp_violations(page)
    page.get_by_role("button", name="Anfon yr adroddiad").click()
    expect(page.get_by_role("heading", name="Adroddiad wedi’i anfon")).to_be_visible()
    expect(page.get_by_text("Mae eich person dynodedig diogelu a’i ddirprwyon wedi cael gwybod.")).to_be_visible()
    assert_accessible(page)
    concern = Concern.objects.get()
    assert concern.account.startswith("Dywedodd Quentin")

    page.get_by_role("button", name="Allgofnodi").click()
    sign_in_as(page, world.diana)
    # Her home page: what is waiting for her, in Welsh, the deadline in Welsh words.
    expect(page.get_by_role("heading", name="Yn aros amdanoch chi")).to_be_visible()
    expect(page.get_by_role("heading", name="Pryderon i’w cydnabod (1)")).to_be_visible()
    expect(page.get_by_role("link", name=f"{concern.reference}: Cydnabod y pryder hwn")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^erbyn \d+ \w+ \d{4} am \d+:\d\d(yb|yp)$"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Hysbysiadau 1 heb eu darllen").click()
    expect(page.get_by_role("heading", name="Hysbysiadau", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Pryderon newydd")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(
        rf"^Pryder newydd {concern.reference} yn Oakfield Primary: cydnabyddwch ef erbyn .* am \d+:\d\d(yb|yp)$"))) \
        .to_be_visible()
    assert_accessible(page)
    assert_no_csp_violations(page)

    case = case_actions.open_case(user=world.diana, concern=concern)  # opening a case has its own journeys
    page.goto(f"/cases/{case.id}/")
    expect(page.get_by_role("heading", name=f"Achos {case.reference}")).to_be_visible()
    expect(page.get_by_role("heading", name="Beth sydd ei angen nesaf")).to_be_visible()
    expect(page.get_by_role("heading", name="Clociau")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/advice/case/{case.id}/")
    welsh = page.get_by_role("link", name=re.compile(r"^Argraffu yn Gymraeg \(PDF\) – leaflet for the child"))
    expect(welsh).to_be_visible()
    assert_accessible(page)
    response = page.request.get(welsh.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.body(), tmp_path).split())
    assert "Os oes llun neu fideo ohonot ti wedi cael ei dynnu neu ei rannu" in text
    assert "Ti sy’n dewis a wyt ti am ddefnyddio Report Remove neu Take It Down." in text.replace("'", "’")
    assert "Pobl sy’n gallu helpu" in text and "Quentin" not in text
    assert "Cymorth am ddim a phreifat i unrhyw un o dan 19 oed" in text.replace("'", "’")  # Childline's entry
