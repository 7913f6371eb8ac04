"""The access policy for concerns (A1, A4, A5, A7, H3): called first in every view and by every action.

- Those a concern's route is for (`routing.ROUTES`) see all of it and acknowledge it; those who run the
  route's cases open a case from it, or add it to one.
- Those only *told* of it see a summary for their own part, and cannot acknowledge it or open a case:
  technical staff and the online-safety coordinator see a filtering breach's technical details (A5);
  the deputies and the headteacher see that a concern has waited too long and who should act (A1).
  A summary never holds what was said, the children's names, or the statements.
- The member of staff a concern is about never sees it (A4). The reporter sees their report and its
  status, never the case (A7).

A refusal is the same 404 as a concern that does not exist (H3).
"""

from enum import StrEnum

from django.db.models import Q
from django.http import Http404

from accounts.policy import RecordPolicy
from concerns import routing
from concerns.models import Concern, Route


class ConcernPolicy(RecordPolicy):
    model = Concern
    related = ("school", "reported_by")
    missing = "No such concern"

    class Verb(StrEnum):
        SEE = "see"  # all of it: what was said, the children, the statements
        SEE_SUMMARY = "see_summary"  # what someone told needs for their part (the whole of it, for those it is for)
        ACKNOWLEDGE = "acknowledge"  # stops the escalation clock (A1)
        OPEN_CASE = "open_case"  # open a case from it, or add it to an open case

    def allows(self, user, verb, concern):
        """No queries: the user's capabilities are read once per request."""
        if concern.subject_staff_id == user.id:
            return False
        rights, school = routing.ROUTES[concern.route], concern.school_id
        if verb in (self.Verb.SEE, self.Verb.ACKNOWLEDGE):
            return user.access.can(rights.receive, school)
        if verb == self.Verb.OPEN_CASE:
            return user.access.can(rights.manage, school)
        if verb == self.Verb.SEE_SUMMARY:
            return user.access.can(rights.receive, school) or bool(self.told_why(user, concern))
        return False

    def told_why(self, user, concern):
        """Why `user` is told of `concern` without it being for them: "breach" (A5), "escalated" (A1). No queries."""
        if concern.subject_staff_id == user.id:
            return []
        reasons = []
        told = routing.TOLD_OF.get(concern.incident_type)
        if told and user.access.can(told, concern.school_id):
            reasons.append("breach")
        if (concern.route == Route.DSL and concern.escalated_at
                and user.access.can(routing.ESCALATED_TO, concern.school_id)):
            reasons.append("escalated")
        return reasons

    def visible(self, user, school, verb=Verb.SEE_SUMMARY):
        """The concerns at `school` that `user` may `verb`, as one queryset (no query until it is read)."""
        grants = [Q(route=route) for route, rights in routing.ROUTES.items() if user.access.can(rights.receive, school)]
        if verb == self.Verb.SEE_SUMMARY:
            grants += [Q(incident_type=kind) for kind, told in routing.TOLD_OF.items()
                       if user.access.can(told, school)]
            if user.access.can(routing.ESCALATED_TO, school):
                grants.append(Q(route=Route.DSL, escalated_at__isnull=False))
        elif verb == self.Verb.OPEN_CASE:
            grants = [Q(route=route) for route, rights in routing.ROUTES.items()
                      if user.access.can(rights.manage, school)]
        query = Q(pk__in=[])
        for grant in grants:
            query |= grant
        return Concern.objects.filter(query, school=school).exclude(subject_staff=user)

    def inbox(self, user, school):
        """The concerns at `school` waiting for `user` to act on their part: those for them, and those they are
        told of by kind (A5). Escalations reach people as notices, not inbox rows. Every row is one `user` may
        open. None: the user has no inbox there."""
        grants = [Q(route=route) for route, rights in routing.ROUTES.items() if user.access.can(rights.receive, school)]
        grants += [Q(incident_type=kind) for kind, told in routing.TOLD_OF.items() if user.access.can(told, school)]
        if not grants:
            return None
        query = grants[0]
        for grant in grants[1:]:
            query |= grant
        return Concern.objects.filter(query, school=school).exclude(subject_staff=user)

    def receives_any(self, user, school):
        """Whether `user` is one of those some route at `school` is for (not only told)."""
        return any(user.access.can(rights.receive, school) for rights in routing.ROUTES.values())


CONCERNS = ConcernPolicy()


def get_own_report(user, concern_id):
    """Rule A7: the reporter sees what they reported and its status, never the case file."""
    concern = Concern.objects.select_related("school").filter(id=concern_id, reported_by=user).first()
    if concern is None:
        raise Http404("No such report")
    return concern
