"""The numbers on a leader's dashboard, and the list behind each one.

Each measure is one queryset: the dashboard counts it (one grouped query per measure,
however many schools are side by side) and its list shows exactly its rows, so a number
and its list cannot disagree.

An app above reports adds its own measure with `add_measure` in its AppConfig.ready(): transfers adds the
child protection files awaiting receipt (H5). Reports never imports it (docs/architecture.md).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.db.models import Count, Q

from cases.models import Case, Decision, Task
from concerns.models import Concern, Route
from reports import scope

CASE_JSON_VIA = tuple(f"case__{name}" for name in Case.JSON_FIELDS)
WEEK = timedelta(days=7)
LIST_LIMIT = 500  # a school never has this many; the list says so if it ever does


def _open_cases(user, schools, now):
    return scope.cases(user, schools).filter(status=Case.Status.OPEN)


def _unacknowledged(user, schools, now):
    return scope.concerns(user, schools).filter(status=Concern.Status.RECEIVED)


def _within(base, where):
    """The rows of `base` that `where(now)` keeps: a measure counted with the others over the same `base` in one
    query (one COUNT filtered by each `where`), and listed as exactly the rows it counts."""
    def rows(user, schools, now):
        return base(user, schools, now).filter(where(now))

    rows.base, rows.where = base, where
    return rows


def _tasks_due_within_a_week(user, schools, now):
    """Outstanding steps of the open cases overseen, due before a week from now: overdue, or due this week.
    `case__in`, not a join: given a join, SQLite starts from the trust's overdue tasks (the task_outstanding_due
    index), thousands of them; this way it starts from the school's open cases (task_case_open_due)."""
    return Task.objects.outstanding().filter(case__in=_open_cases(user, schools, now), due_at__lt=now + WEEK)


_overdue_tasks = _within(_tasks_due_within_a_week, lambda now: Q(due_at__lt=now))


def _sign_offs(user, schools, now):
    return scope.open_case_rows(Decision.objects.filter(state=Decision.State.AWAITING_SIGN_OFF), user, schools)


_due_this_week = _within(_tasks_due_within_a_week, lambda now: Q(due_at__gte=now))


def _staff_allegations(user, schools, now):
    return _open_cases(user, schools, now).filter(route=Route.HEADTEACHER)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    hint: str
    kind: str  # what one row is: case, concern, task or decision (or transfer, from transfers)
    school_field: str
    rows: Callable
    needs_route: str = Route.DSL
    # A measure added by another app says how its list is read (ordering, related rows) and which page a row
    # opens for a user, `link(user, school, row)` -> (URL name, id) or None. Reports' own go by their kind.
    listed: Callable | None = None
    link: Callable | None = None

    def applies(self, user, school):
        return self.needs_route in scope.routes_for(user, school)


MEASURES = [
    Measure("open-cases", "Open cases", "Cases not closed yet.", "case", "school_id", _open_cases),
    Measure("unacknowledged", "Concerns not acknowledged", "Reported, and nobody has said they have it yet.",
            "concern", "school_id", _unacknowledged),
    Measure("overdue-tasks", "Overdue tasks", "Steps of a procedure past their due time.", "task",
            "case__school_id", _overdue_tasks),
    Measure("sign-offs", "Decisions waiting for sign-off", "Decisions not to refer that still need signatures.",
            "decision", "case__school_id", _sign_offs),
    Measure("due-this-week", "Due in the next 7 days", "Steps of a procedure that fall due this week.", "task",
            "case__school_id", _due_this_week),
    Measure("staff-allegations", "Concerns about staff", "Open cases about a member of staff, run by the headteacher.",
            "case", "school_id", _staff_allegations, needs_route=Route.HEADTEACHER),
]
BY_KEY = {m.key: m for m in MEASURES}


def add_measure(measure, *, after):
    """Show `measure` on the dashboards, after the measure keyed `after`. For an app above reports, from its
    AppConfig.ready(); adding the same key again changes nothing."""
    if measure.key not in BY_KEY:
        MEASURES.insert([m.key for m in MEASURES].index(after) + 1, measure)
        BY_KEY[measure.key] = measure


def counts(user, schools, now):
    """{measure key: {school id: count}} for the measures that apply somewhere. One query per measure, or per group
    of measures over the same rows (`_within`)."""
    groups = {}
    for measure in MEASURES:
        applicable = tuple(s for s in schools if measure.applies(user, s))
        if applicable:
            base = getattr(measure.rows, "base", None)
            key = (base, measure.school_field, applicable) if base else (measure.key,)
            groups.setdefault(key, (applicable, []))[1].append(measure)
    found = {}
    for key, (applicable, measures) in groups.items():
        field = measures[0].school_field
        if len(key) == 1:
            rows, counted = measures[0].rows(user, list(applicable), now), {"n0": Count("pk")}
        else:
            rows = key[0](user, list(applicable), now)
            counted = {f"n{i}": Count("pk", filter=m.rows.where(now)) for i, m in enumerate(measures)}
        for row in rows.order_by().values(field).annotate(**counted):
            for i, m in enumerate(measures):
                found[m.key, row[field]] = row[f"n{i}"]
    counted = {m.key for _, measures in groups.values() for m in measures}
    return {m.key: {s.id: found.get((m.key, s.id), 0) if m.applies(user, s) else None for s in schools}
            for m in MEASURES if m.key in counted}


def rows(measure, user, school, now):
    """The rows behind one number, oldest or most urgent first, with what the row needs to be shown."""
    queryset = measure.rows(user, [school], now)
    if measure.listed is not None:
        queryset = measure.listed(queryset)
    elif measure.kind == "case":
        queryset = queryset.defer(*Case.JSON_FIELDS).order_by("opened_at", "id")
    elif measure.kind == "concern":
        queryset = queryset.order_by("created_at", "id")
    elif measure.kind == "task":
        queryset = queryset.select_related("case").defer(*CASE_JSON_VIA).order_by("due_at", "id")
    else:
        queryset = (queryset.select_related("case").defer(*CASE_JSON_VIA).prefetch_related("sign_offs")
                    .order_by("decided_at", "id"))
    return list(queryset[:LIST_LIMIT])
