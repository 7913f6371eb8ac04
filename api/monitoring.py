"""Which pupil a monitoring service means (A5): its `user` matched to a pupil's network login or school email (from
the MIS import or a login file), or to the pupil the DSL team matched it to once. An unmatched user is kept, for the
DSL team to match on the monitoring users page.

Each write checks access, saves and audits in one transaction (see audit.log.record).
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from accounts.capabilities import Capability
from api.models import MonitoringUser
from audit.log import Action, record
from concerns.models import ChildRole, Concern, ConcernChild
from lib.errors import ActionError
from schools.models import Pupil


class MatchError(ActionError):
    """A monitoring user cannot be matched as asked; each message is keyed by the field to change."""


def key(login: str) -> str:
    """A login as it is kept and compared: trimmed and lower-cased ("SCHOOL\\JBloggs " → "school\\jbloggs")."""
    return " ".join((login or "").split()).lower()[:200]


def _candidates(login: str) -> set[str]:
    """The forms a service may write one login in: as sent, and without a Windows domain ("SCHOOL\\jbloggs")."""
    found = {login}
    if "\\" in login:
        found.add(login.rsplit("\\", 1)[1])
    return {f for f in found if f}


def pupil_for(*, school, login: str, now=None):
    """The pupil on roll at `school` whom `login` names, or None; remember a login no pupil has, so the DSL team can
    match it. Called inside the transaction that records the alert."""
    login = key(login)
    if not login:
        return None
    now = now or timezone.now()
    known = MonitoringUser.objects.filter(school=school, login=login).select_related("pupil").first()
    seen = {"last_seen_at": now, "alerts": F("alerts") + 1}
    if known is not None and known.pupil_id is not None:
        MonitoringUser.objects.filter(pk=known.pk).update(**seen)
        return known.pupil
    query = Q()
    for candidate in _candidates(login):
        query |= Q(network_login__iexact=candidate)
    query |= Q(school_email__iexact=login)
    pupils = list(Pupil.objects.on_roll().filter(school=school).filter(query)[:2])
    if len(pupils) == 1:
        return pupils[0]
    # No pupil, or two with the same login: kept for the DSL team to match rather than guessed.
    if known is None:
        try:
            with transaction.atomic():
                MonitoringUser.objects.create(school=school, login=login, first_seen_at=now, last_seen_at=now,
                                              alerts=1)
            return None
        except IntegrityError:  # another alert naming it arrived at the same moment and made the row
            pass
    MonitoringUser.objects.filter(school=school, login=login).update(**seen)
    return None


def can_match(user, school) -> bool:
    return school is not None and user.access.can(Capability.RECEIVE_CONCERNS, school)


def require_matcher(user, school):
    if not can_match(user, school):
        raise Http404("Not found")


def get_user_to_match(user, monitoring_user_id):
    """The monitoring user, if `user` may match it at its school; otherwise the same 404 as a missing one (H3)."""
    found = MonitoringUser.objects.select_related("school").filter(pk=monitoring_user_id).first()
    if found is None or not can_match(user, found.school):
        raise Http404("Not found")
    return found


def candidates(school, query: str):
    """Pupils on roll at `school` whom `query` may mean: their UPN, or words their names start with (at most 20)."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    found = Pupil.objects.on_roll().filter(school=school)
    return list(found.filter(Q(upn=query.upper()) | Q(pk__in=found.search(query).values("pk")))
                .order_by("legal_last_name", "legal_first_name")[:20])


def match_user(*, user, school, monitoring_user, pupil, reason: str = ""):
    """Record which pupil a monitoring login names (A5). Every later alert naming it is about that pupil, and the
    open concerns already made from its alerts, still without a child, are given the pupil."""
    require_matcher(user, school)
    if monitoring_user.school_id != school.id:
        raise Http404("Not found")
    if pupil is None:
        raise MatchError("Choose the pupil this login belongs to.", field="pupil")
    if pupil.school_id != school.id or pupil.left_on is not None:
        raise MatchError(f"{pupil.display_name} is not on roll at {school.name}.", field="pupil")
    with transaction.atomic():
        locked = MonitoringUser.objects.select_for_update().get(pk=monitoring_user.pk)
        previous = locked.pupil_id
        locked.pupil, locked.matched_by, locked.matched_at = pupil, user, timezone.now()
        locked.save(update_fields=["pupil", "matched_by", "matched_at"])
        record(actor=user, action=Action.UPDATE, object_type="monitoring_user", object_id=locked.id, school=school,
               changed_fields=["pupil"], detail={"pupil": pupil.id, "previous": previous, "reason": reason[:500]})
        concerns = list(Concern.objects.filter(
            school=school, monitoring_alert__login=locked.login, children__isnull=True, case__isnull=True,
            status__in=[Concern.Status.RECEIVED, Concern.Status.ACKNOWLEDGED]).distinct())
        for concern in concerns:
            link = ConcernChild.objects.create(concern=concern, pupil=pupil, role=ChildRole.OTHER)
            record(actor=user, action=Action.CREATE, object_type="concern_child", object_id=link.id, school=school,
                   changed_fields=["pupil", "role"], detail={"concern": concern.id, "via": "monitoring_user_match"})
    monitoring_user.refresh_from_db()
    return concerns


def unmatched(school):
    return MonitoringUser.objects.filter(school=school, pupil__isnull=True)


def matched(school):
    return MonitoringUser.objects.filter(school=school, pupil__isnull=False).select_related("pupil", "matched_by")

