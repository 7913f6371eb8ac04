"""P7: a group of monitoring alerts about one matched term, for the safeguarding team to triage as one item.

Each view: access first (a stranger, or anyone who does not receive concerns here, gets the same 404 as a missing
group) → form → action → redirect, or the page again with the reason beside the box."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.log import Action, record
from concerns import alert_groups
from concerns.forms import GroupCasesForm, GroupCloseForm, GroupSplitForm
from lib.errors import ActionError
from schools import status


def detail(request, group_id):
    group = alert_groups.get_group(request.user, group_id)
    return _page(request, group)


def _page(request, group, *, close_form=None, cases_form=None, split_form=None):
    shown = status.may_see(request.user, group.school)
    [loaded] = [g for g in alert_groups.open_groups(request.user, group.school) if g.id == group.id] or [None]
    rows = alert_groups.rows(loaded, flags_shown=shown) if loaded is not None else []
    record(actor=request.user, action=Action.VIEW, object_type="alert_group", object_id=group.id, school=group.school,
           detail={"shown": len(rows)})
    refused = [item for form in (close_form, cases_form, split_form) if form is not None
               for item in form.error_summary()]
    return render(request, "concerns/alert_group.html", {
        "group": group, "rows": rows, "close_form": close_form or GroupCloseForm(), "cases_form": cases_form,
        "refused": refused}, status=200)


@require_POST
def split(request, group_id):
    group = alert_groups.get_group(request.user, group_id, open_only=True)
    form = GroupSplitForm(request.POST)
    if not form.is_valid():
        return _page(request, group, split_form=form)
    alert_groups.split(user=request.user, group=group)
    messages.success(request, f"Alerts {group.reference} split: each is in the inbox on its own.")
    return redirect("concerns:inbox")


@require_POST
def close(request, group_id):
    group = alert_groups.get_group(request.user, group_id, open_only=True)
    form = GroupCloseForm(request.POST)
    if form.is_valid():
        try:
            alert_groups.close(user=request.user, group=group, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"Alerts {group.reference} closed, with your reason.")
            return redirect("concerns:inbox")
    return _page(request, group, close_form=form)


@require_POST
def open_cases(request, group_id):
    group = alert_groups.get_group(request.user, group_id, open_only=True)
    ids = list(group.concerns.values_list("id", flat=True))
    form = GroupCasesForm(request.POST, concern_ids=ids)
    if form.is_valid():
        try:
            cases = alert_groups.open_cases(user=request.user, group=group, concern_ids=form.cleaned_data["concerns"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"{len(cases)} case{'' if len(cases) == 1 else 's'} opened: "
                                      + ", ".join(c.reference for c in cases) + ".")
            return redirect("concerns:inbox")
    return _page(request, group, cases_form=form)
