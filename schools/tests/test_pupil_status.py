"""What the MIS knows that matters (issue 22.3): status flags and pupils sharing a parent or carer, shown on the
pupil's record and on a case to the DSL team only. A flag suggests "a child more vulnerable than usual" (rule B3) for
the DSL to decide; Harbour never answers it."""

import pytest
from django.urls import reverse

from cases.tests.helpers import make_case
from imports.actions import import_people
from schools import status
from schools.models import Pupil
from tests.people import make_pupil, sign_in

pytestmark = pytest.mark.django_db

CONTACTS = ("UPN,Contact Forename,Contact Surname,Relationship,Lives With Pupil,Contact Email\r\n"
            "A999000000001,Pat,Puddlewick,Mother,T,pat@family.example\r\n"
            "A999000000004,Pat,Puddlewick,Mother,T,pat@family.example\r\n"
            "A999000000005,Pat,Puddlewick,Aunt,F,pat@family.example\r\n")


@pytest.fixture
def flagged(world):
    """Quentin has a child protection plan and is a young carer; his sister Polly lives with the same mother; his
    cousin Ruby sees her as an aunt, but lives elsewhere."""
    Pupil.objects.filter(id=world.pupil.id).update(has_child_protection_plan=True, is_young_carer=True,
                                                   sen_status="E")
    polly = make_pupil(world.oakfield, "Polly", "Puddlewick", "A999000000004", year_group=3)
    ruby = make_pupil(world.oakfield, "Ruby", "Rainbird", "A999000000005", year_group=4)
    import_people(school=world.oakfield, data=CONTACTS.encode(), actor=world.adam)
    world.pupil.refresh_from_db()
    return polly, ruby


def test_flags_and_household_come_from_the_mis(world, flagged):
    polly, ruby = flagged
    assert [label for label, _ in status.flags(world.pupil)] == ["Child protection plan", "Young carer",
                                                                 "Education, health and care plan"]
    household = {h["pupil"]: h["same_home"] for h in status.household(world.pupil)}
    assert household == {polly: True, ruby: False}


def test_the_dsl_team_sees_flags_and_siblings_on_the_pupil_record(client, world, flagged):
    url = reverse("schools:pupil_detail", args=[world.pupil.id])
    for dsl_team in (world.diana, world.dev, world.lena):
        sign_in(client, dsl_team)
        page = client.get(url).content.decode()
        assert "Child protection plan" in page and "Young carer" in page, dsl_team
        assert "Polly Puddlewick</a> (Year 3):\n    shares Pat Puddlewick, and lives in the same home." in page


def test_r_h3_staff_governors_headteacher_and_senco_never_see_the_flags(client, world, flagged):
    """Staff and governors have no pupil record at all; the headteacher and SENCO see the record without the
    safeguarding flags or the household (the SENCO still sees the child's SEN)."""
    from tests.people import make_user

    senco = make_user("sally@oakfield.example", "Sally Senco", school=world.oakfield, role="senco")
    url = reverse("schools:pupil_detail", args=[world.pupil.id])
    for outsider in (world.tom, world.gina, world.terry):
        sign_in(client, outsider)
        assert client.get(url).status_code == 404, outsider
    for reader in (world.hana, senco):
        sign_in(client, reader)
        page = client.get(url).content.decode()
        assert "Child protection plan" not in page and "Young carer" not in page and "Polly" not in page, reader
    assert "Education, health and care plan" in page


def test_r_b3_a_flag_on_a_case_suggests_the_factor_and_never_answers_it(client, world, flagged):
    case = make_case(world)
    url = reverse("cases:detail", args=[case.id])
    sign_in(client, world.diana)
    page = client.get(url).content.decode()
    assert "What the school’s records say" in page and "Child protection plan" in page
    assert "A child involved is more vulnerable than usual." in page and "Not answered yet." in page
    assert "Harbour has not answered this for you" in page
    case.refresh_from_db()
    assert "B3.3" not in case.facts  # a suggestion, never an answer


def test_r_h3_the_headteacher_on_a_case_about_staff_does_not_see_the_childs_flags(client, world, flagged):
    case = make_case(world, "staff-allegation", children=[(world.pupil, "harmed")], subject_staff=world.tom)
    sign_in(client, world.hana)
    page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "Quentin" in page and "What the school’s records say" not in page and "Young carer" not in page


def test_households_of_several_pupils_are_each_ones_own_in_one_query(world, flagged, django_assert_num_queries):
    """The case page reads every child's household at once, in one query (issue 24; two until round two); each is
    what `household` gives alone."""
    polly, ruby = flagged
    alone = {p.id: status.household(p) for p in (world.pupil, polly, ruby)}
    with django_assert_num_queries(1):
        together = status.households([world.pupil, polly, ruby])
    assert together == alone
    assert polly not in {h["pupil"] for h in together[polly.id]} and together[polly.id]  # never herself


def test_a_pupil_who_left_or_of_another_school_is_in_no_household_yet_has_their_own(world, flagged,
                                                                                    django_assert_num_queries):
    """Only pupils on roll at the child's school are in a household; a child who has left still has theirs (a case
    may be about a child who has since left), in the same one query."""
    from datetime import date

    from schools.models import PupilCarer

    polly, ruby = flagged
    link = PupilCarer.objects.get(pupil=world.pupil)
    elsewhere = make_pupil(world.riverside, "Ezra", "Puddlewick", "A999000000007")
    PupilCarer.objects.create(pupil=elsewhere, carer=link.carer, relationship="Mother")
    Pupil.objects.filter(id=ruby.id).update(left_on=date(2026, 7, 20))
    ruby.refresh_from_db()
    with django_assert_num_queries(1):
        found = status.households([world.pupil, ruby])
    assert {h["pupil"] for h in found[world.pupil.id]} == {polly}  # not Ruby (left), not Ezra (Riverside)
    assert {h["pupil"]: h["same_home"] for h in found[ruby.id]} == {world.pupil: False, polly: False}
    assert status.household(polly) == [{"pupil": world.pupil, "carers": ["Pat Puddlewick"], "same_home": True}]
