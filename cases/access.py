"""Access to cases (H3, A4), one place for every view and action.

- A DSL-route case is for the school's DSL team (READ_CASES; MANAGE_CASES to act on it).
- A staff-allegation case is for the headteacher (or the chair of governors when it is
  about the headteacher), who also manage it.
- People added to a case (a SENCO, someone asked to sign off, anyone the team adds)
  may read it and add notes; each addition is audited.
- The member of staff a case is about never sees it. A stranger gets the same 404 as
  a missing case.
"""

from django.http import Http404

from accounts.capabilities import Capability
from cases.models import Case, CaseMember
from concerns.models import Route
from concerns.routing import ROUTE_ROLES


def owns(user, case):
    """The team that runs the case: may answer, decide, close."""
    if case.subject_staff_id == user.id:
        return False
    if case.route == Route.DSL:
        return user.access.can(Capability.MANAGE_CASES, case.school_id)
    return bool(user.access.roles_in(case.school_id) & ROUTE_ROLES[case.route])


def may_read(user, case):
    if case.subject_staff_id == user.id or not user.is_authenticated:
        return False
    if case.route == Route.DSL and user.access.can(Capability.READ_CASES, case.school_id):
        return True
    if owns(user, case):
        return True
    return CaseMember.objects.filter(case=case, user=user).exists()


def get_case_for(user, case_id):
    case = Case.objects.select_related("school", "opened_by").filter(id=case_id).first()
    if case is None or not may_read(user, case):
        raise Http404("No such case")
    return case


def get_case_to_manage(user, case_id):
    """For writes that belong to the owning team. Readers who may not act get a 404 too."""
    case = get_case_for(user, case_id)
    if not owns(user, case):
        raise Http404("No such case")
    return case


def open_cases_for(user, concern):
    """Open cases this concern could join: same school, same route, run by `user`."""
    cases = Case.objects.filter(school=concern.school_id, route=concern.route, status=Case.Status.OPEN)
    return [c for c in cases.order_by("-opened_at")[:50] if owns(user, c)]


def cases_for(user, school):
    """Cases at `school` this user may read (the case list)."""
    cases = Case.objects.filter(school=school).select_related("school")
    grants = []
    if user.access.can(Capability.READ_CASES, school):
        grants.append(Route.DSL)
    grants += [route for route in (Route.HEADTEACHER, Route.CHAIR) if user.access.roles_in(school) & ROUTE_ROLES[route]]
    from django.db.models import Q

    query = Q(route__in=grants) | Q(members__user=user)
    return cases.filter(query).exclude(subject_staff=user).distinct()
