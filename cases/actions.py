from django.db import transaction
from django.http import Http404
from django.utils import timezone

from audit.log import Action, record
from cases.access import may_read
from cases.models import Case
from concerns import actions as concern_actions


@transaction.atomic
def open_case(*, user, concern):
    """Open a case from a concern (acknowledging it if nobody has yet). Return the case."""
    if concern.case_id:
        return concern.case
    case = Case.objects.create(school=concern.school, incident_type=concern.incident_type, route=concern.route,
                               subject_staff=concern.subject_staff, opened_by=user, opened_at=timezone.now())
    record(actor=user, action=Action.CREATE, object_type="case", object_id=case.id, school=concern.school,
           changed_fields=["incident_type", "route", "status"], detail={"from_concern": concern.id})
    _link(user=user, concern=concern, case=case)
    return case


@transaction.atomic
def attach_to_case(*, user, concern, case):
    """Several reports of one incident become one case. Only within the same school and route."""
    if case.school_id != concern.school_id or case.route != concern.route or not may_read(user, case):
        raise Http404("No such case")
    if case.status != Case.Status.OPEN:
        raise Http404("No such open case")
    _link(user=user, concern=concern, case=case)
    return case


def _link(*, user, concern, case):
    concern_actions.acknowledge(user=user, concern=concern)
    concern.case = case
    concern.save(update_fields=["case"])
    record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=concern.school,
           changed_fields=["case"], detail={"case": case.id})
