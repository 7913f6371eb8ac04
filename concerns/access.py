"""Access to concerns, called first in every view. A stranger gets the same 404 as a missing record."""

from django.http import Http404

from accounts.capabilities import Capability

from concerns.models import Concern, Route
from concerns.routing import ROUTE_ROLES, may_receive


def get_concern_for_recipient(user, concern_id):
    concern = Concern.objects.select_related("school", "reported_by").filter(id=concern_id).first()
    if concern is None or not may_receive(user, concern):
        raise Http404("No such concern")
    return concern


def get_own_report(user, concern_id):
    """Rule A7: the reporter sees what they reported and its status, never the case file."""
    concern = Concern.objects.select_related("school").filter(id=concern_id, reported_by=user).first()
    if concern is None:
        raise Http404("No such report")
    return concern


def inbox_for(user, school):
    """Concerns at `school` this user receives: the DSL queue, and allegations for their role.

    Return None when the user receives no concerns at all there (the view's 404).
    """
    from django.db.models import Q

    roles = user.access.roles_in(school)
    grants = []
    if user.access.can(Capability.RECEIVE_CONCERNS, school):
        grants.append(Q(route=Route.DSL))
    elif user.access.can(Capability.RECEIVE_FILTERING_ALERTS, school):
        grants.append(Q(route=Route.DSL, incident_type="filtering-breach"))
    grants += [Q(route=route) for route in (Route.HEADTEACHER, Route.CHAIR) if roles & ROUTE_ROLES[route]]
    if not grants:
        return None
    query = grants[0]
    for grant in grants[1:]:
        query |= grant
    return Concern.objects.filter(query, school=school).exclude(subject_staff=user)
