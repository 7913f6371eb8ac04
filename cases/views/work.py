"""Tasks and clocks (E1–E7), people and notes, closing and reopening (G1, H1)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import actions
from cases.access import get_case_for, get_case_to_manage, owns
from cases.forms import CloseForm, MemberForm, NoteForm, ReopenForm, ReviewDateForm, StepsForm, TaskForm
from cases.models import Task
from cases.views.common import school_staff
from cases.views.page import case_page
from lib.errors import ActionError
from lib.forms import posted


# -- Tasks and clocks (E1–E7) -----------------------------------------------------------

def task(request, case_id, task_id):
    case = get_case_to_manage(request.user, case_id)
    item = get_object_or_404(Task, id=task_id, case=case)
    form = TaskForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.complete_task(user=request.user, task=item, done=form.cleaned_data["result"] == "done",
                                  note=form.cleaned_data["note"])
        except ActionError as exc:
            form.refuse(exc, field="note")
        else:
            return redirect(reverse("cases:detail", args=[case.id]) + "#tasks")
    return render(request, "cases/task.html", {"case": case, "task": item, "form": form,
                                               "required": actions.why_not_skippable(case, item)})


@require_POST
def complete_steps(request, case_id):
    """B10: several steps done at once, for one reason. Refused, the case page comes back with the choices and the
    reason kept, and the message beside the box."""
    case = get_case_to_manage(request.user, case_id)
    form = StepsForm(request.POST, open_tasks=case.tasks.outstanding().order_by("due_at", "id"))
    if form.is_valid():
        try:
            done = actions.complete_steps(user=request.user, case=case, tasks=form.chosen(),
                                          reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="tasks")
        else:
            messages.success(request, f"{len(done)} step{'s' if len(done) != 1 else ''} marked as done.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#tasks")
    return case_page(request, case, steps_form=form)


@require_POST
def review_date(request, case_id):
    """E4. Refused, the case page comes back with the date typed and the reason beside it."""
    case = get_case_to_manage(request.user, case_id)
    form = ReviewDateForm(request.POST)
    if form.is_valid():
        try:
            actions.set_review_date(user=request.user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc, field="review_date")
        else:
            messages.success(request, "Review date set.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#clocks")
    return case_page(request, case, review_date_form=form)


# -- People and notes -------------------------------------------------------------------

def people(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    present = {m.user_id for m in case.members.all()}
    staff = [u for u in school_staff(case) if u.id not in present and not owns(u, case)]
    form = MemberForm(posted(request), staff=staff)
    if form.is_bound and form.is_valid():
        member = form.cleaned_data["user"]
        try:
            actions.add_member(user=request.user, case=case, member=member, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, f"{member.full_name} can now see this case.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#people")
    chosen = form.shown("user")
    staff_items = [{"value": str(u.id), "text": u.picker_label, "selected": str(u.id) == chosen} for u in staff]
    return render(request, "cases/people.html", {"case": case, "staff_items": staff_items, "form": form,
                                                  "members": list(case.members.select_related("user"))})


@require_POST
def note(request, case_id):
    """A note on the chronology. Refused, the case page comes back with the note as typed and the reason beside it
    (it used to go back to the case page and lose the note)."""
    case = get_case_for(request.user, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.add_note(user=request.user, case=case, text=form.cleaned_data["text"])
        except ActionError as exc:
            form.refuse(exc, field="text")
        else:
            messages.success(request, "Note added to the chronology.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#chronology")
    return case_page(request, case, note_form=form)


# -- Closure and reopening (G1, H1) -----------------------------------------------------

def close(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if not case.is_open:
        return redirect("cases:detail", case.id)
    form = CloseForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.close_case(user=request.user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"Case {case.reference} closed.")
            return redirect("cases:detail", case.id)
    return render(request, "cases/close.html", {"case": case, "form": form,
                                                 "blockers": actions.closure_blockers(case)})


def reopen(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if case.is_open:
        return redirect("cases:detail", case.id)
    form = ReopenForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.reopen_case(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, f"Case {case.reference} reopened.")
            return redirect("cases:detail", case.id)
    return render(request, "cases/reopen.html", {"case": case, "form": form})
