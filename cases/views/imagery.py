"""Imagery cases: the member of staff an image shows (J3), and Report Remove or Take It Down offered to each child
without the image (J5). Each view: access → form → action → redirect, or the page again with what was typed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import actions
from cases.access import get_case_to_manage
from cases.forms import ClearDepictedStaffForm, DepictedStaffForm, TakedownForm
from cases.models import IMAGERY_PROCEDURES, Takedown
from cases.views.common import audit_view, school_staff
from lib.errors import ActionError
from lib.forms import posted


def staff_steps(case):
    """J3: the case's steps for a member of staff shown in an image (support, the police, the pupils' route)."""
    return [t for t in case.tasks.order_by("due_at", "id") if "J3" in (t.rules or [])]


# -- The member of staff an image shows (J3) --------------------------------------------------------------------

def _staff_case(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if not actions.asks_about_staff(case):
        raise Http404("This case's procedure does not ask about a member of staff")
    return case


def _depicted_page(request, case, form, clear_form):
    audit_view(request, case, "depicted_staff")
    chosen = form.shown("user") or (str(case.depicted_staff_id) if case.depicted_staff_id else "")
    items = [{"value": key, "text": text, "selected": key == str(chosen)}
             for key, text in form.fields["user"].choices if key]
    return render(request, "cases/depicted_staff.html", {
        "case": case, "form": form, "clear_form": clear_form, "staff_items": items, "steps": staff_steps(case)})


def depicted_staff(request, case_id):
    case = _staff_case(request, case_id)
    if not case.is_open:
        return redirect("cases:detail", case.id)
    form = DepictedStaffForm(posted(request), staff=school_staff(case, governors=False))
    if form.is_bound and form.is_valid():
        staff = form.cleaned_data["user"]
        try:
            actions.record_depicted_staff(user=request.user, case=case, staff=staff,
                                          reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="user")
        else:
            messages.success(request, f"Recorded: the image shows {staff.full_name}. They will not see this case "
                                      "unless you add them. Support for them and the police report are due: their "
                                      "deadlines are below.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#staff-shown")
    return _depicted_page(request, case, form, ClearDepictedStaffForm())


@require_POST
def clear_depicted_staff(request, case_id):
    case = _staff_case(request, case_id)
    form = ClearDepictedStaffForm(request.POST)
    if form.is_valid():
        try:
            actions.clear_depicted_staff(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, "No member of staff is recorded as shown in the image now.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#staff-shown")
    return _depicted_page(request, case, DepictedStaffForm(staff=school_staff(case, governors=False)), form)


# -- Report Remove and Take It Down (J5) -------------------------------------------------------------------------

def _imagery_case(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if case.procedure_id not in IMAGERY_PROCEDURES:
        raise Http404("Not a case about imagery")
    return case


def takedown(request, case_id):
    """Every child on the case with what was offered, their choice and the outcome, and each record before."""
    case = _imagery_case(request, case_id)
    audit_view(request, case, "takedown")
    return render(request, "cases/takedown.html", {"case": case, "children": actions.children_for_takedown(case)})


def takedown_child(request, case_id, pupil_id):
    case = _imagery_case(request, case_id)
    child = next((c for c in actions.children_for_takedown(case) if c.pupil.id == pupil_id), None)
    if child is None:
        raise Http404("No such child on this case")
    if not case.is_open:
        return redirect("cases:takedown", case.id)
    latest = child.latest
    initial = ({"service": latest.service, "choice": latest.choice, "outcome": latest.outcome} if latest
               else {"service": actions.suggested_service(child.pupil), "choice": Takedown.Choice.UNDECIDED,
                     "outcome": Takedown.Outcome.NOT_KNOWN})
    form = TakedownForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            actions.record_takedown(user=request.user, case=case, pupil=child.pupil, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc, field="notes")
        else:
            messages.success(request, f"Recorded for {child.pupil.display_name}.")
            return redirect("cases:takedown", case.id)
    audit_view(request, case, "takedown")
    services = [(value, words) for value, words in Takedown.Service.choices
                if child.under_18 or value == Takedown.Service.TAKE_IT_DOWN]
    return render(request, "cases/takedown_child.html", {"case": case, "child": child, "form": form,
                                                         "services": services, "Takedown": Takedown})
