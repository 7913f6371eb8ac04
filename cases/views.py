from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.log import Action, record
from cases import actions
from cases.access import get_case_for
from concerns.access import get_concern_for_recipient
from concerns.models import ConcernChild


def case_detail(request, case_id):
    case = get_case_for(request.user, case_id)
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school)
    concerns = list(case.concerns.select_related("reported_by").order_by("created_at"))
    children = list(ConcernChild.objects.filter(concern__case=case).select_related("pupil", "concern")
                    .order_by("pupil__legal_last_name", "concern__created_at"))
    return render(request, "cases/detail.html", {"case": case, "concerns": concerns, "children": children})


@require_POST
def open_from_concern(request, concern_id):
    concern = get_concern_for_recipient(request.user, concern_id)
    case = actions.open_case(user=request.user, concern=concern)
    messages.success(request, f"Case {case.reference} opened from concern {concern.reference}.")
    return redirect("cases:detail", case.id)


@require_POST
def attach_concern(request, concern_id):
    concern = get_concern_for_recipient(request.user, concern_id)
    wanted = request.POST.get("case", "")
    case = get_case_for(request.user, int(wanted)) if wanted.isdigit() else None
    if case is None:
        messages.info(request, "Choose the case this concern belongs to.")
        return redirect("concerns:detail", concern.id)
    actions.attach_to_case(user=request.user, concern=concern, case=case)
    messages.success(request, f"Concern {concern.reference} added to case {case.reference}.")
    return redirect("cases:detail", case.id)
