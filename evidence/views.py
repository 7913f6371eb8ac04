"""Evidence pages on a case: access check (the team running the case) → form → one action → back to the case."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.access import get_case_to_manage
from cases.actions import CaseError
from cases.evaluation import case_pupils
from evidence import actions
from evidence.actions import DELETION_SCOPE
from evidence.models import CustodyStep, Deletion, Device, EvidenceItem, ParentContact
from lib.dates import DATETIME_LOCAL, parse_local_datetime
from lib.errors import view_error





def _back(case):
    return redirect(reverse("cases:detail", args=[case.id]) + "#evidence")


def _children(case):
    seen, items = set(), []
    for link in case_pupils(case):
        if link.pupil_id not in seen:
            seen.add(link.pupil_id)
            items.append(link.pupil)
    return items


def _form(request, case, template, values, error, **extra):
    if "children" in extra:
        extra["child_items"] = [{"value": str(p.id), "text": p.display_name, "checked": str(p.id) == values["pupil"]}
                                for p in extra["children"]]
    return render(request, f"evidence/{template}", {"case": case, "values": values, "error": error, **extra})


def device_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    fields = ("owner", "make", "isolation", "holder", "where_or_who", "police_reference", "staff_device")
    values, error = {k: "" for k in fields}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        try:
            actions.record_device(user=request.user, case=case, owner=values["owner"], make=values["make"],
                                  isolation=values["isolation"], holder=values["holder"],
                                  where_or_who=values["where_or_who"], police_reference=values["police_reference"],
                                  staff_device=values["staff_device"] == "yes")
            messages.success(request, "Device recorded.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    return _form(request, case, "device.html", values, error, isolations=Device.Isolation.choices,
                 holders=CustodyStep.Holder.choices)


def device_move(request, case_id, device_id):
    case = get_case_to_manage(request.user, case_id)
    device = get_object_or_404(Device, id=device_id, case=case)
    fields = ("holder", "where_or_who", "police_reference")
    values, error = {k: "" for k in fields}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        try:
            actions.move_device(user=request.user, device=device, **values)
            messages.success(request, "Custody updated.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    return _form(request, case, "move.html", values, error, device=device, holders=CustodyStep.Holder.choices,
                 steps=list(device.custody.select_related("by")))


def device_release(request, case_id, device_id):
    """C9: the police have advised, so the team that runs the case ends a staff device's quarantine, recording
    who advised, when, what, and why the device can be released."""
    case = get_case_to_manage(request.user, case_id)
    device = get_object_or_404(Device, id=device_id, case=case)
    if not device.quarantined or not case.is_open:
        messages.info(request, "That device is not quarantined.")
        return _back(case)
    fields = ("adviser", "police_reference", "advised_at", "advice", "reason")
    values, error = {k: "" for k in fields}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        try:
            actions.release_quarantine(user=request.user, device=device, adviser=values["adviser"],
                                       police_reference=values["police_reference"],
                                       advised_at=parse_local_datetime(values["advised_at"]), advice=values["advice"],
                                       reason=values["reason"])
            messages.success(request, f"Quarantine ended for {device.make}. It can now be returned or handed on.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    return _form(request, case, "release.html", values, error, device=device,
                 steps=list(device.custody.select_related("by")))


def parents_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    children = _children(case)
    fields = ("pupil", "informed", "informed_at", "how", "child_involvement", "agreed_with", "reason")
    values = {k: "" for k in fields} | {"informed_at": timezone.localtime().strftime(DATETIME_LOCAL)}
    error = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        pupil = next((p for p in children if str(p.id) == values["pupil"]), None)
        if pupil is None or values["informed"] not in ("yes", "no"):
            error = view_error(CaseError({"pupil" if pupil is None else "informed":
                                          "Choose the child, and say whether their parents or carers were told."}))
        else:
            try:
                actions.record_parent_contact(
                    user=request.user, case=case, pupil=pupil, informed=values["informed"] == "yes",
                    informed_at=parse_local_datetime(values["informed_at"]), how=values["how"],
                    child_involvement=values["child_involvement"], agreed_with=values["agreed_with"],
                    reason=values["reason"])
                messages.success(request, "Recorded.")
                return _back(case)
            except CaseError as exc:
                error = view_error(exc)
    return _form(request, case, "parents.html", values, error, children=children,
                 agencies=ParentContact.Agency.choices)


def deletion_new(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    children = _children(case)
    values, error = {"pupil": "", "deadline": "", "scope": [], "reminder": "", "consequence": ""}, None
    if request.method == "POST":
        values = {"pupil": request.POST.get("pupil", ""), "deadline": request.POST.get("deadline", ""),
                  "scope": request.POST.getlist("scope"), "reminder": request.POST.get("reminder", ""),
                  "consequence": request.POST.get("consequence", "")}
        pupil = next((p for p in children if str(p.id) == values["pupil"]), None)
        try:
            if pupil is None:
                raise CaseError({"pupil": "Choose the child who was asked to delete the imagery."})
            actions.request_deletion(user=request.user, case=case, pupil=pupil,
                                     deadline=parse_local_datetime(values["deadline"]),
                                     scope=values["scope"], illegal_reminder_given=values["reminder"] == "yes",
                                     consequence_explained=values["consequence"] == "yes")
            messages.success(request, "Deletion recorded, with its deadline on the task list.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    return _form(request, case, "deletion.html", values, error, children=children, scope=DELETION_SCOPE,
                 has_referral=case.referrals.referrals().exists() or bool(case.evaluation.get("referral_required")))


def deletion_confirm(request, case_id, deletion_id):
    case = get_case_to_manage(request.user, case_id)
    deletion = get_object_or_404(Deletion, id=deletion_id, case=case)
    values, error = {"confirmed": "", "how": ""}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            if values["confirmed"] not in ("yes", "no"):
                raise CaseError({"confirmed": "Say whether the deletion was confirmed."})
            actions.confirm_deletion(user=request.user, deletion=deletion, confirmed=values["confirmed"] == "yes",
                                     how=values["how"])
            messages.success(request, "Recorded.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    return _form(request, case, "confirm.html", values, error, deletion=deletion)


def viewing_new(request, case_id):
    from accounts.models import User
    from evidence.models import Viewing

    case = get_case_to_manage(request.user, case_id)
    staff = list(User.objects.filter(is_active=True, memberships__school=case.school).exclude(
        id=case.subject_staff_id).distinct().order_by("full_name"))
    fields = ("reason", "no_distress", "consulted", "witness", "place", "private", "same_sex", "not_same_sex_reason",
              "result", "already_copied", "viewed_at")
    values = {k: "" for k in fields} | {"viewed_at": timezone.localtime().strftime(DATETIME_LOCAL)}
    error = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        witness = next((u for u in staff if str(u.id) == values["witness"]), None)
        try:
            if witness is None:
                raise CaseError({"witness": "Another member of staff at the school must be present as witness: "
                                            "choose who."})
            actions.record_viewing(
                user=request.user, case=case, reason=values["reason"], no_distress=values["no_distress"] == "yes",
                consulted=values["consulted"], viewer=request.user, witness=witness, place=values["place"],
                on_premises_in_private=values["private"] == "yes", same_sex=values["same_sex"] == "yes",
                not_same_sex_reason=values["not_same_sex_reason"], result=values["result"],
                already_copied=values["already_copied"] == "yes", viewed_at=parse_local_datetime(values["viewed_at"]))
            messages.success(request, "Viewing recorded. You and the witness now each sign it.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    witness_items = [{"value": "", "text": "Choose the witness"}] + [
        {"value": str(u.id), "text": u.full_name, "selected": str(u.id) == values["witness"]}
        for u in staff if u != request.user]
    return _form(request, case, "viewing.html", values, error, reasons=Viewing.Reason.choices,
                 witness_items=witness_items)


def viewing_sign(request, case_id, viewing_id):
    from cases.access import get_case_for
    from evidence.models import Viewing

    case = get_case_for(request.user, case_id)
    viewing = get_object_or_404(Viewing, id=viewing_id, case=case)
    if request.user.id not in (viewing.viewer_id, viewing.witness_id):
        from django.http import Http404

        raise Http404("No such record")
    error = None
    if request.method == "POST":
        try:
            actions.sign_viewing(user=request.user, viewing=viewing, password=request.POST.get("password", ""),
                                 code=request.POST.get("code", ""))
            messages.success(request, "Signed.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    signed = viewing.signatures.filter(user=request.user).exists()
    return _form(request, case, "viewing_sign.html", {}, error, viewing=viewing, signed=signed,
                 show_form=not signed)


def evidence_new(request, case_id):
    """A3: the evidence register takes words and metadata only; there is no file field to fill."""
    case = get_case_to_manage(request.user, case_id)
    fields = ("kind", "value", "platform", "seen_at", "description")
    values, error = {k: "" for k in fields}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        seen_at = parse_local_datetime(values["seen_at"]) if values["seen_at"].strip() else None
        try:
            if values["seen_at"].strip() and seen_at is None:
                raise CaseError({"seen_at": "Give the date and time in full, or leave it empty."})
            actions.record_evidence(user=request.user, case=case, kind=values["kind"], value=values["value"],
                                    platform=values["platform"], seen_at=seen_at, description=values["description"])
            messages.success(request, "Added to the evidence register.")
            return _back(case)
        except CaseError as exc:
            error = view_error(exc)
    return _form(request, case, "evidence_item.html", values, error, kinds=EvidenceItem.Kind.choices)
