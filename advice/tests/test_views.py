"""The advice pages: an access ladder for every view, the edit form, a case's advice, audit (H2, H3)."""

import html
import re

import pytest
from django.urls import reverse

from advice import versions
from audit.models import AuditEvent
from cases.tests.helpers import make_case
from tests.people import make_pupil, sign_in
from tests.plain_words import rule_numbers_in

pytestmark = pytest.mark.django_db

SCRIPT = "imagery-shared-child"


@pytest.fixture
def case(world):
    return make_case(world)  # Quentin, pictured


def school_pages():
    return {
        "list": reverse("advice:list"),
        "detail": reverse("advice:detail", args=[SCRIPT]),
        "edit": reverse("advice:edit", args=[SCRIPT]),
    }


def case_pages(case, world):
    return {
        "case": reverse("advice:case", args=[case.id]),
        "letter": reverse("advice:letter", args=[case.id, "imagery-shared-parent", world.pupil.id]),
    }


# ---- the access ladder ---------------------------------------------------------------------

def test_anonymous_is_sent_to_sign_in(client, world, case):
    pages = {**school_pages(), **case_pages(case, world), "resources": reverse("advice:resources")}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), name


@pytest.mark.parametrize("person", ["tom", "gina", "terry", "carol", "adam"])
def test_wrong_roles_get_404_on_every_advice_page(client, world, case, person):
    sign_in(client, getattr(world, person))
    for name, url in {**school_pages(), **case_pages(case, world)}.items():
        assert client.get(url).status_code == 404, (person, name)
    assert client.post(school_pages()["edit"], {"paragraph-1": "x", "reason": "x"}).status_code == 404


@pytest.mark.parametrize("person", ["eve", "otto"])
def test_another_schools_dsl_gets_404_for_this_schools_case_pages(client, world, case, person):
    sign_in(client, getattr(world, person))
    for name, url in case_pages(case, world).items():
        assert client.get(url).status_code == 404, (person, name)


def test_a_missing_case_is_the_same_404(client, world, case):
    sign_in(client, world.diana)
    assert client.get(reverse("advice:case", args=[case.id + 999])).status_code == 404


def test_another_schools_dsl_sees_their_own_schools_wording_never_this_ones(client, world):
    versions.save_advice_override(user=world.diana, school=world.oakfield, script_id=SCRIPT,
                                  paragraphs=["Oakfield's own words."], reason="Ours.")
    sign_in(client, world.eve)
    page = client.get(reverse("advice:detail", args=[SCRIPT])).content.decode()
    assert "Elmtree High" in page and "Oakfield" not in page
    assert client.get(reverse("advice:list")).content.decode().count("Reworded") == 0


def test_the_dsl_reaches_every_page(client, world, case):
    sign_in(client, world.diana)
    for name, url in {**school_pages(), **case_pages(case, world), "resources": reverse("advice:resources")}.items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("person", ["dev", "lena"])
def test_the_deputy_and_the_trust_lead_read_the_advice(client, world, case, person):
    sign_in(client, getattr(world, person))
    for name, url in {"list": reverse("advice:list"), "detail": reverse("advice:detail", args=[SCRIPT]),
                      **case_pages(case, world)}.items():
        assert client.get(url).status_code == 200, (person, name)


def test_a_deputy_may_read_but_not_reword(client, world):
    sign_in(client, world.dev)
    assert "Change the wording" not in client.get(reverse("advice:detail", args=[SCRIPT])).content.decode()
    assert client.get(reverse("advice:edit", args=[SCRIPT])).status_code == 404


@pytest.mark.parametrize("person", ["tom", "gina", "diana", "eve"])
def test_r_i7_any_signed_in_member_of_staff_may_read_the_resources(client, world, person):
    sign_in(client, getattr(world, person))
    page = client.get(reverse("advice:resources"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "CEOP Safety Centre" in text and "Childline" in text and "0800 1111" in text


def test_an_unknown_script_is_404(client, world):
    sign_in(client, world.diana)
    assert client.get(reverse("advice:detail", args=["nope"])).status_code == 404
    assert client.get(reverse("advice:edit", args=["nope"])).status_code == 404


# ---- reading and rewording ---------------------------------------------------------------------

def test_the_list_shows_every_script_with_the_version_in_use(client, world):
    sign_in(client, world.diana)
    page = html.unescape(client.get(reverse("advice:list")).content.decode())
    for script in versions.effective_all(world.oakfield).values():
        assert script["title"] in page
    assert "Advice for a child whose image was taken or shared v3" in page


def test_the_edit_form_shows_one_box_per_paragraph_and_an_empty_one(client, world):
    sign_in(client, world.diana)
    page = client.get(reverse("advice:edit", args=[SCRIPT])).content.decode()
    count = len(versions.effective_script(world.oakfield, SCRIPT)["paragraphs"])
    assert f'name="paragraph-{count}"' in page and f'name="paragraph-{count + 1}"' in page
    assert f'name="paragraph-{count + 2}"' not in page
    assert "Add a paragraph (optional)" in page


def test_saving_a_new_wording_adds_a_version_shown_in_the_history(client, world):
    sign_in(client, world.diana)
    response = client.post(reverse("advice:edit", args=[SCRIPT]), {
        "paragraph-1": "Thank you for telling us.", "paragraph-2": "", "paragraph-3": "Mrs Patel can help.",
        "reason": "Name our pastoral lead.",
    })
    assert response.status_code == 302 and response["Location"] == reverse("advice:detail", args=[SCRIPT])
    page = client.get(response["Location"]).content.decode()
    assert "Saved. Oakfield Primary now uses version 1 of this wording." in page
    assert "Advice for a child whose image was taken or shared v3 · Oakfield Primary v1" in page
    assert "Name our pastoral lead." in page and "Diana Dsl" in page
    assert versions.effective_script(world.oakfield, SCRIPT)["paragraphs"] == [
        "Thank you for telling us.", "Mrs Patel can help."]


def test_an_error_keeps_everything_typed(client, world):
    sign_in(client, world.diana)
    response = client.post(reverse("advice:edit", args=[SCRIPT]), {
        "paragraph-1": "A first paragraph I typed.", "paragraph-2": "It is your fault.", "paragraph-3": "",
        "reason": "",
    })
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Say why you are changing the wording." in page and "advice must be free of blame" in page
    assert rule_numbers_in(page) == []  # D6 in words (issue 20.4)
    assert "A first paragraph I typed." in page and "It is your fault." in page
    assert 'href="#reason"' in page and 'href="#paragraph-1"' in page
    assert versions.history(world.oakfield, SCRIPT) == []


def test_a_reason_typed_beside_a_bad_paragraph_is_kept(client, world):
    sign_in(client, world.diana)
    page = client.post(reverse("advice:edit", args=[SCRIPT]),
                       {"paragraph-1": "", "reason": "Because we want to."}).content.decode()
    assert "Keep at least one paragraph." in page and "Because we want to." in page


def test_the_edit_page_never_changes_anything_on_get(client, world):
    sign_in(client, world.diana)
    client.get(reverse("advice:edit", args=[SCRIPT]) + "?paragraph-1=x&reason=y")
    assert versions.history(world.oakfield, SCRIPT) == []


# ---- a case's advice -------------------------------------------------------------------------------

def test_r_d3_d4_the_case_page_offers_each_child_the_scripts_for_their_role(client, world):
    other = make_pupil(world.oakfield, "Wren", "Ashcombe", "A999000000009")
    case = make_case(world, children=[(world.pupil, "pictured"), (other, "received")])
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    sections = {
        re.search(r"<h2[^>]*>([^<]+)</h2>", s).group(1): s
        for s in re.findall(r"<section.*?</section>", page, re.DOTALL)
    }
    quentin, wren = sections["Quentin Puddlewick"], sections["Wren Ashcombe"]
    assert "Advice for a child whose image was taken or shared" in quentin
    assert "Advice for parents and carers whose child&#39;s image was taken or shared" in quentin
    assert "Advice for a child who was sent an image" not in quentin
    assert "Advice for a child who was sent an image" in wren
    assert "Advice for parents and carers whose child was sent an image" in wren
    assert reverse("advice:letter", args=[case.id, "received-parent", other.id]) in wren
    assert "sextortion" not in page.lower().split("where to get help")[0]


def test_r_e6_d9_a_sextortion_case_offers_its_target_the_sextortion_advice_only(client, world):
    case = make_case(world, "sextortion", children=[(world.pupil, "pictured")])
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    assert "Advice for a child being threatened with an image (sextortion)" in page
    # D9: not the general advice beside it, which could contradict "keep everything".
    assert "Advice for a child whose image was taken or shared" not in page
    assert reverse("advice:letter", args=[case.id, "sextortion-parent", world.pupil.id]) in page
    assert "Someone is threatening to share images" in page  # the services for extortion come first


def test_r_f4_a_radicalisation_case_points_to_the_helpline_and_the_anti_terrorist_hotline(client, world):
    case = make_case(world, "radicalisation", children=[(world.pupil, "other")])
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    assert "020 7340 7264" in page and "0800 789 321" in page


def test_the_case_page_uses_the_schools_wording(client, world, case):
    versions.save_advice_override(user=world.diana, school=world.oakfield, script_id=SCRIPT,
                                  paragraphs=["Mrs Patel is in room 4 every lunchtime."], reason="Ours.")
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    assert "Mrs Patel is in room 4 every lunchtime." in page and "Oakfield Primary v1" in page


def test_r_d5_the_case_page_links_removal_routes(client, world, case):
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    assert "https://takeitdown.ncmec.org/" in page and "Report Remove" in page


def test_h2_reading_a_cases_advice_is_audited(client, world, case):
    sign_in(client, world.diana)
    client.get(reverse("advice:case", args=[case.id]))
    event = AuditEvent.objects.filter(action="view", object_type="case", object_id=str(case.id)).latest("seq")
    assert event.detail == {"page": "advice"} and event.actor == world.diana


def test_h2_printing_a_letter_is_audited_as_an_export(client, world, case):
    sign_in(client, world.diana)
    response = client.get(reverse("advice:letter", args=[case.id, "imagery-shared-parent", world.pupil.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="imagery-shared-parent.pdf"'
    event = AuditEvent.objects.filter(action="export", object_type="case").get()
    assert event.detail["script"] == "imagery-shared-parent" and event.detail["pupil"] == world.pupil.id


def test_a_letter_is_only_for_a_child_in_the_case_and_a_script_that_fits_them(client, world, case):
    sign_in(client, world.diana)
    stranger = make_pupil(world.oakfield, "Wren", "Ashcombe", "A999000000009")
    assert client.get(reverse("advice:letter", args=[case.id, "imagery-shared-parent", stranger.id])).status_code == 404
    # Quentin was pictured: the advice for a child who shared is not offered to him.
    assert client.get(reverse("advice:letter", args=[case.id, "shared-or-created-parent",
                                                     world.pupil.id])).status_code == 404
    assert client.get(reverse("advice:letter", args=[case.id, "nope", world.pupil.id])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_added_reader_of_the_case_may_read_its_advice(client, world, case):
    from cases import actions

    actions.add_member(user=world.diana, case=case, member=world.tom, reason="Form tutor")
    sign_in(client, world.tom)
    assert client.get(reverse("advice:case", args=[case.id])).status_code == 200


def test_the_case_page_costs_the_same_queries_for_one_child_or_four(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, world.diana)
    one = make_case(world, children=[(world.pupil, "pictured")])
    others = [make_pupil(world.oakfield, f"Child{n}", f"Surname{n}", f"A99900000010{n}") for n in range(3)]
    four = make_case(world, children=[(world.pupil, "pictured"), *[(p, "received") for p in others]])
    counts = []
    for case in (one, four):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("advice:case", args=[case.id])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_r_d1_no_family_letter_while_the_parents_are_not_to_be_told(client, world, case):
    from evidence import actions as evidence_actions

    evidence_actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=False,
                                           agreed_with="csc", reason="Telling them could put the child at risk.")
    sign_in(client, world.diana)
    page = client.get(reverse("advice:case", args=[case.id])).content.decode()
    assert reverse("advice:letter", args=[case.id, "imagery-shared-parent", world.pupil.id]) not in page
    assert "No letter to the family" in page
    assert reverse("advice:letter", args=[case.id, SCRIPT, world.pupil.id]) in page  # the child's leaflet stays
    refused = client.get(reverse("advice:letter", args=[case.id, "imagery-shared-parent", world.pupil.id]))
    assert refused.status_code == 409 and "could put the child at risk" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()
    # Once a later record says they were told, the letter can be printed.
    from django.utils import timezone

    evidence_actions.record_parent_contact(user=world.diana, case=case, pupil=world.pupil, informed=True,
                                           informed_at=timezone.now(), how="Phone call with mum")
    response = client.get(reverse("advice:letter", args=[case.id, "imagery-shared-parent", world.pupil.id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
