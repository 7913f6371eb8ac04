"""Access to cases: the school's DSL team, or for allegations the headteacher or chair (H3, A4)."""

from django.http import Http404

from accounts.capabilities import Capability
from cases.models import Case
from concerns.models import Route
from concerns.routing import ROUTE_ROLES


def may_read(user, case):
    if case.subject_staff_id == user.id:
        return False
    if case.route == Route.DSL:
        return user.access.can(Capability.READ_CASES, case.school_id)
    return bool(user.access.roles_in(case.school_id) & ROUTE_ROLES[case.route])


def get_case_for(user, case_id):
    case = Case.objects.select_related("school", "opened_by").filter(id=case_id).first()
    if case is None or not may_read(user, case):
        raise Http404("No such case")
    return case


def open_cases_for(user, concern):
    """Open cases this concern could join: same school, same route, readable by `user`."""
    cases = Case.objects.filter(school=concern.school_id, route=concern.route, status=Case.Status.OPEN)
    return [c for c in cases.order_by("-opened_at")[:50] if may_read(user, c)]
