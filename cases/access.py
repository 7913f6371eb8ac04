"""The access policy for cases and what is recorded on them (H3, A4), for every view and action.

- A case follows the route of the concern it was opened from (`concerns.routing.ROUTES`): a
  safeguarding-team case is read by those holding READ_CASES and run by those holding MANAGE_CASES;
  a case about a member of staff is read and run by the headteacher (about the headteacher: the chair).
- People added to a case (a SENCO, someone asked to sign off, anyone the team adds) read it and add
  notes; each addition is audited. They do not run it.
- The evidence on a case (devices, the register, viewings, deletions, parents told) is recorded and
  changed by those who run the case: its actions require MANAGE of the case.
- A decision not to refer is signed off by the people holding the roles the case's procedure names (B6).
- The member of staff a case is about never sees it. A stranger gets the same 404 as a missing case.
- The member of staff an image shows (J3) reads the case only once the team adds them, whatever their role, and
  never runs it.
"""

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q

from accounts.policy import RecordPolicy, holds_role
from cases.models import Case, CaseMember
from concerns import routing
from lib.compiled import Compiled


def _case_by_id(case_id):
    """The case with its school and the name of who opened it (the only part of their account a case page reads)."""
    from accounts.models import User

    unread = [f.name for f in User._meta.concrete_fields if f.name not in ("id", "full_name")]
    return (Case.objects.select_related("school", "opened_by").defer(*(f"opened_by__{name}" for name in unread))
            .filter(id=case_id))


class CasePolicy(RecordPolicy):
    model = Case
    related = ("school", "opened_by")
    missing = "No such case"
    _by_id = Compiled(_case_by_id)  # compiled to SQL once (lib/compiled.py): every case page starts here

    def get(self, user, verb, record_id):
        """The case with this id, if `user` may `verb` it (one query, plus what `allows` costs)."""
        try:
            case_id = int(record_id)
        except (TypeError, ValueError):
            return super().get(user, verb, record_id)
        found = self._by_id(case_id)
        return self.require(user, verb, found[0] if found else None)

    class Verb(StrEnum):
        READ = "read"  # the case page and everything on it
        ADD_NOTE = "add_note"  # a note on the chronology: anyone who reads the case
        MANAGE = "manage"  # answer, decide, refer, record evidence, close, reopen: the team that runs it

    def allows(self, user, verb, case, *, added=None):
        """MANAGE costs no query; READ and ADD_NOTE one when the user does not read cases on the route, unless
        `added` (whether the user was added to the case) is given."""
        def is_added():
            return CaseMember.objects.filter(case=case, user=user).exists() if added is None else added

        if case.subject_staff_id == user.id:
            return False
        if case.depicted_staff_id == user.id:  # J3: only once added, and never to run it
            return verb != self.Verb.MANAGE and is_added()
        rights, school = routing.ROUTES[case.route], case.school_id
        if user.access.can(rights.manage, school):
            return True
        if verb == self.Verb.MANAGE:
            return False
        if user.access.can(rights.read, school):
            return True
        return is_added()

    def visible(self, user, school, verb=Verb.READ):
        """The cases at `school` that `user` may `verb`, as one queryset."""
        routes = [route for route, rights in routing.ROUTES.items() if user.access.can(rights.manage, school)
                  or (verb != self.Verb.MANAGE and user.access.can(rights.read, school))]
        query = Q(route__in=routes)
        if verb != self.Verb.MANAGE:
            query |= Q(members__user=user)
        cases = Case.objects.filter(query, school=school).select_related("school").exclude(subject_staff=user)
        # J3: the member of staff an image shows sees it only once added, and never among the cases they run.
        added = Exists(CaseMember.objects.filter(case=OuterRef("pk"), user=user))
        cases = (cases.exclude(depicted_staff=user) if verb == self.Verb.MANAGE
                 else cases.exclude(Q(depicted_staff=user) & ~added))
        return cases.distinct()

    def reads_any(self, user, school):
        """Whether `user` reads some route's cases at `school` by role (not only as someone added to one)."""
        return any(user.access.can(rights.read, school) for rights in routing.ROUTES.values())

    def may_sign(self, user, sign_off, case):
        """B6: a sign-off is for the people holding the role the procedure names; never the case's subject."""
        return case.subject_staff_id != user.id and holds_role(user, case.school_id, sign_off.role)


CASES = CasePolicy()
Verb = CasePolicy.Verb


def owns(user, case):
    """The team that runs the case: may answer, decide, close."""
    return CASES.allows(user, Verb.MANAGE, case)


def may_read(user, case):
    return user.is_authenticated and CASES.allows(user, Verb.READ, case)


def readable(user, cases):
    """The cases among `cases` that `user` may read (`may_read` of each), in their order, in one query whatever their
    number, and none when the user's roles decide for every case (the case page's earlier cases of the same
    children, issue 24) or when the cases were read with whether this user was added to each
    (`evaluation.earlier_cases` with `viewer`)."""
    cases = list(cases)
    if not user.is_authenticated or not cases:
        return []
    # Being added to a case can only let a user read it. Whether they were matters only for the cases their roles
    # do not let them read, and only if being added would: ask only then.
    by_role = {c.id: CASES.allows(user, Verb.READ, c, added=False) for c in cases}
    if_added = {c.id for c in cases if not by_role[c.id] and CASES.allows(user, Verb.READ, c, added=True)}
    if not if_added:
        return [c for c in cases if by_role[c.id]]
    if all(getattr(c, "viewer_added_for", None) == user.pk for c in cases if c.id in if_added):
        # Read with the cases, for this user (`evaluation.earlier_cases` with a viewer): no query.
        added = {c.id for c in cases if c.id in if_added and c.viewer_added}
    else:
        added = set(CaseMember.objects.filter(case__in=if_added, user=user).values_list("case_id", flat=True))
    return [c for c in cases if by_role[c.id] or c.id in added]


def get_case_for(user, case_id):
    return CASES.get(user, Verb.READ, case_id)


def get_case_to_manage(user, case_id):
    """For writes that belong to the owning team. Readers who may not act get a 404 too."""
    return CASES.get(user, Verb.MANAGE, case_id)


def open_cases_for(user, concern):
    """Open cases this concern could join: same school, same route, run by `user`."""
    cases = CASES.visible(user, concern.school_id, Verb.MANAGE).filter(route=concern.route, status=Case.Status.OPEN)
    return list(cases.order_by("-opened_at")[:50])


def cases_for(user, school):
    """Cases at `school` this user may read (the case list)."""
    return CASES.visible(user, school, Verb.READ)
