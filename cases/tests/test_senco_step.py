"""B11 on the case page: the step "Involve the SENCO …" says what the pupil records already hold about special
educational needs, so the DSL does not have to look it up (what Harbour knows, it does not ask for again)."""

import html

import pytest
from django.urls import reverse

from cases.tests.helpers import make_case
from tests.people import make_pupil, make_user, sign_in

pytestmark = pytest.mark.django_db


def _senco_step(client, user, case):
    sign_in(client, user)
    page = html.unescape(client.get(reverse("cases:detail", args=[case.id])).content.decode())
    row = next(r for r in page.split('<tr class="govuk-table__row">') if "Involve the SENCO" in r)
    return row.split("</td>", 1)[0]


def _with_sen(world, status):
    world.pupil.sen_status = status
    world.pupil.save()


def test_r_b11_a_child_with_an_ehc_plan_is_named_on_the_senco_step(client, world):
    _with_sen(world, "E")
    case = make_case(world)
    assert "Quentin has an EHC plan: involve the SENCO." in _senco_step(client, world.diana, case)


def test_r_b11_each_child_with_needs_is_named_and_a_child_without_is_not(client, world):
    _with_sen(world, "E")
    milo = make_pupil(world.oakfield, "Milo", "Bramblecott", "A999000000010", year_group=5, sex="M")
    milo.sen_status = "K"
    milo.save()
    ada = make_pupil(world.oakfield, "Ada", "Fernleigh", "A999000000011", year_group=5)
    case = make_case(world, children=[(world.pupil, "pictured"), (milo, "shared_onward"), (ada, "received")])
    step = _senco_step(client, world.diana, case)
    assert "Milo has SEN support; Quentin has an EHC plan: involve the SENCO." in step
    assert "Ada" not in step


def test_r_b11_b10_when_the_records_show_no_needs_the_step_says_it_can_be_closed_with_that_reason(client, world):
    case = make_case(world)
    step = _senco_step(client, world.diana, case)
    assert ("The pupil records show no special educational needs for Quentin. If that is right, mark this step not "
            "done with that reason.") in step
    assert "involve the SENCO." not in step


def test_r_b11_the_senco_added_to_the_case_does_not_see_the_pupil_record_note(client, world):
    """Access: the note is for the DSL team, as the record's flags are; the SENCO reads the case, not the flags."""
    senco = make_user("sally@oakfield.example", "Sally Senco", school=world.oakfield, role="senco")
    _with_sen(world, "E")
    case = make_case(world)
    assert "has an EHC plan" not in _senco_step(client, senco, case)
