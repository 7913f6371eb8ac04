"""The governor report and the termly review pack (G3, G4).

Both are numbers for one school and one whole term, with small numbers suppressed
(reports/suppression.py). Terms are whole, fixed periods, so one report cannot be
subtracted from another to reach a small group. The governor report counts only the
incidents about children (the safeguarding team's cases); the pack counts what its reader
oversees and adds, for the incident-management team alone, how each closed case was
handled (G2) and the lessons learnt written at closure (G1). Lessons are the DSL's own
free text, so they never go into the governor report.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Subquery

from cases.models import Case, Task
from concerns.models import Concern, Route
from reports import figures as fig_module
from reports import scope
from reports.figures import CHILDREN, bounds, figures, in_period
from reports.reporting import Period, academic_year_of, load, term_period
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
    totals: list = field(default_factory=list)  # [(label, this term, this school year so far)]: always shown
    year: object = None  # the school year to the end of this term
    trust_name: str = ""  # when the trust's figures stand beside suppressed breakdowns
    trust_note: str = ""  # why they do not, when the school is in a trust


def tables_for(f, k, *, staff=True):
    """The suppressed tables of a report, from Figures `f`."""

    def table(title, unit, rows, total, total_children, note=""):
        cells = [Cell(r.label, r.value, r.children) for r in rows]
        return suppress(title, unit, cells, Cell("Total", total, total_children), k, note)

    children_total = f.children
    tables = [
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
        # J2: imagery made or altered with AI is counted, as numbers only, suppressed like every other table.
        table("Imagery incidents: made or altered with AI", "incidents", f.ai_rows, f.imagery, f.imagery_children,
              "Only incidents about sexual images of a child. They are handled the same way whether or not AI "
              "was used."),
    ]
    for key, made in zip(KEYS, tables, strict=True):
        made.key = key
    return tables


KEYS = ("kind", "outcome", "referrals", "month", "year_group", "sex", "repeat", "acknowledged", "ai_made")
# Schools of one trust teach different year groups (a primary and a secondary), so the trust's children by year
# group would show this school's own in the years only it teaches: never put beside the school's.
NOT_BESIDE_TRUST = {"year_group"}


def _every_kind(rows, staff):
    """Every kind of case, zeros included, in a fixed order: the table does not change shape with the data."""
    from concerns.models import IncidentType
    from reports.reporting import case_types

    found = {r.key: r for r in rows}
    return [found.get(value) or fig_module.Row(value, label, 0, 0) for value, label in IncidentType.choices
            if value in case_types() and (staff or value != IncidentType.STAFF_ALLEGATION)]


def governor_report(school, period):
    """G4: what governors see. Only the safeguarding team's cases (about children).

    The school's totals for the term and the school year so far are always shown: a total names no one (20.10).
    Beside each breakdown that small numbers hide, the same measure across the trust, suppressed in the same way,
    when the trust's other schools had at least k incidents between them in the term: fewer, and the trust's
    figures would be little more than this school's own."""
    routes = scope.children_routes()
    cases = Case.objects.filter(school=school, route__in=routes)
    concerns = Concern.objects.filter(school=school, route__in=routes)
    f = figures(cases, concerns, period)
    k = threshold()
    tables = tables_for(f, k, staff=False)
    pack = Pack(school=school, period=period, figures=f, tables=tables, k=k, handling=_handling(f, k), closed=[])
    pack.year = school_year_to(period)
    pack.totals = totals(cases, period, pack.year)
    if any(t.any_suppressed for t in tables):
        _beside_trust(pack, school, routes, period, k)
    return pack


def school_year_to(period):
    """The school year holding `period`, from its first day to the end of `period`."""
    year = academic_year_of(period.start)
    start = min(term_period(year, term.id).start for term in load().terms)
    return Period(start, period.end, f"{year}/{str(year + 1)[-2:]} so far", "")


def totals(cases, period, year):
    """The incidents and the children in them, this term and this school year so far."""
    rows = []
    counted = [in_period(cases, p).order_by().aggregate(n=Count("id", distinct=True), c=CHILDREN)
               for p in (period, year)]
    rows.append(("Incidents about children", counted[0]["n"], counted[1]["n"]))
    rows.append(("Children involved", counted[0]["c"], counted[1]["c"]))
    return rows


def _beside_trust(pack, school, routes, period, k):
    trust = school.trust
    others = Case.objects.filter(school__trust=trust, route__in=routes).exclude(school=school)
    if not in_period(others, period).exists():
        pack.trust_note = (f"{trust.name}’s other schools had no incidents this term, so the trust’s figures "
                           "would be this school’s own: they are not shown.")
        return
    if in_period(others, period).count() < k:
        pack.trust_note = (f"{trust.name}’s other schools had fewer than {k} incidents between them this term, "
                           "so the trust’s figures could be used to work out this school’s: they are not shown.")
        return
    trust_cases = Case.objects.filter(school__trust=trust, route__in=routes)
    trust_concerns = Concern.objects.filter(school__trust=trust, route__in=routes)
    trust_tables = tables_for(figures(trust_cases, trust_concerns, period), k, staff=False)
    for table, whole in zip(pack.tables, trust_tables, strict=True):
        if table.any_suppressed and table.key not in NOT_BESIDE_TRUST:
            table.trust = whole
    pack.trust_name = trust.name


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

