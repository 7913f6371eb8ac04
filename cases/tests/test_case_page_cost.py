"""Issue 24: what the case page reads does not grow with the number of earlier cases of the same children."""

import pytest

from cases import actions
from cases.access import may_read, readable
from cases.tests.helpers import make_case

pytestmark = pytest.mark.django_db


def test_r_h3_readable_is_may_read_of_each_case_in_one_query(world, django_assert_num_queries):
    """Earlier cases on a route the DSL does not read (an allegation, run by the headteacher) are left out unless the
    DSL was added to them, exactly as `may_read` decides one by one."""
    own = make_case(world)
    allegations = [make_case(world, "staff-allegation", children=[(world.pupil, "harmed")], subject_staff=world.tom)
                   for _ in range(3)]
    actions.add_member(user=world.hana, case=allegations[1], member=world.diana, reason="Asked to advise")
    cases = [own, *allegations]
    expected = [c for c in cases if may_read(world.diana, c)]
    assert expected == [own, allegations[1]]
    with django_assert_num_queries(1):
        assert readable(world.diana, cases) == expected
    assert readable(world.tom, cases) == [c for c in cases if may_read(world.tom, c)] == []


def test_r_h3_earlier_cases_read_with_the_viewers_membership_need_no_other_query(world, django_assert_num_queries):
    """Issue 24: the case page reads each earlier case with whether its viewer was added to it, so `readable` asks
    nothing more, whatever routes the earlier cases are on, and still decides as `may_read` does; rows read for one
    person are never taken as another's membership."""
    from cases.evaluation import earlier_cases

    own = make_case(world)
    allegations = [make_case(world, "staff-allegation", children=[(world.pupil, "harmed")], subject_staff=world.tom)
                   for _ in range(3)]
    actions.add_member(user=world.hana, case=allegations[1], member=world.diana, reason="Asked to advise")
    latest = make_case(world)
    with django_assert_num_queries(1):
        earlier = earlier_cases(latest, {world.pupil.id}, viewer=world.diana)
    assert {c.id for c in earlier} == {own.id, *(a.id for a in allegations)}
    with django_assert_num_queries(0):
        shown = readable(world.diana, earlier)
    assert shown == [c for c in earlier if may_read(world.diana, c)]
    assert {c.id for c in shown} == {own.id, allegations[1].id}
    expected = [c for c in earlier if may_read(world.dev, c)]  # (Dev's roles are read here, once)
    with django_assert_num_queries(1):  # read for Diana: Dev's membership is asked
        assert readable(world.dev, earlier) == expected


def _case_page_queries(client, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.get(reverse("cases:detail", args=[case.id]))  # the chronology's fragments are rendered and kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:detail", args=[case.id]))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_r_b3_6_the_case_page_reads_as_much_for_many_earlier_cases_children_and_entries_as_for_none(client, world):
    """B3.6, H2: the case page's queries do not grow with its children, their earlier cases, their households or its
    chronology (issue 24); the earlier cases are listed, newest first, by reference and kind."""
    from imports.actions import import_people
    from schools.tests.test_pupil_status import CONTACTS
    from tests.people import make_pupil, sign_in

    sign_in(client, world.diana)
    others = [make_pupil(world.oakfield, "Polly", "Puddlewick", "A999000000004", year_group=3),
              make_pupil(world.oakfield, "Ruby", "Rainbird", "A999000000005", year_group=4),
              make_pupil(world.oakfield, "Sam", "Tester", "A999000000106", year_group=7)]
    import_people(school=world.oakfield, data=CONTACTS.encode(), actor=world.adam)  # a household of three
    first = make_case(world)
    one_of_each = make_case(world)  # one child, in one household, one earlier case
    few, _ = _case_page_queries(client, one_of_each)
    children = [(world.pupil, "pictured"), *((p, "received") for p in others)]
    earlier = [first, one_of_each, *(make_case(world, children=children) for _ in range(4))]
    crowded = make_case(world, children=children)
    for n in range(5):
        actions.add_note(user=world.diana, case=crowded, text=f"Spoke with the family, visit {n}.")
    many, page = _case_page_queries(client, crowded)
    assert many == few
    assert "Shares a parent or carer with Polly Puddlewick (Year 3, same home)" in page
    listed = [page.index(f"Case {c.reference}</a>: Sharing nudes or semi-nudes, opened") for c in earlier]
    assert listed == sorted(listed, reverse=True)  # newest first


def test_the_case_page_asks_the_database_a_fixed_number_of_times(client, world, django_assert_num_queries):
    """Issue 24: the count may only go down. The session, the user, the case, the read's audit event (H2: written
    before the response leaves), the case's lists, its children and earlier cases, the chronology, the header."""
    from django.urls import reverse

    from tests.people import sign_in

    case = make_case(world)
    sign_in(client, world.diana)
    client.get(reverse("cases:detail", args=[case.id]))
    from django.db import connection

    # PostgreSQL takes one more: the audit chain's advisory lock before the read's event (audit/log.py; SQLite's
    # writer lock comes with the write itself).
    expected = QUERIES_ON_THE_CASE_PAGE + (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        assert client.get(reverse("cases:detail", args=[case.id])).status_code == 200


def test_r_b3_6_earlier_cases_on_a_route_the_dsl_does_not_read_cost_no_query(client, world, django_assert_num_queries):
    """B3.6, H3, issue 24: earlier cases that the DSL reads only if added to them (allegations, which the headteacher
    runs) take no query of their own: the page asks as often as for a case with none (the quick bench's case took one
    query more than the full set's for this). The one she was added to is listed; the others are not."""
    from django.db import connection
    from django.urls import reverse

    from tests.people import sign_in

    allegations = [make_case(world, "staff-allegation", children=[(world.pupil, "harmed")], subject_staff=world.tom)
                   for _ in range(2)]
    actions.add_member(user=world.hana, case=allegations[0], member=world.diana, reason="Asked to advise")
    case = make_case(world)
    sign_in(client, world.diana)
    client.get(reverse("cases:detail", args=[case.id]))
    with django_assert_num_queries(QUERIES_ON_THE_CASE_PAGE + (connection.vendor == "postgresql")):
        page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert f"Case {allegations[0].reference}</a>" in page and f"Case {allegations[1].reference}" not in page


def test_a_childs_household_costs_the_case_page_no_query_of_its_own(client, world, django_assert_num_queries):
    """Issue 24: the households are one query whether or not a child has a parent or carer on record (two queries
    when one had, until round two: the full bench's case took one more than a case without)."""
    from django.db import connection
    from django.urls import reverse

    from imports.actions import import_people
    from schools.tests.test_pupil_status import CONTACTS
    from tests.people import make_pupil, sign_in

    make_pupil(world.oakfield, "Polly", "Puddlewick", "A999000000004", year_group=3)
    import_people(school=world.oakfield, data=CONTACTS.encode(), actor=world.adam)
    case = make_case(world)
    sign_in(client, world.diana)
    client.get(reverse("cases:detail", args=[case.id]))
    with django_assert_num_queries(QUERIES_ON_THE_CASE_PAGE + (connection.vendor == "postgresql")):
        page = client.get(reverse("cases:detail", args=[case.id])).content.decode()
    assert "Shares a parent or carer with Polly Puddlewick (Year 3, same home)" in page


QUERIES_ON_THE_CASE_PAGE = 17  # with the savepoint pair around the audit event (tests run in a transaction)


def test_j7_the_pinned_procedure_is_worked_out_once_per_pinned_copy_and_never_changed_by_a_page(client, world):
    """J7: two cases pinned to the same copy share one worked-out procedure; a copy that differs in anything (here
    the words of its first-screen warning) gets its own; rendering the case page leaves the shared one as it was."""
    import json

    from django.urls import reverse

    from cases import evaluation
    from cases.models import Case
    from tests.people import sign_in

    first, second = make_case(world), make_case(world)
    first, second = Case.objects.get(id=first.id), Case.objects.get(id=second.id)
    shared = evaluation.procedure_of(first)
    assert evaluation.procedure_of(second) is shared
    before = json.dumps(shared, sort_keys=True)
    sign_in(client, world.diana)
    assert client.get(reverse("cases:detail", args=[first.id])).status_code == 200
    assert client.get(reverse("cases:assess", args=[first.id])).status_code == 200
    assert json.dumps(evaluation.procedure_of(Case.objects.get(id=first.id)), sort_keys=True) == before
    changed = Case.objects.get(id=second.id)
    changed.procedure = {**changed.procedure, "kind_rules": {**changed.procedure["kind_rules"],
                                                             "first_screen_warning": "Another school's words."}}
    own = evaluation.procedure_of(changed)
    assert own is not shared and own["kind_rules"]["first_screen_warning"] == "Another school's words."
    assert shared["kind_rules"]["first_screen_warning"] != "Another school's words."


def test_r_h3_readable_asks_nothing_when_the_users_roles_decide_every_case(world, django_assert_num_queries):
    """H3: the DSL reads every safeguarding case at the school by role, so whether they were added to one is not
    asked; the same cases come back as `may_read` of each."""
    cases = [make_case(world) for _ in range(3)]
    with django_assert_num_queries(0):
        assert readable(world.diana, cases) == [c for c in cases if may_read(world.diana, c)] == cases
