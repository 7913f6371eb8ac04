"""Who may manage records (H3, H4, H6): one place for every view and action.

- A child protection record (a case run by the DSL team) is managed by those holding
  MANAGE_RECORDS at its school: the DSL, the headteacher, the trust safeguarding lead.
- An allegation about a member of staff stays with those who run it (A4): the headteacher,
  or the chair of governors when it is about the headteacher, and the trust safeguarding
  lead, who may be the second person a disposal needs.
- The member of staff a record is about never manages it, nor answers their own subject
  access request.

A stranger gets the same 404 as for a record that does not exist. The policy has the shape of every
record policy (`accounts/policy.py`).
"""

from enum import StrEnum

from accounts.capabilities import Capability
from accounts.policy import RecordPolicy
from cases.access import owns
from cases.models import Case
from concerns.models import Route
from concerns.routing import ROUTES


def is_trust_lead(user, school_id):
    return user.access.can(Capability.MANAGE_RECORDS, school_id) and user.access.can(
        Capability.VIEW_TRUST_OVERVIEW, school_id)


class RetentionPolicy(RecordPolicy):
    """Who may manage a case as a record kept for retention: see its retention, ask for or approve disposal."""

    model = Case
    related = ("school",)
    missing = "No such record"

    class Verb(StrEnum):
        MANAGE = "manage"  # see the retention date, ask for disposal, decline a request
        APPROVE = "approve"  # the second person who approves a disposal (H4)

    def allows(self, user, verb, case):
        """No queries."""
        if case.subject_staff_id == user.id:
            return False
        if case.route == Route.DSL:
            manages = user.access.can(Capability.MANAGE_RECORDS, case.school_id)
        else:
            manages = owns(user, case) or is_trust_lead(user, case.school_id)
        if verb == self.Verb.APPROVE:
            return manages and user.access.can(Capability.SIGN_OFF_DECISIONS, case.school_id)
        return manages


RETENTION = RetentionPolicy()


def may_manage(user, case):
    """Whether `user` may see this case's retention and ask for or approve its disposal. No queries."""
    return user.is_authenticated and RETENTION.allows(user, RETENTION.Verb.MANAGE, case)


def may_approve(user, case):
    return user.is_authenticated and RETENTION.allows(user, RETENTION.Verb.APPROVE, case)


def schools_for(user):
    """The schools where `user` may use the disposal queue: MANAGE_RECORDS, or running allegations."""
    allegations = [rights.manage for route, rights in ROUTES.items() if route != Route.DSL]
    return [s for s in user.access.school_ids() if user.access.can(Capability.MANAGE_RECORDS, s)
            or any(user.access.can(c, s) for c in allegations)]


def get_case_to_dispose(user, case_id):
    return RETENTION.get(user, RETENTION.Verb.MANAGE, case_id)


def may_answer(user, kind, school_id):
    """H6: the DSL, headteacher or trust lead answers subject access requests. For a member of
    staff, only someone who also sees allegations (the headteacher or the trust lead), so the
    export is complete and an allegation is never shown to the DSL team (A4)."""
    if not user.access.can(Capability.MANAGE_RECORDS, school_id):
        return False
    if kind == "staff":
        return user.access.can(ROUTES[Route.HEADTEACHER].read, school_id) or is_trust_lead(user, school_id)
    return True
