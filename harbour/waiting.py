""""Waiting for you": what a person's home page starts with. Concerns to acknowledge with their deadlines,
sign-offs asked of them, and steps due today or overdue on the cases they run, each linked.

Like a notice, each line names a reference, what is needed and by when; never a child or what happened."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from cases.access import CASES
from cases.models import Case, Decision, SignOff, Task
from concerns.access import CONCERNS
from concerns.models import Concern
from lib.compiled import Compiled
from lib.i18n import when_in_words
from schools import nations

LIMIT = 20  # rows of one kind; beyond that the line says how many more and links to the list


@dataclass
class Item:
    reference: str
    what: str
    due_at: datetime | None
    url: str
    overdue: bool = False
    said_when: bool = False  # `what` already says when it was due: the line adds no "was due"
    data: bool = False  # J8: `what` is the procedure's own words (data, in English), not a sentence of Harbour's


@dataclass
class Waiting:
    concerns: list
    sign_offs: list
    due_today: list
    overdue: list
    versions: list = ()

    def __bool__(self):
        return bool(self.concerns or self.sign_offs or self.due_today or self.overdue or self.versions)


def waiting_for(user, school, now=None):
    now = now or timezone.now()
    tasks = _my_open_tasks(user, school)  # built once, read twice
    return Waiting(concerns=_concerns(user, school, now), sign_offs=_sign_offs(user, school),
                   due_today=_due_today(tasks, now), overdue=_overdue(tasks, now), versions=_versions(user, school))


def _versions(user, school):
    """J7: open cases whose procedure has a newer version in force, waiting to be moved or kept."""
    from cases.actions.versions import behind_ids

    what = gettext("Move to the new version of its procedure, or keep the one it follows")
    return [Item(Case.reference_of(case_id), what, None, reverse("cases:version", args=[case_id]))
            for case_id in behind_ids(user, school)[:LIMIT]]


def _concerns(user, school, now):
    inbox = CONCERNS.inbox(user, school)
    if inbox is None:
        return []
    within = timedelta(minutes=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES)
    rows = (inbox.filter(status=Concern.Status.RECEIVED).order_by("created_at")
            .only("id", "school_id", "route", "incident_type", "status", "created_at", "subject_staff_id"))
    out = []
    for concern in rows[:LIMIT]:
        if CONCERNS.allows(user, CONCERNS.Verb.ACKNOWLEDGE, concern):
            due = concern.created_at + within
            out.append(Item(concern.reference, gettext("Acknowledge this concern"), due,
                            reverse("concerns:detail", args=[concern.id]), overdue=due < now))
    return out


def _unsigned(school_id):
    # One query, from the index of the sign-offs still waiting keyed by school (cases 0016): only this school's are
    # read, so another school's never cost a query or a row here (issue 24). Joined from every school's waiting
    # sign-offs, the database had planned from the school's cases and read every one (115 ms at 62,000 cases).
    return (SignOff.objects.filter(school_id=school_id, signed_at__isnull=True,
                                   decision__state=Decision.State.AWAITING_SIGN_OFF,
                                   decision__case__status=Case.Status.OPEN)
            .select_related("decision__case__school").order_by("decision__decided_at")
            # The pinned procedure is kept: it says which step's clock a sign-off is due by.
            .defer(*(f"decision__case__{name}" for name in Case.JSON_FIELDS if name != "procedure")))[:LIMIT]


_UNSIGNED = Compiled(_unsigned)  # its SQL compiled once (lib/compiled.py): compiling it cost more than running it


def _sign_offs(user, school):
    # J8: the role in the school's nation's words (a designated safeguarding person in Wales...).
    # B6 with E7: each is due when the step waiting for the referral decision is due (sign_off_due).
    from cases.actions.decisions import sign_offs_due

    mine = [s for s in _UNSIGNED(school.id) if CASES.may_sign(user, s, s.decision.case)]
    dues = sign_offs_due({s.decision.case_id: s.decision.case for s in mine}.values())  # one query, not one a case
    now, out = timezone.now(), []
    for s in mine:
        due = dues[s.decision.case_id]
        out.append(Item(s.decision.case.reference, gettext("Sign off a decision not to refer, as %(role)s") % {
            "role": str(nations.role_label(s.role, s.decision.case.school, s.role_label)).lower()}, due,
            reverse("cases:sign_off", args=[s.decision.case_id, s.decision_id]),
            overdue=due is not None and due < now))
    return out


def _my_open_tasks(user, school):
    cases = CASES.visible(user, school, CASES.Verb.MANAGE).filter(status=Case.Status.OPEN).values("id")
    return Task.objects.outstanding().filter(case__in=cases)


def _due_today(tasks, now):
    end = timezone.make_aware(datetime.combine(timezone.localtime(now).date() + timedelta(days=1), time()))
    rows = tasks.filter(due_at__gte=now, due_at__lt=end).order_by("due_at").values_list("case_id", "title", "due_at")
    return [Item(Case.reference_of(case_id), title, due_at, reverse("cases:detail", args=[case_id]) + "#tasks",
                 data=True)
            for case_id, title, due_at in rows[:LIMIT]]


def _overdue(tasks, now):
    """One line per case: how many steps are overdue and since when, oldest first."""
    rows = (tasks.overdue(now).order_by().values("case_id")
            .annotate(n=Count("id"), earliest=Min("due_at")).order_by("earliest"))
    return [Item(Case.reference_of(r["case_id"]),
                 ngettext("%(count)d step is overdue; it was due %(when)s",
                          "%(count)d steps are overdue; the earliest was due %(when)s", r["n"])
                 % {"count": r["n"], "when": when_in_words(r["earliest"])},
                 r["earliest"], reverse("cases:detail", args=[r["case_id"]]) + "#tasks", overdue=True, said_when=True)
            for r in rows[:LIMIT]]
