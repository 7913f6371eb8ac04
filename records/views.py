"""Records pages: the disposal review queue and its two-person approval (H4), and subject
access exports (H6). Each view: access check → form → one action → redirect.

Every page that shows a record about a person writes its audit row before it is rendered (H2).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from audit.log import Action, record
from cases.models import Case
from lib import searches
from lib.errors import ActionError
from lib.forms import posted
from records import access, actions, disposal, subject_access
from records.forms import ApproveForm, DeclineForm, DisposalForm, ReleaseForm, StaffBirthDateForm
from records.models import DisposalRequest, SubjectAccessRelease, Tombstone
from schools.current import current_school


def _school_for_queue(request):
    school = current_school(request)
    if school is None or school.id not in access.schools_for(request.user):
        raise Http404("No such page")
    return school


# -- Disposal (H4) ---------------------------------------------------------------------

def queue(request):
    school = _school_for_queue(request)
    today = timezone.localdate()
    rows = disposal.disposal_queue(request.user, school, today)
    disposed = list(Tombstone.objects.filter(school=school).select_related("requested_by", "approved_by")[:50])
    record(actor=request.user, action=Action.VIEW, object_type="disposal_queue", school=school.id,
           detail={"shown": len(rows), "rules": ["H4"]})
    return render(request, "records/queue.html", {"school": school, "rows": rows, "today": today,
                                                  "disposed": disposed})


def _request_page(request, case, *, form=None, born_form=None):
    """The disposal request page; a refused reason or date of birth comes back with what was typed."""
    retention = disposal.retention_of_case(case)
    pending = DisposalRequest.objects.pending().filter(record_type="case", record_id=case.id).first()
    form, born_form = form or DisposalForm(), born_form or StaffBirthDateForm()
    return render(request, "records/request.html", {
        "case": case, "retention": retention, "pending": pending, "form": form, "born_form": born_form,
        "refused": next((f for f in (form, born_form) if f.errors), None),
        "due": retention.is_due(timezone.localdate()),
        "needs_birth_date": case.subject_staff_id is not None and any("date of birth" in n for n in retention.notes),
    })


def request_disposal(request, case_id):
    case = access.get_case_to_dispose(request.user, case_id)
    if case.is_open:
        raise Http404("No such record")  # an open case is never in the queue
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": "disposal_request"})
    form = DisposalForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.request_disposal(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, f"Disposal of case {case.reference} asked for. A different person must "
                             "approve it.")
            return redirect("records:queue")
    return _request_page(request, case, form=form)


@require_POST
def staff_birth_date(request, case_id):
    case = access.get_case_to_dispose(request.user, case_id)
    form = StaffBirthDateForm(request.POST)
    if form.is_valid():
        try:
            actions.record_staff_birth_date(user=request.user, case=case, date_of_birth=form.cleaned_data["born"])
        except ActionError as exc:
            form.refuse(exc, field="born")
        else:
            messages.success(request, "Date of birth saved. The retention date has been worked out again.")
            return redirect("records:request", case.id)
    return _request_page(request, case, born_form=form)


def _disposal_request_for(user, request_id):
    found = get_object_or_404(DisposalRequest.objects.select_related("requested_by", "school"), id=request_id)
    case = Case.objects.filter(id=found.record_id).first()
    if found.state == DisposalRequest.State.APPROVED or case is None or not access.may_manage(user, case):
        raise Http404("No such request")
    return found, case


def _approve_page(request, found, case, *, form=None, decline_form=None, may_sign=False, may_decline=False):
    form, decline_form = form or ApproveForm(), decline_form or DeclineForm()
    return render(request, "records/approve.html", {
        "found": found, "case": case, "retention": disposal.retention_of_case(case), "may_sign": may_sign,
        "may_decline": may_decline, "form": form, "decline_form": decline_form,
        "refused": next((f for f in (form, decline_form) if f.errors), None)})


def approve(request, request_id):
    found, case = _disposal_request_for(request.user, request_id)
    record(actor=request.user, action=Action.VIEW, object_type="disposal_request", object_id=found.id,
           school=found.school_id, detail={"case": case.id})
    may_sign = (found.state == DisposalRequest.State.PENDING and found.requested_by_id != request.user.id
                and access.may_approve(request.user, case))
    if request.method == "POST" and not may_sign:
        raise Http404("Nothing to approve")
    form = ApproveForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            tombstone = actions.approve_disposal(user=request.user, request=found, **form.cleaned_data)
        except ActionError as exc:
            if isinstance(exc, actions.SignatureError):
                actions.record_failed_approval(user=request.user, request=found)
            form.refuse(exc, field="password")
        else:
            messages.success(request, f"Case {tombstone.reference} has been disposed of. A tombstone records "
                             "what it was, the rule, and who decided.")
            return redirect("records:queue")
    return _approve_page(request, found, case, form=form, may_sign=may_sign,
                         may_decline=found.state == DisposalRequest.State.PENDING and (
                             may_sign or found.requested_by_id == request.user.id))


@require_POST
def decline(request, request_id):
    found, case = _disposal_request_for(request.user, request_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            actions.decline_disposal(user=request.user, request=found, reason=form.cleaned_data["decline_reason"])
        except ActionError as exc:
            form.refuse(exc, field="decline_reason")
        else:
            messages.success(request, f"The request was declined. Case {case.reference} is kept.")
            return redirect("records:queue")
    return _approve_page(request, found, case, decline_form=form, may_decline=True)


# -- Subject access (H6) ---------------------------------------------------------------

def _school_for_subject_access(request):
    school = current_school(request)
    if school is None or not request.user.access.can(Capability.MANAGE_RECORDS, school):
        raise Http404("No such page")
    return school


def subject_access_search(request):
    school = _school_for_subject_access(request)
    if request.method == "POST":  # a name never reaches a URL (lib/searches.py)
        return searches.remember(request)
    q = searches.recall(request)
    results = subject_access.search(request.user, school, q) if q else []
    record(actor=request.user, action=Action.VIEW, object_type="subject_access_search", school=school.id,
           detail={"results": len(results), "searched": bool(q)})
    return render(request, "records/subject_search.html", {"school": school, "q": q, "results": results})


def _export(request, kind, subject_id):
    school = _school_for_subject_access(request)
    return subject_access.build_export(request.user, school, kind, subject_id)


def subject_access_preview(request, kind, subject_id):
    return _preview_page(request, _export(request, kind, subject_id))


def _preview_page(request, export, form=None):
    """The export to review before release; a refused release comes back here with the reason (`form`)."""
    actions.audit_subject_access(user=request.user, export=export, stage="preview")
    releases = SubjectAccessRelease.objects.filter(school=export.school, subject_kind=export.kind,
                                                   subject_id=export.subject_id).select_related("released_by")
    return render(request, "records/subject_preview.html", {
        "export": export, "releases": list(releases), "methods": SubjectAccessRelease.Method.choices,
        "form": form or ReleaseForm()})


def subject_access_download(request, kind, subject_id, fmt):
    if fmt not in ("pdf", "json"):
        raise Http404("No such format")
    export = _export(request, kind, subject_id)
    actions.audit_subject_access(user=request.user, export=export, stage=f"export_{fmt}")
    filename = f"subject-access-{kind}-{export.subject_id}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(export.pdf(printed_by=request.user.full_name), content_type="application/pdf")
    else:
        response = HttpResponse(export.json_bytes(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def subject_access_release(request, kind, subject_id):
    export = _export(request, kind, subject_id)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            actions.release_subject_access(user=request.user, export=export,
                                           previewed_sha256=form.cleaned_data["sha256"],
                                           method=form.cleaned_data["method"])
        except ActionError as exc:
            form.refuse(exc, field="method")
        else:
            messages.success(request, "Release recorded.")
            return redirect(reverse("records:subject_access_preview", args=[kind, export.subject_id]))
    return _preview_page(request, export, form)
