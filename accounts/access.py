"""A user's roles and capabilities, school by school."""

from accounts.capabilities import NEEDS_SECOND_FACTOR, ROLE_LABELS, capabilities_of


class UserAccess:
    """Answers "may this user do X in school S?" from their memberships.

    Built once per request from two queries (or from rows read with the user: accounts.signed_in); trust roles
    apply to every school of the trust.
    """

    def __init__(self, user, *, rows=None):
        """`rows`: (direct roles [(school id, role)], trust roles [(trust id, role, school id or None)]) when the
        caller has read them already (accounts.signed_in reads them with the user, in the same query)."""
        from accounts.models import Membership, TrustMembership

        self.roles_by_school: dict[int, set[str]] = {}
        self.trust_roles: dict[int, set[str]] = {}
        self.direct_roles: list[tuple[int, str]] = []
        if not user.is_authenticated or not user.is_active:
            return
        if rows is None:
            # A trust role applies in each of the trust's schools (one query, joined through the trust: accounts
            # names schools only by the foreign keys of its memberships, never by importing them).
            rows = (Membership.objects.filter(user=user).values_list("school_id", "role"),
                    TrustMembership.objects.filter(user=user).values_list("trust_id", "role", "trust__schools__id"))
        direct, trusts = rows
        self.direct_roles = list(direct)
        for school_id, role in self.direct_roles:
            self.roles_by_school.setdefault(school_id, set()).add(role)
        for trust_id, role, school_id in trusts:
            self.trust_roles.setdefault(trust_id, set()).add(role)
            if school_id is not None:
                self.roles_by_school.setdefault(school_id, set()).add(role)

    @staticmethod
    def _school_id(school):
        return school if isinstance(school, int) else getattr(school, "id", None)

    def roles_in(self, school):
        return frozenset(self.roles_by_school.get(self._school_id(school), ()))

    def capabilities_in(self, school):
        return capabilities_of(self.roles_in(school))

    def can(self, capability, school):
        return capability in self.capabilities_in(school)

    def school_ids(self):
        return sorted(self.roles_by_school)

    def school_ids_with(self, capability):
        return [s for s in self.school_ids() if self.can(capability, s)]

    def trust_ids_with(self, capability):
        """The trusts in which a trust role gives `capability` (adding a school needs no school yet)."""
        return sorted(t for t, roles in self.trust_roles.items() if capability in capabilities_of(roles))

    @property
    def requires_second_factor(self):
        """Rule S1: any account that can read case records or sensitive pupil details, counting a trust role
        whose trust has no school yet (its administrator will manage people as soon as one is added)."""
        return any(
            capabilities_of(roles) & NEEDS_SECOND_FACTOR
            for roles in [*self.roles_by_school.values(), *self.trust_roles.values()]
        )

    def snapshot(self):
        """Roles as a sorted list of labels, for the audit trail (a snapshot at the time)."""
        items = {f"{ROLE_LABELS[r]} (school {s})" for s, r in self.direct_roles}
        items |= {f"{ROLE_LABELS[r]} (trust {t})" for t, roles in self.trust_roles.items() for r in roles}
        return sorted(items)
