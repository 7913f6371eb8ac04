"""Pages for sending and receiving child protection files (H5). Access first: the DSL team of the school
that holds the record (MANAGE_CASES); anyone else gets the same 404 as a missing record."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from audit.log import Action, record, record_refusal
from lib.errors import ActionError
from lib.forms import posted
from lib.pdf import render_pdf
from lib.sniff import classify, explanation
from lib.sniff.verdict import ARCHIVE, DOCUMENT_WITH_IMAGES, IMAGE, VIDEO
from schools.access import get_pupil_for, require
from schools.current import current_school
from transfers import actions, forms
from transfers import keys as school_keys
from transfers.models import KnownSchool, ReceivedFile, Transfer
from transfers.package import PackageRefused

MAX_PACKAGE_BYTES = 20 * 1024 * 1024


def _school(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_CASES, school)
    return school


def _transfer(request, transfer_id):
    transfer = Transfer.objects.select_related("pupil", "school", "created_by").filter(id=transfer_id).first()
    if transfer is None or not request.user.access.can(Capability.MANAGE_CASES, transfer.school_id):
        raise Http404("No such transfer")
    return transfer


def _received(request, received_id):
    received = ReceivedFile.objects.select_related("pupil", "school").filter(id=received_id).first()
    if received is None or not request.user.access.can(Capability.MANAGE_CASES, received.school_id):
        raise Http404("No such file")
    return received


def overview(request):
    school = _school(request)
    now = timezone.now()
    outgoing = list(Transfer.objects.filter(school=school).select_related("pupil").order_by("received_at", "due_at"))
    waiting = list(Transfer.objects.filter(to_school=school, received_at__isnull=True).select_related("school"))
    received = list(ReceivedFile.objects.filter(school=school).select_related("pupil")[:100])
    return render(request, "transfers/overview.html", {
        "school": school, "outgoing": outgoing, "waiting": waiting, "received": received, "now": now})


def start(request, pupil_id):
    pupil = get_pupil_for(request.user, pupil_id)
    require(request.user, Capability.MANAGE_CASES, pupil.school)
    here, known = actions.destinations(pupil.school)
    form = forms.StartForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            transfer = actions.start_transfer(user=request.user, pupil=pupil, to=form.destination(),
                                              started_on=form.cleaned_data["started_on"],
                                              sent_how=form.cleaned_data["sent_how"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"The transfer to {transfer.to_name} has started. Receipt is due by "
                                      f"{timezone.localtime(transfer.due_at):%-d %B %Y}.")
            return redirect("transfers:detail", transfer.id)
    return render(request, "transfers/start.html", {"pupil": pupil, "here": here, "known": known, "form": form},
                  status=422 if form.errors else 200)


def detail(request, transfer_id):
    transfer = _transfer(request, transfer_id)
    record(actor=request.user, action=Action.VIEW, object_type="transfer", object_id=transfer.id,
           school=transfer.school_id)
    return render(request, "transfers/detail.html", {"transfer": transfer, "now": timezone.now(),
                                                     "form": forms.ReceiptForm()})


@require_POST
def receipt(request, transfer_id):
    transfer = _transfer(request, transfer_id)
    form = forms.ReceiptForm(request.POST)
    if form.is_valid():
        try:
            if transfer.method == Transfer.Method.PACKAGE:
                actions.confirm_by_code(user=request.user, transfer=transfer, code=form.cleaned_data["code"])
            else:
                actions.confirm_pdf_received(user=request.user, transfer=transfer, who=form.cleaned_data["who"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Receipt confirmed.")
            return redirect("transfers:detail", transfer.id)
    return render(request, "transfers/detail.html", {"transfer": transfer, "now": timezone.now(), "form": form},
                  status=422)


def package(request, transfer_id):
    transfer = _transfer(request, transfer_id)
    if not transfer.package:
        raise Http404("No package")
    record(actor=request.user, action=Action.EXPORT, object_type="transfer", object_id=transfer.id,
           school=transfer.school_id, detail={"format": "package"})
    response = HttpResponse(transfer.package, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="child-protection-file-{transfer.package_id}.harbour"'
    return response


def pdf(request, transfer_id):
    transfer = _transfer(request, transfer_id)
    record(actor=request.user, action=Action.EXPORT, object_type="transfer", object_id=transfer.id,
           school=transfer.school_id, detail={"format": "pdf"})
    from django.template.loader import render_to_string

    html = render_to_string("transfers/print.html", {
        "file": actions.build_file(transfer.pupil), "transfer": transfer, "printed_by": request.user,
        "printed_at": timezone.localtime()})
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="child-protection-file-{transfer.package_id}.pdf"'
    return response


def receive(request):
    """Upload a package from another Harbour, or open one waiting from a school on this Harbour."""
    school = _school(request)
    form = forms.ReceiveForm(request.POST, request.FILES) if request.method == "POST" else forms.ReceiveForm()
    if form.is_bound and form.is_valid():
        data = None
        if form.cleaned_data["transfer"]:
            wanted = form.cleaned_data["transfer"]
            waiting = Transfer.objects.filter(id=int(wanted) if wanted.isdigit() else 0, to_school=school,
                                              received_at__isnull=True).first()
            if waiting is None:
                raise Http404("No such transfer")
            data = waiting.package.encode()
        else:
            upload = form.cleaned_data["package"]
            if upload is None:
                form.add_error("package", "Choose the file the sending school gave you.")
            elif upload.size > MAX_PACKAGE_BYTES:
                form.add_error("package", "This file is too large to be a child protection file from Harbour.")
            else:
                data = upload.read()
                verdict = classify(data)
                if verdict.category in (IMAGE, VIDEO, ARCHIVE, DOCUMENT_WITH_IMAGES):  # A3, whatever it claims to be
                    record_refusal(actor=request.user, object_type="received_file", school=school,
                                   reason="imagery", rule="A3")
                    form.add_error("package", explanation(verdict))
                    data = None
        if data is not None:
            try:
                received = actions.receive_package(user=request.user, school=school, data=data)
            except PackageRefused as refusal:
                form.add_error("package", str(refusal))
            else:
                messages.success(request, f"File received from {received.from_name}.")
                return redirect("transfers:received", received.id)
    return render(request, "transfers/receive.html", {"school": school, "form": form},
                  status=422 if form.errors else 200)


def received(request, received_id):
    item = _received(request, received_id)
    form = forms.LinkForm(posted(request), initial={"upn": actions.file_upn(item)})
    if form.is_bound and form.is_valid():
        try:
            item = actions.link_received_file(user=request.user, received=item, upn=form.cleaned_data["upn"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"The file is now kept against {item.pupil.display_name}.")
            return redirect("transfers:received", item.id)
    record(actor=request.user, action=Action.VIEW, object_type="received_file", object_id=item.id,
           school=item.school_id)
    return render(request, "transfers/received.html", {"item": item, "form": form},
                  status=422 if form.errors else 200)


def arrival(request):
    """Record a file that came on paper or as a PDF from a school not on Harbour."""
    school = _school(request)
    form = forms.ArrivalForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            item = actions.record_arrival(user=request.user, school=school, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"The file from {item.from_name} is recorded.")
            return redirect("transfers:received", item.id)
    return render(request, "transfers/arrival.html", {"school": school, "form": form},
                  status=422 if form.errors else 200)


def key_card(request):
    """This school's key card, the trust's registered cards, registering one (after the fingerprint is read back
    by phone) and revoking one (`revoke`: the card's id, with a reason)."""
    school = _school(request)
    form = forms.KeyCardForm(posted(request))
    revoking = None
    if form.is_bound and form.revoking():
        form.is_valid()
        revoking = form.cleaned_data.get("revoke") or 0  # which card's form comes back open
        if not form.errors:
            try:
                known = actions.revoke_key_card(user=request.user, school=school, known_id=revoking,
                                                reason=form.cleaned_data["reason"])
            except ActionError as exc:
                form.refuse(exc, field="reason")
            else:
                messages.success(request, f"{known.name}’s key card is revoked. Nothing more can be sent to it, and "
                                          f"no file from it will be opened.")
                return redirect("transfers:key_card")
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            known = actions.register_key_card(user=request.user, school=school, text=data["card_text"],
                                              fingerprint=data["fingerprint"],
                                              same_name_checked=data["same_name_checked"])
        except ActionError as exc:
            form.refuse(exc, field="card_text")  # "card": the card itself
        else:
            messages.success(request, f"{known.name} is registered. Fingerprint {known.fingerprint}.")
            return redirect("transfers:key_card")
    keys = school_keys.keys_for(school)
    known = KnownSchool.objects.filter(trust_id=school.trust_id).select_related("registered_by", "revoked_by")
    return render(request, "transfers/key_card.html", {
        "school": school, "fingerprint": keys.fingerprint, "known": known, "form": form,
        "revoking": revoking}, status=422 if form.errors else 200)


def key_card_file(request):
    school = _school(request)
    response = HttpResponse(school_keys.key_card(school), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="harbour-key-card.txt"'
    return response
