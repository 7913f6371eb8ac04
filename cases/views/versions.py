"""J7: open cases following an older version of their procedure; moving or keeping each, with a reason (B10)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from audit.log import Action, record
from cases import procedure_changes
from cases.access import get_case_to_manage
from cases.actions import versions
from cases.forms import VersionChoiceForm
from concerns import routing
from lib.errors import ActionError
from lib.forms import posted
from schools.current import current_school


def manages_cases(user, school) -> bool:
    """Whoever runs cases on any route at the school (the DSL team; the headteacher for allegations)."""
    return school is not None and any(user.access.can(r.manage, school) for r in routing.ROUTES.values())


def waiting_list(request):
    school = current_school(request)
    if not manages_cases(request.user, school):
        raise Http404("Not found")
    rows = versions.waiting(request.user, school)
    if rows:  # a read of these cases' references is logged; an empty list reads no record
        record(actor=request.user, action=Action.VIEW, object_type="case_version_list", school=school.id,
               detail={"cases": [r["case"].id for r in rows]})
    return render(request, "cases/versions.html", {"rows": rows, "school": school,
                                                   "summary": versions.summary})


def case_version(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    current = versions.newer_version(case) if case.is_open else None
    if current is None:
        messages.info(request, f"Case {case.reference} follows the version of its procedure in force.")
        return redirect("cases:detail", case.id)
    form = VersionChoiceForm(posted(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        act = versions.move_to_current if data["choice"] == "move" else versions.keep_version
        try:
            act(user=request.user, case=case, reason=data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, f"Case {case.reference} now follows {current['pinned']['label']}."
                             if data["choice"] == "move" else f"Case {case.reference} keeps its version.")
            return redirect("cases:detail", case.id)
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": "procedure_version"})
    return render(request, "cases/version.html", {
        "case": case, "form": form, "current": current, "was": procedure_changes.label(case.procedure),
        "changes": procedure_changes.changes(case.procedure, current)})
