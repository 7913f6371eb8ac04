"""The case list and the chronology search: the cases a person may read at their school."""


from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from audit.log import Action, record
from cases.access import CASES, cases_for, may_read
from cases.actions import versions
from cases.models import Case, Decision, Referral, SignOff
from lib import searches
from schools.current import current_school


def _readable_cases(request):
    """(school, the cases this person may read there); a 404 for someone who reads no cases at all."""
    school = current_school(request)
    if school is None:
        raise Http404("No school")
    cases = cases_for(request.user, school)
    if not CASES.reads_any(request.user, school) and not cases.exists():
        raise Http404("No cases")
    return school, cases


def case_list(request):
    school, cases = _readable_cases(request)
    show = request.GET.get("show", "open")
    if show != "closed":
        cases = cases.filter(status=Case.Status.OPEN)
    else:
        cases = cases.filter(status=Case.Status.CLOSED)
    now = timezone.now()
    referred = Referral.objects.filter(case=OuterRef("pk")).for_b2()
    cases = cases.annotate(
        overdue=Count("tasks", distinct=True, filter=Q(tasks__completed_at__isnull=True, tasks__due_at__lt=now)),
        referred=Exists(referred),
    )
    rows = [{"case": case, "overdue": case.overdue,
             "referral_missing": bool(case.evaluation.get("referral_required")) and not case.referred}
            for case in cases.defer(*(f for f in Case.JSON_FIELDS if f != "evaluation")).order_by("-opened_at")[:200]]
    record(actor=request.user, action=Action.VIEW, object_type="case_list", school=school.id, detail={"show": show})
    sign_offs = [s for s in SignOff.objects.filter(decision__state=Decision.State.AWAITING_SIGN_OFF,
                                                   signed_at__isnull=True, decision__case__school=school)
                 .select_related("decision__case__school") if CASES.may_sign(request.user, s, s.decision.case)
                 and may_read(request.user, s.decision.case)]
    # J7: open cases whose procedure has a newer version, waiting for the team to move or keep them.
    behind = len(versions.waiting(request.user, school)) if show != "closed" else 0
    return render(request, "cases/list.html", {"rows": rows, "show": show, "school": school, "sign_offs": sign_offs,
                                               "behind": behind})


def search(request):
    """Search the chronologies of the cases this person may read; every search is audited (H2)."""
    from cases.search import LIMIT, search as find

    school, _ = _readable_cases(request)
    if request.method == "POST":  # words from a case may be a name: never in a URL (lib/searches.py)
        return searches.remember(request, max_length=200)
    query = searches.recall(request)
    hits = find(request.user, school, query) if query.strip() else []
    record(actor=request.user, action=Action.VIEW, object_type="case_search", school=school.id,
           detail={"query": query, "results": len(hits)})
    return render(request, "cases/search.html", {"school": school, "query": query, "hits": hits, "limit": LIMIT})

