"""The governor report and the termly review pack (G3, G4).

Both are numbers for one school and one whole term, with small numbers suppressed
(reports/suppression.py). Terms are whole, fixed periods, so one report cannot be
subtracted from another to reach a small group. The governor report counts only the
incidents about children (the safeguarding team's cases); the pack counts what its reader
oversees and adds, for the incident-management team alone, how each closed case was
handled (G2) and the lessons learnt written at closure (G1). Lessons are the DSL's own
free text, so they never go into the governor report.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery

from cases.models import Case, Task
from concerns.models import Concern, Route
from reports import figures as fig_module
from reports import scope
from reports.figures import bounds, figures
from reports.suppression import Cell, suppress


def threshold():
    return settings.HARBOUR_SUPPRESS_BELOW


@dataclass
class Pack:
    school: object
    period: object
    figures: object
    tables: list
    k: int
    handling: list
    closed: list


def tables_for(f, k, *, staff=True):
    """The suppressed tables of a report, from Figures `f`."""

    def table(title, unit, rows, total, total_children, note=""):
        cells = [Cell(r.label, r.value, r.children) for r in rows]
        return suppress(title, unit, cells, Cell("Total", total, total_children), k, note)

    children_total = f.children
    return [
        table("Incidents by kind", "incidents", _every_kind(f.by_type, staff), f.total, f.children),
        table("Incidents by outcome", "incidents", f.by_outcome, f.total, f.children),
        table("Referrals to other agencies", "incidents", f.referral_rows, f.total, f.children),
        table("Incidents by month", "incidents", f.by_month, f.total, f.children),
        table("Children by year group at the time", "children", f.by_year, sum(r.value for r in f.by_year),
              sum(r.value for r in f.by_year), "A child in incidents in two school years counts once in each."),
        table("Children by sex", "children", f.by_sex, children_total, children_total),
        table("Children by how many incidents they were in", "children", f.repeat, children_total, children_total,
              "More than one incident is repeat involvement."),
        table(f"Concerns acknowledged within {f.acknowledge_within} minutes", "concerns",
              [fig_module.Row("in_time", f"Within {f.acknowledge_within} minutes", f.acknowledged_in_time),
               fig_module.Row("late", "Later", len(f.acknowledged) - f.acknowledged_in_time)],
              len(f.acknowledged), 0),
    ]


def _every_kind(rows, staff):
    """Every kind of case, zeros included, in a fixed order: the table does not change shape with the data."""
    from concerns.models import IncidentType
    from reports.reporting import case_types

    found = {r.key: r for r in rows}
    return [found.get(value) or fig_module.Row(value, label, 0, 0) for value, label in IncidentType.choices
            if value in case_types() and (staff or value != IncidentType.STAFF_ALLEGATION)]


def governor_report(school, period):
    """G4: what governors see. Only the safeguarding team's cases (about children)."""
    cases = Case.objects.filter(school=school, route__in=scope.children_routes())
    concerns = Concern.objects.filter(school=school, route__in=scope.children_routes())
    f = figures(cases, concerns, period)
    k = threshold()
    return Pack(school=school, period=period, figures=f, tables=tables_for(f, k, staff=False), k=k,
                handling=_handling(f, k), closed=[])


def termly_pack(user, school, period):
    """G3: the incident-management team's termly review, with lessons learnt from closed cases (G1, G2)."""
    cases = scope.cases(user, [school])
    f = figures(cases, scope.concerns(user, [school]), period)
    k = threshold()
    staff = Route.HEADTEACHER in scope.routes_for(user, school)
    return Pack(school=school, period=period, figures=f, tables=tables_for(f, k, staff=staff), k=k,
                handling=_handling(f, k), closed=_closed_in(cases, period))


def _handling(f, k):
    """Medians are shown only when at least k incidents are behind them."""
    rows = []
    if len(f.acknowledged) >= k:
        rows.append(("Typical time from a report to its acknowledgement (median)",
                     fig_module.duration(f.median_acknowledged)))
    else:
        rows.append(
            ("Typical time from a report to its acknowledgement (median)", f"not shown: fewer than {k} concerns")
        )
    if len(f.first_action) >= k:
        rows.append(("Typical time from a report to the first action (median)",
                     fig_module.duration(f.median_first_action)))
    else:
        rows.append(("Typical time from a report to the first action (median)", f"not shown: fewer than {k} cases"))
    return rows


def _closed_in(cases, period):
    """Cases closed in `period`: how each was handled (G2) and what was learnt (G1). One query."""
    start, end = bounds(period)
    first_ack = Concern.objects.filter(case=OuterRef("pk")).order_by("acknowledged_at").values("acknowledged_at")[:1]
    late = Task.objects.filter(case=OuterRef("pk"), escalated_at__isnull=False)
    rows = (cases.filter(status=Case.Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
            .annotate(first_ack=Subquery(first_ack), had_escalation=Exists(late))
            .order_by("closed_at", "id"))
    return list(rows)

