"""Who a concern reaches (rules A1, A4, A5), as data in one place, in capabilities of the table.

A concern, and the case opened from it, follows one route. Each route names the capability of the
people it is for: they receive the concern, read the case and run it. Others are only *told*: they
hear of it so that they can do their own part (technical staff of a filtering breach, A5; the
deputies and headteacher of a concern nobody acknowledged in time, A1). What the told may see and do
is decided in `concerns/access.py`.
"""

from dataclasses import dataclass

from accounts.capabilities import Capability as C
from accounts.capabilities import capabilities_of
from accounts.policy import people_who_can
from concerns.models import IncidentType, Route


@dataclass(frozen=True)
class RouteRights:
    receive: C  # told at once; sees the whole concern and acknowledges it
    read: C  # reads the case
    manage: C  # opens the case and runs it


ROUTES = {
    Route.DSL: RouteRights(receive=C.RECEIVE_CONCERNS, read=C.READ_CASES, manage=C.MANAGE_CASES),
    # A4: a concern about a member of staff goes to the headteacher; about the headteacher, to the chair.
    Route.HEADTEACHER: RouteRights(*[C.RECEIVE_STAFF_ALLEGATIONS] * 3),
    Route.CHAIR: RouteRights(*[C.RECEIVE_HEADTEACHER_ALLEGATIONS] * 3),
}
# A5: who else is told of a kind of concern, to do their own part (never to manage it).
TOLD_OF = {IncidentType.FILTERING_BREACH: C.RECEIVE_FILTERING_ALERTS}
# A1: who else is told when a concern for the safeguarding team is not acknowledged in time.
ESCALATED_TO = C.RECEIVE_ESCALATIONS


# A concern of these kinds that names a member of staff is a concern about that member of staff (A4), and the
# allegation case starts with the kind's question answered yes, so it is not asked again: a member of staff being
# radicalised needs a Prevent decision as well as the LADO (F4); one holding indecent images of children needs the
# police as well (C9, B15).
ABOUT_STAFF_WHEN_NAMED = {
    IncidentType.RADICALISATION: ("radicalisation_concern",
                                  "a Prevent decision is needed as well as the LADO's advice."),
    IncidentType.IIOC: ("indecent_images", "the police must be told as well as the LADO, and school devices kept "
                        "untouched until they advise."),
}


def is_about_staff(incident_type, subject_staff):
    """A4: whether a concern goes by the allegation route (the headteacher, or the chair, and the LADO)."""
    return incident_type == IncidentType.STAFF_ALLEGATION or (
        incident_type in ABOUT_STAFF_WHEN_NAMED and subject_staff is not None)


def route_for(*, incident_type, subject_staff, school):
    """A4: a concern about a member of staff goes to those who receive such concerns; when it is about one of
    them (the headteacher), it goes up to the chair of governors."""
    from accounts.models import Membership

    if not is_about_staff(incident_type, subject_staff):
        return Route.DSL
    roles = Membership.objects.filter(user=subject_staff, school=school).values_list("role", flat=True)
    return Route.CHAIR if ROUTES[Route.HEADTEACHER].receive in capabilities_of(roles) else Route.HEADTEACHER


def recipients(concern):
    """Everyone told of a new concern: those it is for, and those told of its kind (A1, A5). Never its subject."""
    told = [TOLD_OF[concern.incident_type]] if concern.incident_type in TOLD_OF else []
    return people_who_can(concern.school, ROUTES[concern.route].receive, *told, exclude=[concern.subject_staff_id])


def escalation_recipients(concern):
    """A1: a concern waiting too long for the safeguarding team is escalated to the deputies and the
    headteacher; one about a member of staff, to those it is for, again."""
    wanted = ESCALATED_TO if concern.route == Route.DSL else ROUTES[concern.route].receive
    return people_who_can(concern.school, wanted, exclude=[concern.subject_staff_id])


def team(school, route, *, exclude=()):
    """The people at `school` who run cases on `route`, for notices."""
    return people_who_can(school, ROUTES[route].manage, exclude=exclude)
