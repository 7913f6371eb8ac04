"""Messages to many people on a case (E2 *Communicate*): the templates its kind offers, adapting one and recording who
approved it, reading it back, printing it.

Only the team that runs the case reaches these pages (H3): anyone else, like a stranger, gets the same 404 as a
missing case. Reading a message writes a VIEW event, printing it an EXPORT event (H2).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from audit.log import Action, record
from cases.access import get_case_to_manage
from communications import schema, wordings
from communications.actions import record_communication
from communications.forms import CommunicationForm, WordingForm
from communications.models import Communication
from lib.dates import DATETIME_LOCAL
from lib.errors import ActionError
from lib.forms import posted
from lib.pdf import render_pdf
from schools.rewordings import school_for


def _offered(case, template_id):
    template = next((t for t in schema.offered_for(case.procedure_id) if t["id"] == template_id), None)
    if template is None:
        raise Http404("That message is not offered for this kind of incident")
    return template


def case_messages(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": "communications"})
    return render(request, "communications/case.html", {
        "case": case, "templates": wordings.effective_all(case.school, schema.offered_for(case.procedure_id)),
        "audiences": schema.AUDIENCES,
        "sent": list(case.communications.select_related("recorded_by").order_by("-recorded_at", "-id")),
    })


def new_message(request, case_id, template_id):
    case = get_case_to_manage(request.user, case_id)
    template = _offered(case, template_id)
    if not case.is_open:
        messages.info(request, "This case is closed. Reopen it first to record a message.")
        return redirect("communications:case", case.id)
    form = CommunicationForm(posted(request), initial={
        "title": template["title"], "text": wordings.effective(case.school, template_id)["text"],
        "approved_at": timezone.localtime().strftime(DATETIME_LOCAL)})
    if form.is_bound and form.is_valid():
        try:
            message = record_communication(user=request.user, case=case, template_id=template_id,
                                           **form.cleaned_data)
        except ActionError as error:
            form.refuse(error)
        else:
            messages.success(request, "Message recorded with its approval. Print it or copy it to send it.")
            return redirect("communications:detail", case.id, message.id)
    return render(request, "communications/new.html", {
        "case": case, "template": template, "form": form, "audience": schema.AUDIENCES[template["audience"]],
        "parts": schema.PARTS})


def _message(request, case_id, communication_id):
    case = get_case_to_manage(request.user, case_id)
    return case, get_object_or_404(Communication.objects.select_related("recorded_by"), id=communication_id,
                                   case=case)


def blocks(text):
    """The message as the print and the page show it: [(kind, text)], kind "title" for its first line when it is a
    heading, "heading" for a part's heading, else "paragraph". Blocks are separated by a blank line."""
    headings = {heading for _, heading in schema.PARTS}
    found = []
    for n, block in enumerate(b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        if block in headings:
            found.append(("heading", block))
        elif n == 0 and "\n" not in block and len(block) <= 150 and not block.endswith((".", ",")):
            found.append(("title", block))
        else:
            found.append(("paragraph", block))
    return found


def message_detail(request, case_id, communication_id):
    case, message = _message(request, case_id, communication_id)
    record(actor=request.user, action=Action.VIEW, object_type="communication", object_id=message.id,
           school=case.school_id, detail={"case": case.id})
    return render(request, "communications/detail.html", {
        "case": case, "message": message, "blocks": blocks(message.text)})


def message_pdf(request, case_id, communication_id):
    case, message = _message(request, case_id, communication_id)
    record(actor=request.user, action=Action.EXPORT, object_type="communication", object_id=message.id,
           school=case.school_id, detail={"case": case.id, "page": "communication_pdf"})
    html = render_to_string("communications/print/message.html", {
        "school_name": case.school.name, "message": message, "blocks": blocks(message.text),
        "approved": f"{timezone.localtime(message.approved_at):%-d %B %Y}",
    })
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    # The file name says what it is, never who it is about.
    response["Content-Disposition"] = f'inline; filename="message-{message.audience}.pdf"'
    return response


# ---- the school's wording of each prepared message -----------------------------------------

def template_list(request):
    school = school_for(request)
    templates = wordings.effective_all(school)
    groups = [(audience, label, [t for t in templates if t["audience"] == audience])
              for audience, label in schema.AUDIENCES.items()]
    return render(request, "communications/templates.html", {"school": school, "groups": groups})


def template_detail(request, template_id):
    school = school_for(request)
    template = wordings.effective(school, template_id)
    return render(request, "communications/template.html", {
        "school": school, "template": template, "blocks": blocks(template["text"]),
        "history": wordings.history(school, template_id), "can_edit": wordings.may_edit(request.user, school),
        "audience": schema.AUDIENCES[template["audience"]], "kinds": _kinds(template["offered_for"])})


def _kinds(procedure_ids):
    from procedures.schema import load_all

    titles = {pid: definition.get("title", pid) for pid, definition in load_all().items()}
    return [titles.get(pid, pid) for pid in procedure_ids]


def template_edit(request, template_id):
    school = school_for(request, edit=True)
    template = wordings.effective(school, template_id)
    form = WordingForm(posted(request), initial={"text": template["text"]})
    if form.is_bound and form.is_valid():
        try:
            row = wordings.save_wording(user=request.user, school=school, template_id=template_id,
                                        **form.cleaned_data)
        except ActionError as error:
            form.refuse(error)
        else:
            messages.success(request, f"Saved. {school.name} now uses version {row.version} of this message.")
            return redirect("communications:template", template_id)
    return render(request, "communications/template_edit.html", {"school": school, "template": template,
                                                                  "form": form})
