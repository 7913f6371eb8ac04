"""Who a concern reaches (rules A1, A4, A5), as data in one place."""

from accounts.capabilities import Capability, Role
from accounts.models import Membership, User
from concerns.models import IncidentType, Route

ROUTE_ROLES = {
    Route.DSL: {Role.DSL, Role.DEPUTY_DSL},
    Route.HEADTEACHER: {Role.HEADTEACHER},
    Route.CHAIR: {Role.CHAIR_OF_GOVERNORS},
}
# A5: a filtering or monitoring breach also reaches technical staff.
EXTRA_ROLES = {IncidentType.FILTERING_BREACH: {Role.TECHNICAL}}
# Not acknowledged in time: the deputies and the headteacher are told (A1).
ESCALATION_ROLES = {Role.DEPUTY_DSL, Role.HEADTEACHER}


# F4: a member of staff being radicalised is a concern about that member of staff (A4), with Prevent as well.
ABOUT_STAFF_WHEN_NAMED = {IncidentType.RADICALISATION}


def is_about_staff(incident_type, subject_staff):
    """A4: whether a concern goes by the allegation route (the headteacher, or the chair, and the LADO)."""
    return incident_type == IncidentType.STAFF_ALLEGATION or (
        incident_type in ABOUT_STAFF_WHEN_NAMED and subject_staff is not None)


def route_for(*, incident_type, subject_staff, school):
    if not is_about_staff(incident_type, subject_staff):
        return Route.DSL
    subject_roles = set(Membership.objects.filter(user=subject_staff, school=school).values_list("role", flat=True))
    return Route.CHAIR if Role.HEADTEACHER in subject_roles else Route.HEADTEACHER


def roles_for(concern):
    return ROUTE_ROLES[concern.route] | EXTRA_ROLES.get(concern.incident_type, set())


def users_with_roles(school, roles, *, exclude=()):
    """Active users holding any of `roles` at `school` (one query)."""
    return list(
        User.objects.filter(is_active=True, memberships__school=school, memberships__role__in=roles)
        .exclude(id__in=[u for u in exclude if u])
        .distinct()
        .order_by("id")
    )


def recipients(concern):
    return users_with_roles(concern.school, roles_for(concern), exclude=[concern.subject_staff_id])


def escalation_recipients(concern):
    roles = ESCALATION_ROLES if concern.route == Route.DSL else ROUTE_ROLES[concern.route]
    return users_with_roles(concern.school, roles, exclude=[concern.subject_staff_id])


def may_receive(user, concern):
    """Whether `user` is one of the people this concern is for. The person concerned never is (A4)."""
    if concern.subject_staff_id == user.id:
        return False
    roles = user.access.roles_in(concern.school_id)
    if concern.route == Route.DSL and user.access.can(Capability.RECEIVE_CONCERNS, concern.school_id):
        return True
    return bool(roles & roles_for(concern))
