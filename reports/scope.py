"""What a leader's numbers cover: one place, so a dashboard, its lists, the trends and the
reports can never disagree about whose incidents they count.

Oversight is not case access. A headteacher oversees the safeguarding team's work without
reading its case files, so the dashboard counts and lists the school's safeguarding-team
cases for them by reference and kind only, with no child's name and no link into a case
they may not read (H3). Concerns about staff stay with the people they are routed to
(A4): the headteacher's numbers include them; the DSL's do not; a concern about the
headteacher is counted for nobody here (it goes to the chair of governors); and nobody is
ever shown a count of concerns about themselves.
"""

from django.db.models import Q

from accounts.capabilities import Capability
from cases.access import cases_for
from cases.models import Case
from concerns.models import Concern, Route
from concerns.routing import ROUTES


def oversees(user, school):
    return user.access.can(Capability.VIEW_SCHOOL_DASHBOARD, school)


def routes_for(user, school):
    """The routes whose incidents `user` oversees at `school` (empty: none)."""
    if not oversees(user, school):
        return []
    routes = [Route.DSL]
    if user.access.can(ROUTES[Route.HEADTEACHER].receive, school):
        routes.append(Route.HEADTEACHER)
    return routes


def _filter(queryset, user, schools, via=""):
    """Keep the rows of `queryset` (cases or concerns, or rows of another model whose `via` relation is
    one) inside `user`'s oversight at `schools`."""
    query = Q(pk__in=[])
    for school in schools:
        routes = routes_for(user, school)
        if routes:
            query |= Q(**{f"{via}school": school, f"{via}route__in": routes})
    return queryset.filter(query).exclude(**{f"{via}subject_staff": user})


def cases(user, schools):
    return _filter(Case.objects.all(), user, schools)


def open_case_rows(queryset, user, schools):
    """Rows of `queryset` (tasks, decisions: anything with a `case`) whose case is open and overseen.

    A join on the case rather than `case__in=<subquery>`: the case's school, route and subject then come
    from the (school, status, opened_at, route, subject_staff) index, and no case row is read."""
    return _filter(queryset, user, schools, via="case__").filter(case__status=Case.Status.OPEN)


def concerns(user, schools):
    return _filter(Concern.objects.all(), user, schools)


def readable_case_ids(user, school):
    """Ids of the cases at `school` that `user` may open (one query); the rest are listed without a link."""
    return set(cases_for(user, school).values_list("id", flat=True))


def children_routes():
    """Routes that are about children. Governors' numbers cover only these (G4)."""
    return [Route.DSL]
