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
