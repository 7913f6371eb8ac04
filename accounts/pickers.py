"""People pickers (issue 20.5): a list of people to choose from shows each as "name — role", so that two people of
one name, or a governor among staff, are told apart.

`people_at(school)` gives the school's active people, each User with `picker_label` set ("Dana Shah — Designated
safeguarding lead"). Choosing a witness to a viewing of imagery (C2) or who attended the initial review (B1) leaves out
governors, who see numbers and never names, unless the school says otherwise (School.governors_in_case_pickers); the
witness list puts the safeguarding team first, then senior staff, then everyone else.
"""

from accounts.capabilities import ROLE_LABELS, Role
from accounts.models import Membership
from lib.hooks import Hook

# J8: a role's label at a school follows its nation (a designated safeguarding person in Wales...). The words are the
# schools app's (schools/nations.py), a layer above: it provides them (schools/apps.py).
role_label_at = Hook("a role's label at a school, in its nation's words")
nation_words = Hook("the words for the safeguarding lead in a nation (schools.nations.for_nation)")

GOVERNING = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})
SAFEGUARDING_TEAM = frozenset({Role.DSL, Role.DEPUTY_DSL})
SENIOR = frozenset({Role.HEADTEACHER, Role.SENCO, Role.ONLINE_SAFETY_COORDINATOR})
ROLE_ORDER = list(Role.values)


def role_label(role, school):
    """A role's label at `school` (J8): the nation's words for the safeguarding lead and deputy, else the role's."""
    return role_label_at(role, school, ROLE_LABELS[role])


def _with_roles(user, roles, school):
    labels = ", ".join(str(role_label(r, school)) for r in sorted(set(roles), key=ROLE_ORDER.index))
    return f"{user.full_name} — {labels}"


def with_roles_at(queryset, school):
    """`queryset` of users with their roles at `school` read in one more query, for `label`."""
    from django.db.models import Prefetch

    return queryset.prefetch_related(Prefetch("memberships", queryset=Membership.objects.filter(school=school)
                                              .select_related("school"), to_attr="roles_here"))


def _rank(roles):
    return 0 if roles & SAFEGUARDING_TEAM else 1 if roles & SENIOR else 2


def people_at(school, *, exclude=(), governors=True, safeguarding_first=False):
    """The active people who hold a role at `school`, leaving out the ids in `exclude` and, unless `governors`,
    anyone who is only a governor there. By name, or with `safeguarding_first` the safeguarding team, then senior
    staff, then the rest, each group by name."""
    roles, users = {}, {}
    memberships = (Membership.objects.filter(school=school, user__is_active=True).exclude(user_id__in=list(exclude))
                   .select_related("user"))
    for m in memberships:
        users[m.user_id] = m.user
        roles.setdefault(m.user_id, set()).add(m.role)
    chosen = []
    for user_id, held in roles.items():
        if not governors and held <= GOVERNING:
            continue
        user = users[user_id]
        user.picker_label = _with_roles(user, held, school)
        user.picker_roles = held
        chosen.append(user)
    if safeguarding_first:
        return sorted(chosen, key=lambda u: (_rank(u.picker_roles), u.full_name.lower(), u.id))
    return sorted(chosen, key=lambda u: (u.full_name.lower(), u.id))


def label(user):
    """A person as a picker shows them: "name — role" when `people_at` or `with_roles_at` gave them, else the name."""
    if hasattr(user, "picker_label"):
        return user.picker_label
    if getattr(user, "roles_here", None):
        return _with_roles(user, [m.role for m in user.roles_here], user.roles_here[0].school)
    return user.full_name
