"""The numbers behind the trends and the reports (G4), counted in the database.

`figures(cases, concerns, period)` takes the cases and concerns a viewer oversees
(reports/scope.py) and a Period, and returns plain rows: no names, no free text. Every
breakdown is one grouped query, so the number of queries does not grow with the number
of incidents. Each row carries how many different children are behind it, which the
governor report needs for suppression.

Dates: an incident belongs to the day it was first reported (`incident_recorded_at`).
Year group is the child's year group at that time, worked out from their year group now.
"""

from dataclasses import dataclass, field
from datetime import datetime, time
from statistics import median

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Exists, IntegerField, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from cases.actions.steps import NOT_AN_ACTION
from cases.models import IMAGERY_PROCEDURES, Case, Decision, Referral, Task, ai_made_q
from concerns.models import ConcernChild, IncidentType
from reports import reporting
from schools.models import Pupil

CHILDREN = Count("concerns__children__pupil", distinct=True)
YEAR_LABELS = {-1: "Nursery", 0: "Reception"}


@dataclass
class Row:
    key: str
    label: str
    value: int
    children: int = 0


@dataclass
class Figures:
    period: reporting.Period
    total: int
    children: int
    by_type: list
    by_area: list
    by_outcome: list
    referred: int
    referral_rows: list
    by_year: list
    by_sex: list
    by_month: list
    by_term: list
    acknowledged: list = field(default_factory=list)  # minutes from report to acknowledgement
    first_action: list = field(default_factory=list)  # minutes from report to the first action
    repeat: list = field(default_factory=list)  # Row per "in 1 case", "in 2 cases", "in 3 or more"
    imagery: int = 0  # J2: incidents about sexual imagery of a child
    imagery_children: int = 0
    ai_rows: list = field(default_factory=list)  # J2: of those, made or altered with AI (or may be), and the rest
    acknowledge_within: int = 60

    @property
    def referral_rate(self):
        return round(100 * self.referred / self.total) if self.total else None

    @property
    def acknowledged_in_time(self):
        return sum(1 for m in self.acknowledged if m <= self.acknowledge_within)

    @property
    def median_acknowledged(self):
        return median(self.acknowledged) if self.acknowledged else None

    @property
    def median_first_action(self):
        return median(self.first_action) if self.first_action else None

    @property
    def repeat_children(self):
        return sum(r.value for r in self.repeat if r.key != "1")


def bounds(period):
    """The period as aware datetimes at local midnight: [start, end)."""
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(period.start, time.min), zone),
            timezone.make_aware(datetime.combine(period.end, time.min), zone))


def in_period(cases, period):
    start, end = bounds(period)
    return cases.filter(incident_recorded_at__gte=start, incident_recorded_at__lt=end)


def figures(cases, concerns, period, today=None):
    """Count the incidents of `cases` reported in `period` (and acknowledgements of `concerns`)."""
    cases = in_period(cases, period).order_by()
    definition = reporting.load()
    type_labels = dict(IncidentType.choices)

    imagery, ai = Q(procedure_id__in=IMAGERY_PROCEDURES), Q(procedure_id__in=IMAGERY_PROCEDURES) & ai_made_q()
    totals = cases.aggregate(
        total=Count("id", distinct=True), children=CHILDREN,
        imagery=Count("id", distinct=True, filter=imagery), ai=Count("id", distinct=True, filter=ai),
        imagery_children=Count("concerns__children__pupil", distinct=True, filter=imagery),
        ai_children=Count("concerns__children__pupil", distinct=True, filter=ai),
        not_ai_children=Count("concerns__children__pupil", distinct=True, filter=imagery & ~ai))
    # J2: in the same query as the totals, so the reports' query count does not grow.
    ai_rows = [Row("ai", "Made or altered with AI, or may be", totals["ai"], totals["ai_children"]),
               Row("not_ai", "Not known to be made or altered", totals["imagery"] - totals["ai"],
                   totals["not_ai_children"])]

    by_type = [Row(r["incident_type"], type_labels.get(r["incident_type"], r["incident_type"]), r["n"], r["c"])
               for r in cases.values("incident_type").annotate(n=Count("id", distinct=True), c=CHILDREN)
               .order_by("-n", "incident_type")]

    area = CaseWhen(*[When(incident_type__in=[t for t, a in definition.areas.items() if a == name], then=Value(name))
                      for name in reporting.AREAS], default=Value(""), output_field=CharField())
    found = {r["area"]: r for r in cases.annotate(area=area).values("area").annotate(n=Count("id", distinct=True),
                                                                                      c=CHILDREN)}
    by_area = [Row(name, definition.area_labels[name], found.get(name, {}).get("n", 0), found.get(name, {}).get("c", 0))
               for name in reporting.AREAS]

    outcome_labels = dict(Case.Outcome.choices) | {"": "Not decided yet"}
    found = {r["outcome"]: r for r in cases.values("outcome").annotate(n=Count("id", distinct=True), c=CHILDREN)}
    by_outcome = [Row(key, outcome_labels[key], found.get(key, {}).get("n", 0), found.get(key, {}).get("c", 0))
                  for key in [*Case.Outcome.values, ""]]

    sent = Exists(Referral.objects.filter(case=OuterRef("pk")))
    referred = cases.aggregate(n=Count("id", distinct=True, filter=sent),
                               c=Count("concerns__children__pupil", distinct=True, filter=sent))
    referral_rows = [Row("referred", "Referred to another agency", referred["n"], referred["c"]),
                     Row("not_referred", "Not referred", totals["total"] - referred["n"],
                         _children_not_referred(cases, sent))]

    by_year, by_sex = _children_rows(cases, today or timezone.localdate())

    months = (cases.annotate(month=TruncMonth("incident_recorded_at")).values("month")
              .annotate(n=Count("id", distinct=True), c=CHILDREN).order_by("month"))
    found = {(m["month"].year, m["month"].month): m for m in months}
    by_month = []
    year, month = period.start.year, period.start.month
    while (year, month) < (period.end.year, period.end.month) or (
            (year, month) == (period.end.year, period.end.month) and period.end.day > 1):
        row = found.get((year, month), {})
        by_month.append(Row(f"{year}-{month:02d}", datetime(year, month, 1).strftime("%B %Y"),
                            row.get("n", 0), row.get("c", 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    terms = reporting.terms_overlapping(period.start, period.end)
    term_counts = cases.aggregate(**{
        f"t{i}": Count("id", distinct=True, filter=Q(incident_recorded_at__gte=bounds(t)[0],
                                                     incident_recorded_at__lt=bounds(t)[1]))
        for i, t in enumerate(terms)
    })
    by_term = [Row(t.key, t.label, term_counts[f"t{i}"]) for i, t in enumerate(terms)]

    return Figures(
        period=period,
        total=totals["total"],
        children=totals["children"],
        by_type=by_type,
        by_area=by_area,
        by_outcome=by_outcome,
        referred=referred["n"],
        referral_rows=referral_rows,
        by_year=by_year,
        by_sex=by_sex,
        by_month=by_month,
        by_term=by_term,
        acknowledged=_acknowledgement_minutes(concerns, period),
        first_action=_first_action_minutes(cases),
        repeat=_repeat(cases),
        imagery=totals["imagery"],
        imagery_children=totals["imagery_children"],
        ai_rows=ai_rows,
        acknowledge_within=settings.HARBOUR_ACKNOWLEDGE_WITHIN_MINUTES,
    )


def _children_not_referred(cases, sent):
    return cases.aggregate(c=Count("concerns__children__pupil", distinct=True, filter=~Q(sent)))["c"]


def _children_rows(cases, today):
    """Different children by year group (at the time) and by sex. Two grouped queries."""
    links = ConcernChild.objects.filter(concern__case__in=cases).order_by()
    first = reporting.load().terms[0]
    opened = "concern__case__incident_recorded_at"
    # The school year each incident fell in, in the database: the calendar year, less one
    # before the first term's start date.
    before_start = Q(**{f"{opened}__month__lt": first.month}) | Q(**{f"{opened}__month": first.month,
                                                                    f"{opened}__day__lt": first.day})
    academic_year = CaseWhen(When(before_start, then=ExtractYear(opened) - 1), default=ExtractYear(opened),
                             output_field=IntegerField())
    this_year = reporting.academic_year_of(today)
    years: dict[int, int] = {}
    for r in (links.annotate(ay=academic_year).values("pupil__year_group", "ay")
              .annotate(c=Count("pupil", distinct=True))):
        then = r["pupil__year_group"] - (this_year - int(r["ay"]))  # PostgreSQL may give a Decimal
        years[then] = years.get(then, 0) + r["c"]
    by_year = [Row(str(y), YEAR_LABELS.get(y, f"Year {y}"), n, n) for y, n in sorted(years.items())]
    found = {r["pupil__sex"]: r["c"] for r in links.values("pupil__sex").annotate(c=Count("pupil", distinct=True))}
    by_sex = [Row(key, label, found.get(key, 0), found.get(key, 0)) for key, label in Pupil.Sex.choices]
    return by_year, by_sex


def _acknowledgement_minutes(concerns, period):
    start, end = bounds(period)
    pairs = concerns.filter(created_at__gte=start, created_at__lt=end, acknowledged_at__isnull=False).values_list(
        "created_at", "acknowledged_at")
    return sorted(round((ack - made).total_seconds() / 60) for made, ack in pairs)


def _first(model, field_name, **filters):
    return Subquery(model.objects.filter(case=OuterRef("pk"), **filters).order_by().values("case")
                    .annotate(first=Min(field_name)).values("first")[:1])


def _first_action_minutes(cases):
    """From report to the first thing done: a step done, an action recorded as taken, or a referral (B10)."""
    rows = cases.annotate(
        task=Subquery(Task.objects.filter(case=OuterRef("pk"), result=Task.Result.DONE)
                      .exclude(ticked_by__in=NOT_AN_ACTION).order_by().values("case")
                      .annotate(first=Min("completed_at")).values("first")[:1]),
        decision=_first(Decision, "decided_at", kind=Decision.Kind.ACTION_TAKEN),
        referral=_first(Referral, "made_at"),
    ).values_list("incident_recorded_at", "task", "decision", "referral")
    minutes = []
    for reported, *actions in rows:
        done = [a for a in actions if a is not None]
        if done:
            minutes.append(max(0, round((min(done) - reported).total_seconds() / 60)))
    return sorted(minutes)


def _repeat(cases):
    """Children by how many of these cases they are in (repeat involvement)."""
    counts = {"1": 0, "2": 0, "3+": 0}
    per_child = (ConcernChild.objects.filter(concern__case__in=cases).order_by().values("pupil")
                 .annotate(n=Count("concern__case", distinct=True)).values_list("n", flat=True))
    for n in per_child:
        counts["1" if n == 1 else "2" if n == 2 else "3+"] += 1
    return [Row("1", "In one case", counts["1"], counts["1"]), Row("2", "In two cases", counts["2"], counts["2"]),
            Row("3+", "In three or more", counts["3+"], counts["3+"])]


def duration(minutes):
    """Minutes as people say them: "45 minutes", "3 hours 10 minutes", "2 days 4 hours"."""
    if minutes is None:
        return "no data"
    minutes = round(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins and not days:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts) or "under a minute"
