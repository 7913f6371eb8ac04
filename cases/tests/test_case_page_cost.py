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
