"""Access policies: who may do what to one kind of record, derived from the capability table.

The capability table (`accounts/capabilities.py`) says what a role may do in a school. A record policy says
what that means for one record of one kind: a concern (`concerns/access.py`), a case and what is recorded
on it (`cases/access.py`), a record kept for retention (`records/access.py`). Views, actions, the API and
management commands all ask the policy, so an action cannot be reached around its check: each action calls
`POLICY.require(...)` itself, and its view calls `POLICY.get(...)` first to turn a stranger away before
reading the form.

The shape, shared by every kind of record (after Wagtail's permission policies)::

    class ThingPolicy(RecordPolicy):
        model = Thing                  # what `get` loads
        related = ("school",)          # select_related for `get`
        missing = "No such thing"      # the 404's message (never shown: every 404 page is the same)

        class Verb(StrEnum):           # what may be done to one record
            SEE = "see"
            MANAGE = "manage"

        def allows(self, user, verb, thing): ...        # the one decision; say in its docstring what it costs
        def visible(self, user, school, verb): ...      # the same decision as a queryset, for lists

    THINGS = ThingPolicy()
    THINGS.allows(user, THINGS.Verb.MANAGE, thing)      # True or False
    THINGS.require(user, THINGS.Verb.MANAGE, thing)     # the thing, or Refused
    THINGS.get(user, THINGS.Verb.SEE, thing_id)         # the thing from the database, or Refused

`Refused` is an `Http404`: a stranger gets exactly the page a missing record gives (H3).

Nothing outside this module and the capability table compares role names. The only checks by role are
the ones a procedure's data asks for by role (who signs off a decision not to refer, B6): `holds_role`.
"""

from django.http import Http404

from accounts.capabilities import TrustRole, roles_with


class Refused(Http404):
    """Not this person's to see or do. The same 404 as a record that does not exist (H3)."""


class RecordPolicy:
    """Who may do what to one kind of record. Subclasses set `model`, `Verb` and `allows`."""

    model = None
    related = ()
    missing = "Not found"
    Verb = None

    def allows(self, user, verb, record) -> bool:
        raise NotImplementedError

    def visible(self, user, school, verb):
        raise NotImplementedError

    def require(self, user, verb, record):
        """Return `record` if `user` may `verb` it; otherwise raise Refused, as if it did not exist."""
        if verb not in tuple(self.Verb):
            raise ValueError(f"{type(self).__name__} has no verb {verb!r}")
        if record is None or user is None or not user.is_authenticated or not self.allows(user, verb, record):
            raise Refused(self.missing)
        return record

    def get(self, user, verb, record_id):
        """The record with this id, if `user` may `verb` it (one query, plus what `allows` costs)."""
        record = self.model.objects.select_related(*self.related).filter(id=record_id).first()
        return self.require(user, verb, record)


# -- People, looked up by what they may do ---------------------------------------------------


def people_who_can(school, *capabilities, exclude=()):
    """Active members of `school` whose role there holds any of `capabilities` (one query).

    School roles only: the trust's people are not told of each school's records. `exclude`: user ids
    to leave out (the member of staff a concern is about is never told of it, A4)."""
    from accounts.models import User

    roles = set().union(*(roles_with(c) for c in capabilities))
    return list(User.objects.filter(is_active=True, memberships__school=school, memberships__role__in=roles)
                .exclude(id__in=[u for u in exclude if u]).distinct().order_by("id"))


def people_holding(school, role, *, exclude=()):
    """Active people holding `role` (a school role or a trust role, as a procedure names it) at `school`."""
    from accounts.models import User

    if role in TrustRole.values:
        people = User.objects.filter(is_active=True, trust_memberships__trust_id=school.trust_id,
                                     trust_memberships__role=role)
    else:
        people = User.objects.filter(is_active=True, memberships__school=school, memberships__role=role)
    return list(people.exclude(id__in=[u for u in exclude if u]).distinct().order_by("id"))


def holds_role(user, school, role):
    """Whether `user` holds `role` at `school` (directly, or through their trust). For data that names a role."""
    return role in user.access.roles_in(school)


def works_at(user, school):
    """Whether `user` holds any role at `school` (a member of its staff, or of its trust)."""
    return bool(user.access.roles_in(school))
