"""Dashboards, the lists behind their numbers, trends, the governor report and the termly pack.

Each view: access check first (a stranger gets the same 404 as a missing page) → read the
period → count → audit the read → render. Nothing here writes anything but the audit trail.
"""

from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.capabilities import Capability
from audit.log import Action, record
from concerns.access import CONCERNS
from lib.pdf import render_pdf
from reports import dashboard, packs, quality, reporting, scope
from reports.presentation import HELPERS
from reports.figures import figures
from reports.reporting import Period
from schools.current import current_school
from schools.models import School


def _school_overseen(request):
    school = current_school(request)
    if school is None or not scope.oversees(request.user, school):
        raise Http404("No dashboard")
    return school


def _trust_schools(request):
    """The schools of the current school's trust that this person oversees across the trust."""
    school = current_school(request)
    if school is None or not request.user.access.can(Capability.VIEW_TRUST_OVERVIEW, school):
        return []
    return [s for s in School.objects.filter(trust_id=school.trust_id).order_by("name")
            if request.user.access.can(Capability.VIEW_TRUST_OVERVIEW, s) and scope.oversees(request.user, s)]


def _nav(request, school):
    """Which leader's pages to offer in the sub navigation."""
    return {"nav": True, "trust": bool(_trust_schools(request)),
            "governor": request.user.access.can(Capability.VIEW_GOVERNOR_REPORT, school)}


def _measure_rows(counts, schools):
    return [{"measure": m, "counts": [(s, counts[m.key][s.id]) for s in schools]}
            for m in dashboard.MEASURES if m.key in counts]


# -- Dashboards ----------------------------------------------------------------------

def school_dashboard(request):
    school = _school_overseen(request)
    now = timezone.now()
    counts = dashboard.counts(request.user, [school], now)
    writing = quality.record_quality(request.user, school, timezone.localdate())
    record(actor=request.user, action=Action.VIEW, object_type="dashboard", school=school)
    return render(request, "reports/dashboard.html", {"school": school, "rows": _measure_rows(counts, [school]),
                                                      "writing": writing, **_nav(request, school)})


def trust_dashboard(request):
    schools = _trust_schools(request)
    if not schools:
        raise Http404("No trust overview")
    counts = dashboard.counts(request.user, schools, timezone.now())
    record(actor=request.user, action=Action.VIEW, object_type="trust_dashboard",
           detail={"schools": [s.id for s in schools]})
    return render(request, "reports/trust.html", {"schools": schools, "rows": _measure_rows(counts, schools),
                                                  "the_trust": schools[0].trust,
                                                  **_nav(request, current_school(request))})


def measure_list(request, school_id, key):
    school = get_object_or_404(School, id=school_id)
    measure = dashboard.BY_KEY.get(key)
    if measure is None or not scope.oversees(request.user, school) or not measure.applies(request.user, school):
        raise Http404("No such list")
    rows = dashboard.rows(measure, request.user, school, timezone.now())
    readable = scope.readable_case_ids(request.user, school)
    items = []
    for row in rows:
        case = row if measure.kind == "case" else getattr(row, "case", None)
        if measure.link is not None:
            link = measure.link(request.user, school, row)
        elif measure.kind == "concern":
            may_open = CONCERNS.allows(request.user, CONCERNS.Verb.SEE_SUMMARY, row)
            link = ("concerns:detail", row.id) if may_open else None
        else:
            link = ("cases:detail", case.id) if case.id in readable else None
        items.append({"row": row, "case": case, "link": link})
    record(actor=request.user, action=Action.VIEW, object_type="dashboard_list", school=school,
           detail={"list": key, "shown": len(items)})
    return render(request, "reports/list.html", {"school": school, "measure": measure, "items": items,
                                                 "limit": dashboard.LIST_LIMIT, "now": timezone.now()})


# -- Trends --------------------------------------------------------------------------

def _date_from(request, prefix):
    try:
        return date(int(request.GET.get(f"{prefix}-year", "")), int(request.GET.get(f"{prefix}-month", "")),
                    int(request.GET.get(f"{prefix}-day", "")))
    except ValueError:
        return None


def trend_period(request, today):
    """The period asked for: a term ("2025-autumn"), a school year ("2025-year"), or a range. Return (period, error)."""
    key = request.GET.get("period", "")
    if key == "range":
        start, last = _date_from(request, "from"), _date_from(request, "to")
        if start is None or last is None:
            return None, "Enter the first and last day as real dates, for example 1 9 2025."
        if last < start:
            return None, "The last day must be the same as or after the first day."
        if (last - start).days > 366 * 5:
            return None, "Choose a period of five years or less."
        return Period(start, last + timedelta(days=1), f"{start:%-d %B %Y} to {last:%-d %B %Y}", "range"), None
    if key.endswith("-year") and key[:4].isdigit():
        year = int(key[:4])
        first = reporting.load().terms[0]
        start = date(year, first.month, first.day)
        return Period(start, date(year + 1, first.month, first.day), f"School year {year}/{str(year + 1)[-2:]}",
                      key), None
    period = reporting.period_for_key(key)
    if period:
        return period, None
    year = reporting.academic_year_of(today)
    return _trend_period_for(year), None


def _trend_period_for(year):
    first = reporting.load().terms[0]
    return Period(date(year, first.month, first.day), date(year + 1, first.month, first.day),
                  f"School year {year}/{str(year + 1)[-2:]}", f"{year}-year")


def period_choices(today):
    year = reporting.academic_year_of(today)
    years = [_trend_period_for(y) for y in (year, year - 1)]
    return [(p.key, p.label) for p in years + reporting.recent_terms(today, 6)]


def trends(request):
    school = _school_overseen(request)
    today = timezone.localdate()
    trust_schools = _trust_schools(request)
    whole_trust = request.GET.get("school") == "all" and bool(trust_schools)
    schools = trust_schools if whole_trust else [school]
    period, error = trend_period(request, today)
    f = figures(scope.cases(request.user, schools), scope.concerns(request.user, schools), period) if period else None
    record(actor=request.user, action=Action.VIEW, object_type="trends", school=None if whole_trust else school,
           detail={"period": period.label if period else "", "schools": [s.id for s in schools]})
    return render(request, "reports/trends.html", {
        "school": school, "schools": schools, "whole_trust": whole_trust, "can_trust": bool(trust_schools),
        "f": f, "period": period, "error": error, "choices": period_choices(today),
        "chosen": request.GET.get("period", period.key if period else ""), "get": request.GET,
        **HELPERS, **_nav(request, school),
    })


# -- Governor report and termly pack -------------------------------------------------

def _term(request):
    today = timezone.localdate()
    return reporting.period_for_key(request.GET.get("term", "")) or reporting.term_containing(today)


def _term_choices():
    return [(p.key, p.label) for p in reporting.recent_terms(timezone.localdate(), 6)]


def _pdf(html, filename):
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def governor_report(request, as_pdf=False):
    school = current_school(request)
    if school is None or not request.user.access.can(Capability.VIEW_GOVERNOR_REPORT, school):
        raise Http404("No governor report")
    report = packs.governor_report(school, _term(request))
    record(actor=request.user, action=Action.VIEW, object_type="governor_report", school=school,
           detail={"term": report.period.key, "pdf": as_pdf})
    context = {"report": report, "school": school, "title": "Governor report", "choices": _term_choices(),
               "kind": "governor", "today": timezone.localdate(), **HELPERS,
               # A governor's only page here: no leader's navigation.
               **(_nav(request, school) if scope.oversees(request.user, school) else {"nav": False})}
    if as_pdf:
        return _pdf(render_to_string("reports/print/pack.html", context), f"governor-report-{report.period.key}.pdf")
    return render(request, "reports/pack.html", context)


def termly_pack(request, as_pdf=False):
    school = _school_overseen(request)
    report = packs.termly_pack(request.user, school, _term(request))
    # The pack shows lessons learnt from these cases: a read of each, audited (H2).
    record(actor=request.user, action=Action.VIEW, object_type="termly_pack", school=school,
           detail={"term": report.period.key, "pdf": as_pdf, "cases": [c.id for c in report.closed]})
    context = {"report": report, "school": school, "title": "Termly review pack", "choices": _term_choices(),
               "kind": "pack", "today": timezone.localdate(), **HELPERS, **_nav(request, school)}
    if as_pdf:
        return _pdf(render_to_string("reports/print/pack.html", context), f"termly-pack-{report.period.key}.pdf")
    return render(request, "reports/pack.html", context)
