"""P7: monitoring alerts triaged as a class.

Alerts with the same matched term about several pupils (`HARBOUR_ALERT_GROUP_PUPILS`, 3 unless set) within an hour
(`HARBOUR_ALERT_GROUP_MINUTES`) of the latest are gathered as they arrive (`gather`, called by the API in the
transaction that records the alert) into one `AlertGroup`: one inbox item listing each pupil, and one notice for the
safeguarding team instead of one per alert (and one for technical staff, who are told of alerts for their technical
part, A5). A later alert about the same term within the hour joins it. The team then

- `split`s it: each alert is a concern on its own again, with its own notice;
- `close`s it with a reason (B10): each alert is closed, acknowledged by the person closing it;
- `open_cases` for some or all of its pupils: each chosen alert opens a case; the rest stay in the group.

Each action checks access, saves and audits in one transaction. Notices name no child and no term.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.capabilities import Capability
from accounts.policy import people_who_can
from audit.log import Action, record
from concerns import triage
from concerns.models import AlertGroup, Concern, ConcernChild, IncidentType
from lib.errors import ActionError
from lib.i18n import Words
from notifications.actions import Kind, notify, resolve, when
from schools import status


class GroupError(ActionError):
    """The group cannot be handled as asked; each message is keyed by the field to change."""


def term_key(text):
    """A matched term as it is compared: words trimmed and lower-cased ("  Suicide " → "suicide")."""
    return " ".join((text or "").split()).lower()[:200]


def _window():
    return timedelta(minutes=settings.HARBOUR_ALERT_GROUP_MINUTES)


def gather(*, concern, term):
    """Put the alert's concern in a group with the others about `term`, when there are enough pupils; return the
    group or None. Inside the caller's transaction."""
    term = term_key(term)
    if not term or concern.status != Concern.Status.RECEIVED or concern.alert_group_id:
        return None
    now = concern.created_at
    group = (AlertGroup.objects.select_for_update()
             .filter(school=concern.school, term=term, status=AlertGroup.Status.OPEN,
                     last_alert_at__gte=now - _window()).order_by("-last_alert_at").first())
    if group is None:
        peers = list(Concern.objects.filter(
            school=concern.school, status=Concern.Status.RECEIVED, alert_group__isnull=True,
            monitoring_alert__term=term, created_at__gte=now - _window(), created_at__lte=now).only("id"))
        pupils = set(ConcernChild.objects.filter(concern__in=peers).values_list("pupil_id", flat=True))
        if len(pupils) < settings.HARBOUR_ALERT_GROUP_PUPILS:
            return None
        group = AlertGroup.objects.create(school=concern.school, term=term, created_at=now, last_alert_at=now)
        members = [c.id for c in peers]
        record(actor=None, action=Action.CREATE, object_type="alert_group", object_id=group.id, school=group.school,
               detail={"concerns": members, "pupils": len(pupils)})
    else:
        members = [concern.id]
        group.last_alert_at = now
        group.save(update_fields=["last_alert_at"])
        record(actor=None, action=Action.UPDATE, object_type="alert_group", object_id=group.id, school=group.school,
               changed_fields=["concerns"], detail={"added": members})
    Concern.objects.filter(id__in=members).update(alert_group=group)
    team = _team(group)
    told = _told(group, team)
    for concern_id in members:
        resolve(key=f"concern:{concern_id}", users=team + told)  # one notice for the group, not one per alert
    _notify_group(group, team)
    _notify_told(group, told)
    return group


def _team(group):
    return people_who_can(group.school, Capability.RECEIVE_CONCERNS)


def _told(group, team):
    """A5: those told of monitoring alerts for their technical part (technical staff, the online-safety
    coordinator) who are not in the safeguarding team."""
    from concerns import routing

    in_team = {u.id for u in team}
    return [u for u in people_who_can(group.school, routing.TOLD_OF[IncidentType.FILTERING_BREACH])
            if u.id not in in_team]


def _notify_group(group, team):
    n = ConcernChild.objects.filter(concern__alert_group=group).values("pupil").distinct().count()
    due = group.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    notify(users=team, school=group.school, kind=Kind.CONCERN, reference=group.reference, due_at=due,
           key=f"alert-group:{group.id}",
           text=f"Monitoring alerts {group.reference} at {group.school.name}: the same search or words for {n} "
                f"pupils. Triage them together by {when(due)}",
           url=reverse("concerns:alert_group", args=[group.id]))


def _notify_told(group, told):
    """One notice for the group's alerts to those told of them for their technical part (P7, A5), as the team has
    one: what is needed, by when, and where each alert is (their inbox lists every alert they are told of)."""
    if not told:
        return
    due = group.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    notify(users=told, school=group.school, kind=Kind.CONCERN, reference=group.reference, due_at=due,
           key=f"alert-group:{group.id}:technical",
           text=Words("Monitoring alerts %(reference)s at %(school)s: %(count)s alerts with the same search or words. "
                      "Check each alert’s technical details in the concerns inbox by %(due)s",
                      {"reference": group.reference, "school": group.school.name, "due": due,
                       "count": group.concerns.count()}),
           url=reverse("concerns:inbox"))


def escalate(*, concern):
    """A1 for a group: nobody triaged it in time. The deputies and headteacher get one notice for the group (each of
    its alerts' clocks restates it). Return False when the group was already decided: the alert escalates alone."""
    group = concern.alert_group
    if group.status != AlertGroup.Status.OPEN:
        return False
    from concerns import routing

    due = group.created_at + timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    notify(users=routing.escalation_recipients(concern), school=group.school, kind=Kind.CONCERN,
           reference=group.reference, due_at=due, key=f"alert-group:{group.id}:late",
           text=f"Monitoring alerts {group.reference} at {group.school.name} were not triaged by {when(due)}: "
                "triage them now, or check that someone has",
           url=reverse("concerns:alert_group", args=[group.id]))
    return True


# -- Reading ---------------------------------------------------------------------------------------------------------

def may_triage(user, school):
    return school is not None and user.access.can(Capability.RECEIVE_CONCERNS, school)


def open_groups(user, school):
    """The open groups at `school` for the inbox, each with its concerns and their pupils: three queries however
    many groups and alerts."""
    if not may_triage(user, school):
        return []
    children = Prefetch("children", queryset=ConcernChild.objects.select_related("pupil"))
    concerns = Prefetch("concerns", queryset=Concern.objects.filter(status=Concern.Status.RECEIVED, case__isnull=True)
                        .only("id", "alert_group_id", "created_at", "school_id").prefetch_related(children)
                        .order_by("created_at"))
    return list(AlertGroup.objects.filter(school=school, status=AlertGroup.Status.OPEN)
                .prefetch_related(concerns).order_by("created_at"))


def rows(group, *, flags_shown):
    """[{concern, pupil, flags}] for the group's open alerts: a pupil the MIS flags as vulnerable first, marked."""
    out = []
    for concern in group.concerns.all():
        pupils = [link.pupil for link in concern.children.all()] or [None]
        for pupil in pupils:
            found = status.flags(pupil) if pupil is not None and flags_shown else []
            out.append({"concern": concern, "pupil": pupil, "flags": found})
    out.sort(key=lambda r: (not r["flags"], r["concern"].created_at))
    return out


def get_group(user, group_id, *, open_only=False):
    """The group, if `user` triages alerts at its school; otherwise the same 404 as a missing one (H3)."""
    group = AlertGroup.objects.filter(id=group_id).select_related("school").first()
    if group is None or not may_triage(user, group.school) or (open_only and group.status != AlertGroup.Status.OPEN):
        raise Http404("Not found")
    return group


# -- Deciding --------------------------------------------------------------------------------------------------------

def _decided(user, group, new_status, reason=""):
    group.status, group.decided_at, group.decided_by, group.reason = new_status, timezone.now(), user, reason
    group.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    record(actor=user, action=Action.UPDATE, object_type="alert_group", object_id=group.id, school=group.school,
           changed_fields=["status", "decided_at", "decided_by"] + (["reason"] if reason else []),
           detail={"status": new_status})
    resolve(key=f"alert-group:{group.id}")
    if new_status != AlertGroup.Status.SPLIT:  # every alert acknowledged: as each alert's own notice would be
        resolve(key=f"alert-group:{group.id}:technical")


def _waiting(group):
    return list(group.concerns.select_for_update().filter(status=Concern.Status.RECEIVED, case__isnull=True))


@transaction.atomic
def split(*, user, group):
    """Each alert becomes a concern on its own in the inbox again, with its own notice."""
    group = get_group(user, group.id, open_only=True)
    waiting = _waiting(group)
    _decided(user, group, AlertGroup.Status.SPLIT)
    minutes = settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES
    team = _team(group)
    for concern in waiting:
        due = concern.created_at + timedelta(minutes=minutes)
        notify(users=team, school=group.school, kind=Kind.CONCERN, reference=concern.reference, due_at=due,
               key=f"concern:{concern.id}",
               text=f"New concern {concern.reference} at {group.school.name}: acknowledge it by {when(due)}",
               url=reverse("concerns:detail", args=[concern.id]))
    return group


@transaction.atomic
def close(*, user, group, reason):
    """B10: closed with the reason, which every alert in it shares; each is acknowledged and closed by `user`."""
    group = get_group(user, group.id, open_only=True)
    reason = (reason or "").strip()
    if not reason:
        raise GroupError({"reason": "Say why these alerts need no further action."})
    now = timezone.now()
    for concern in _waiting(group):
        concern.status, concern.acknowledged_at, concern.acknowledged_by = Concern.Status.CLOSED, now, user
        concern.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        record(actor=user, action=Action.UPDATE, object_type="concern", object_id=concern.id, school=group.school,
               changed_fields=["status", "acknowledged_at", "acknowledged_by"],
               detail={"alert_group": group.id, "reason": "closed_with_group"})
        resolve(key=f"concern:{concern.id}")
    _decided(user, group, AlertGroup.Status.CLOSED, reason)
    return group


@transaction.atomic
def open_cases(*, user, group, concern_ids):
    """A case for each chosen alert (one pupil each); the rest stay in the group. Return the cases."""
    group = get_group(user, group.id, open_only=True)
    chosen = [c for c in _waiting(group) if c.id in set(concern_ids)]
    if not chosen:
        raise GroupError({"concerns": "Choose the pupils to open a case for."})
    cases = [triage.open_case(user=user, concern=concern, procedure_id=None) for concern in chosen]
    if not group.concerns.filter(status=Concern.Status.RECEIVED, case__isnull=True).exists():
        _decided(user, group, AlertGroup.Status.DONE)
    else:
        record(actor=user, action=Action.UPDATE, object_type="alert_group", object_id=group.id, school=group.school,
               changed_fields=["concerns"], detail={"cases_opened_for": [c.id for c in chosen]})
    return cases
