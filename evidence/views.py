"""Evidence pages on a case: access check (the team running the case) → form → one action → back to the case."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.pickers import people_at
from cases.access import get_case_for, get_case_to_manage
from cases.evaluation import case_pupils
from evidence import actions, forms
from evidence.actions import DELETION_SCOPE
from evidence.models import CustodyStep, Deletion, Device, EvidenceItem, ParentContact, Viewing
from lib.dates import DATETIME_LOCAL
from lib.errors import ActionError
from lib.forms import posted


def _back(case):
    return redirect(reverse("cases:detail", args=[case.id]) + "#evidence")


def _children(case):
    seen, items = set(), []
    for link in case_pupils(case):
        if link.pupil_id not in seen:
            seen.add(link.pupil_id)
            items.append(link.pupil)
    return items


def _page(request, case, template, form, **extra):
    if "children" in extra:
        chosen = form.shown("pupil")
        extra["child_items"] = [{"value": str(p.id), "text": p.display_name, "checked": str(p.id) == chosen}
                                for p in extra["children"]]
    return render(request, f"evidence/{template}", {"case": case, "form": form, **extra})


def _act(form, action, **kwargs):
    """Run `action` with the form's cleaned data; a refusal goes beside the box it names. True when done."""
    try:
        action(**form.cleaned_data, **kwargs)
    except ActionError as exc:
        form.refuse(exc)
        return False
    return True


def device_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    form = forms.DeviceForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.record_device, user=request.user, case=case):
        messages.success(request, "Device recorded.")
        return _back(case)
    return _page(request, case, "device.html", form, isolations=Device.Isolation.choices,
                 holders=CustodyStep.Holder.choices)


def device_move(request, case_id, device_id):
    case = get_case_to_manage(request.user, case_id)
    device = get_object_or_404(Device, id=device_id, case=case)
    form = forms.MoveForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.move_device, user=request.user, device=device):
        messages.success(request, "Custody updated.")
        return _back(case)
    return _page(request, case, "move.html", form, device=device, holders=CustodyStep.Holder.choices,
                 steps=list(device.custody.select_related("by")))


def device_release(request, case_id, device_id):
    """C9: the police have advised, so the team that runs the case ends a staff device's quarantine, recording
    who advised, when, what, and why the device can be released."""
    case = get_case_to_manage(request.user, case_id)
    device = get_object_or_404(Device, id=device_id, case=case)
    if not device.quarantined or not case.is_open:
        messages.info(request, "That device is not quarantined.")
        return _back(case)
    form = forms.ReleaseForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.release_quarantine, user=request.user,
                                                  device=device):
        messages.success(request, f"Quarantine ended for {device.make}. It can now be returned or handed on.")
        return _back(case)
    return _page(request, case, "release.html", form, device=device, steps=list(device.custody.select_related("by")))


def parents_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    children = _children(case)
    form = forms.ParentsForm(posted(request), children=children,
                             initial={"informed_at": timezone.localtime().strftime(DATETIME_LOCAL)})
    if form.is_bound and form.is_valid() and _act(form, actions.record_parent_contact, user=request.user,
                                                  case=case):
        messages.success(request, "Recorded.")
        return _back(case)
    return _page(request, case, "parents.html", form, children=children, agencies=ParentContact.Agency.choices)


def deletion_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    children = _children(case)
    form = forms.DeletionForm(posted(request), children=children)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            actions.request_deletion(user=request.user, case=case, pupil=data["pupil"], deadline=data["deadline"],
                                     scope=data["scope"], illegal_reminder_given=data["reminder"],
                                     consequence_explained=data["consequence"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Deletion recorded, with its deadline on the task list.")
            return _back(case)
    return _page(request, case, "deletion.html", form, children=children, scope=DELETION_SCOPE,
                 has_referral=case.referrals.referrals().exists() or bool(case.evaluation.get("referral_required")))


def deletion_confirm(request, case_id, deletion_id):
    case = get_case_to_manage(request.user, case_id)
    deletion = get_object_or_404(Deletion, id=deletion_id, case=case)
    form = forms.ConfirmDeletionForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.confirm_deletion, user=request.user,
                                                  deletion=deletion):
        messages.success(request, "Recorded.")
        return _back(case)
    return _page(request, case, "confirm.html", form, deletion=deletion)


def viewing_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    # C2, issue 20.5: the safeguarding team and senior staff first; governors only if the school says so.
    staff = people_at(case.school, exclude=[i for i in (case.subject_staff_id, request.user.id) if i],
                      governors=case.school.governors_in_case_pickers, safeguarding_first=True)
    form = forms.ViewingForm(posted(request), staff=staff,
                             initial={"viewed_at": timezone.localtime().strftime(DATETIME_LOCAL)})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_viewing(
                user=request.user, case=case, reason=data["reason"], no_distress=data["no_distress"],
                consulted=data["consulted"], viewer=request.user, witness=data["witness"], place=data["place"],
                on_premises_in_private=data["private"], same_sex=data["same_sex"],
                not_same_sex_reason=data["not_same_sex_reason"], result=data["result"],
                already_copied=data["already_copied"], viewed_at=data["viewed_at"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Viewing recorded. You and the witness now each sign it.")
            return _back(case)
    chosen = form.shown("witness")
    witness_items = [{"value": "", "text": "Choose the witness"}] + [
        {"value": str(u.id), "text": u.picker_label, "selected": str(u.id) == chosen} for u in staff]
    return _page(request, case, "viewing.html", form, reasons=Viewing.Reason.choices, witness_items=witness_items)


def viewing_sign(request, case_id, viewing_id):
    case = get_case_for(request.user, case_id)
    viewing = get_object_or_404(Viewing, id=viewing_id, case=case)
    if request.user.id not in (viewing.viewer_id, viewing.witness_id):
        raise Http404("No such record")
    form = forms.SignForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.sign_viewing, user=request.user, viewing=viewing):
        messages.success(request, "Signed.")
        return _back(case)
    signed = viewing.signatures.filter(user=request.user).exists()
    return _page(request, case, "viewing_sign.html", form, viewing=viewing, signed=signed, show_form=not signed)


def evidence_new(request, case_id):
    """A3: the evidence register takes words and metadata only; there is no file field to fill."""
    case = get_case_to_manage(request.user, case_id)
    form = forms.EvidenceForm(posted(request))
    if form.is_bound and form.is_valid() and _act(form, actions.record_evidence, user=request.user, case=case):
        messages.success(request, "Added to the evidence register.")
        return _back(case)
    return _page(request, case, "evidence_item.html", form, kinds=EvidenceItem.Kind.choices)
