"""Tasks and clocks (E1–E7), people and notes, closing and reopening (G1, H1)."""

from datetime import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import actions
from cases.access import get_case_for, get_case_to_manage, owns
from cases.actions import CaseError
from cases.models import Task
from cases.views.common import form_error, messages_of, school_staff


# -- Tasks and clocks (E1–E7) -----------------------------------------------------------

def task(request, case_id, task_id):
    case = get_case_to_manage(request.user, case_id)
    item = get_object_or_404(Task, id=task_id, case=case)
    error, values = None, {"result": "", "note": ""}
    if request.method == "POST":
        values = {"result": request.POST.get("result", ""), "note": request.POST.get("note", "")}
        if values["result"] not in ("done", "not_needed"):
            error = form_error("Say whether the task was done.", "result")
        else:
            try:
                actions.complete_task(user=request.user, task=item, done=values["result"] == "done",
                                      note=values["note"])
                return redirect(reverse("cases:detail", args=[case.id]) + "#tasks")
            except CaseError as exc:
                error = form_error(messages_of(exc), "note")
    return render(request, "cases/task.html", {"case": case, "task": item, "values": values, "error": error,
                                               "required": actions.why_not_skippable(case, item)})


@require_POST
def review_date(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    try:
        value = datetime.strptime(request.POST.get("review_date", ""), "%Y-%m-%d").date()
    except ValueError:
        value = None
    try:
        actions.set_review_date(user=request.user, case=case, review_date=value)
        messages.success(request, "Review date set.")
    except CaseError as exc:
        messages.error(request, messages_of(exc))
    return redirect(reverse("cases:detail", args=[case.id]) + "#clocks")


# -- People and notes -------------------------------------------------------------------

def people(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    present = {m.user_id for m in case.members.all()}
    staff = [u for u in school_staff(case) if u.id not in present and not owns(u, case)]
    error, values = None, {"user": "", "reason": ""}
    if request.method == "POST":
        values = {"user": request.POST.get("user", ""), "reason": request.POST.get("reason", "")}
        member = next((u for u in staff if str(u.id) == values["user"]), None)
        if member is None:
            error = form_error("Choose a member of staff at this school.", "user")
        else:
            try:
                actions.add_member(user=request.user, case=case, member=member, reason=values["reason"])
                messages.success(request, f"{member.full_name} can now see this case.")
                return redirect(reverse("cases:detail", args=[case.id]) + "#people")
            except CaseError as exc:
                error = form_error(messages_of(exc), "reason")
    staff_items = [{"value": str(u.id), "text": u.full_name, "selected": str(u.id) == values["user"]} for u in staff]
    return render(request, "cases/people.html", {"case": case, "staff_items": staff_items, "values": values,
                                                  "error": error,
                                                  "members": list(case.members.select_related("user"))})


@require_POST
def note(request, case_id):
    case = get_case_for(request.user, case_id)
    try:
        actions.add_note(user=request.user, case=case, text=request.POST.get("text", ""))
        messages.success(request, "Note added to the chronology.")
    except CaseError as exc:
        messages.error(request, messages_of(exc))
    return redirect(reverse("cases:detail", args=[case.id]) + "#chronology")


# -- Closure and reopening (G1, H1) -----------------------------------------------------

CLOSING_FIELDS = ("summary", "debrief", "lessons_learnt", "policy_changes")


def close(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if not case.is_open:
        return redirect("cases:detail", case.id)
    error, values = None, {k: "" for k in CLOSING_FIELDS}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in CLOSING_FIELDS}
        try:
            actions.close_case(user=request.user, case=case, **values)
            messages.success(request, f"Case {case.reference} closed.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            first_missing = next((k for k in CLOSING_FIELDS if not values[k].strip()), None)
            error = form_error(messages_of(exc), first_missing)
    return render(request, "cases/close.html", {"case": case, "values": values, "error": error,
                                                 "blockers": actions.closure_blockers(case)})


def reopen(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if case.is_open:
        return redirect("cases:detail", case.id)
    error, values = None, {"reason": ""}
    if request.method == "POST":
        values = {"reason": request.POST.get("reason", "")}
        try:
            actions.reopen_case(user=request.user, case=case, reason=values["reason"])
            messages.success(request, f"Case {case.reference} reopened.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            error = form_error(messages_of(exc), "reason")
    return render(request, "cases/reopen.html", {"case": case, "values": values, "error": error})
