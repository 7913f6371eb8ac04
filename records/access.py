"""Who may manage records (H3, H4, H6): one place for every view and action.

- A child protection record (a case run by the DSL team) is managed by those holding
  MANAGE_RECORDS at its school: the DSL, the headteacher, the trust safeguarding lead.
- An allegation about a member of staff stays with those who run it (A4): the headteacher,
  or the chair of governors when it is about the headteacher, and the trust safeguarding
  lead, who may be the second person a disposal needs.
- The member of staff a record is about never manages it, nor answers their own subject
  access request.

A stranger gets the same 404 as for a record that does not exist.
"""

from django.http import Http404

from accounts.capabilities import Capability
from cases.access import owns
from cases.models import Case
from concerns.models import Route


def is_trust_lead(user, school_id):
    return user.access.can(Capability.MANAGE_RECORDS, school_id) and user.access.can(
        Capability.VIEW_TRUST_OVERVIEW, school_id)


def may_manage(user, case):
    """Whether `user` may see this case's retention and ask for or approve its disposal. No queries."""
    if not user.is_authenticated or case.subject_staff_id == user.id:
        return False
    if case.route == Route.DSL:
        return user.access.can(Capability.MANAGE_RECORDS, case.school_id)
    return owns(user, case) or is_trust_lead(user, case.school_id)


def may_approve(user, case):
    return may_manage(user, case) and user.access.can(Capability.SIGN_OFF_DECISIONS, case.school_id)


def schools_for(user):
    """The schools where `user` may use the disposal queue: MANAGE_RECORDS, or running allegations."""
    return [s for s in user.access.school_ids() if user.access.can(Capability.MANAGE_RECORDS, s)
            or user.access.can(Capability.RECEIVE_STAFF_ALLEGATIONS, s)]


def get_case_to_dispose(user, case_id):
    case = Case.objects.select_related("school").filter(id=case_id).first()
    if case is None or not may_manage(user, case):
        raise Http404("No such record")
    return case


def may_answer(user, kind, school_id):
    """H6: the DSL, headteacher or trust lead answers subject access requests. For a member of
    staff, only someone who also sees allegations (the headteacher or the trust lead), so the
    export is complete and an allegation is never shown to the DSL team (A4)."""
    if not user.access.can(Capability.MANAGE_RECORDS, school_id):
        return False
    if kind == "staff":
        return user.access.can(Capability.RECEIVE_STAFF_ALLEGATIONS, school_id) or is_trust_lead(user, school_id)
    return True
