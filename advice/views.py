"""Advice pages: the scripts (read, reword), a case's advice for each child, letters, resources.

Each view checks access first; a stranger gets the same 404 as for a page that does not
exist. Reading a case's advice writes a VIEW event, printing a letter an EXPORT event (H2).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_noop

from advice import resources, schema, versions
from advice.casework import advice_for_case, child_in_case, letter_pdf
from advice.forms import LetterLanguageForm, WordingForm
from audit.log import Action, record
from cases.access import get_case_for
from lib import i18n
from lib.errors import ActionError
from lib.forms import posted
from schools.current import current_school
from schools.rewordings import school_for

SITUATION_LABELS = {
    "imagery_shared": "Imagery of the child was taken or shared",
    "groomed": "The child was groomed, pressured or coerced",
    "received": "The child was sent imagery, or saw it",
    "shared_or_created": "The child shared or made imagery of another child",
    "sextortion": "Someone is threatening to share imagery (sextortion)",
}
# J8: the nations a service is for, as the directory names them (marked for translation where they are shown).
NATION_NAMES = {"england": gettext_noop("England"), "wales": gettext_noop("Wales"),
                "scotland": gettext_noop("Scotland"), "northern_ireland": gettext_noop("Northern Ireland")}
AUDIENCE_LABELS = {"child": "For the child", "parent": "For parents and carers"}
CASE_STEPS = ("removal", "support", "referral", "advice_unsure")
# The services a kind of case needs first, before the ones every case lists.
STEPS_FOR_KIND = {
    "sextortion": ("extortion",),
    "iioc": ("illegal_content",),
    "filtering-breach": ("illegal_content",),
    "online-hate": ("hate", "radicalisation"),
    "radicalisation": ("radicalisation", "emergency"),
    "staff-allegation": ("staff_allegation",),
    "cyberbullying": ("harmful_content",),
    "misinformation": ("harmful_content", "learning", "radicalisation"),
}


def script_list(request):
    school = school_for(request)
    scripts = versions.effective_all(school)
    groups = [(situation, label, [s for s in scripts.values() if s["situation"] == situation])
              for situation, label in SITUATION_LABELS.items()]
    for _, _, items in groups:
        items.sort(key=lambda s: schema.AUDIENCES.index(s["audience"]))
    return render(request, "advice/list.html", {"school": school, "groups": groups, "audiences": AUDIENCE_LABELS})


def script_detail(request, script_id):
    school = school_for(request)
    script = versions.effective_script(school, script_id)
    return render(request, "advice/detail.html", {
        "school": school, "script": script, "history": versions.history(school, script_id),
        "links": resources.by_id(script["links"]), "can_edit": versions.may_edit(request.user, school),
        "situation": SITUATION_LABELS[script["situation"]], "audience": AUDIENCE_LABELS[script["audience"]],
    })


def script_edit(request, script_id):
    school = school_for(request, edit=True)
    script = versions.effective_script(school, script_id)
    form = WordingForm(posted(request), paragraphs=list(script["paragraphs"]))
    if form.is_bound and form.is_valid():
        try:
            row = versions.save_advice_override(user=request.user, school=school, script_id=script_id,
                                                paragraphs=form.paragraphs(), reason=form.cleaned_data["reason"])
        except ActionError as error:
            # "paragraphs" is about the wording as a whole: beside the first box.
            form.refuse(error, field=next(iter(form.paragraph_names), None))
        else:
            messages.success(request, f"Saved. {school.name} now uses version {row.version} of this wording.")
            return redirect("advice:detail", script_id)
    return render(request, "advice/edit.html", {"school": school, "script": script, "form": form})


def case_advice(request, case_id):
    case = get_case_for(request.user, case_id)
    children = advice_for_case(case)
    steps = STEPS_FOR_KIND.get(case.procedure_id, ()) + CASE_STEPS
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": "advice"})
    return render(request, "advice/case.html", {
        "case": case, "children": children, "situations": SITUATION_LABELS,
        "steps": [(schema.STEPS[step], resources.resources_for(step, case.school.nation)) for step in steps],
    })


def letter(request, case_id, script_id, pupil_id):
    case = get_case_for(request.user, case_id)
    child = child_in_case(case, pupil_id)
    if script_id not in child.script_ids:
        raise Http404("That advice is not offered for this child")
    script, audience = next((offer[audience], audience) for offer in child.offers for audience in ("child", "parent")
                            if offer[audience]["id"] == script_id)
    if audience == "parent" and child.parents_not_told:
        # D1: a decision not to tell the parents stands until a new record says they were told.
        record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
               detail={"page": "advice_letter_refused", "script": script_id, "pupil": pupil_id})
        return render(request, "advice/no_letter.html", {"case": case, "child": child,
                                                        "contact": child.parents_not_told}, status=409)
    form = LetterLanguageForm(request.GET)
    language = (form.cleaned_data.get("language") if form.is_valid() else "") or i18n.current()
    printed = versions.in_language(script, language)
    record(actor=request.user, action=Action.EXPORT, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": "advice_letter", "script": script_id, "version": printed["label"], "pupil": pupil_id})
    pdf = letter_pdf(script=script, school=case.school, pupil=child.pupil, signed_by=request.user, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name says what it is, never who it is about.
    response["Content-Disposition"] = f'inline; filename="{script_id}.pdf"'
    return response


def resource_list(request):
    """Any signed-in member of staff may read the directory: it holds nothing about anyone. J8: those of the nation
    of the school they are working in (someone with no school, at a trust, sees every nation's, each marked)."""
    if not request.user.access.school_ids() and not request.user.access.trust_roles:
        raise Http404("Not found")
    school = current_school(request)
    nation = school.nation if school is not None else None
    return render(request, "advice/resources.html", {  # J8: each service in the reader's language where it can be
        "resources": [resources.in_language(r, i18n.current()) for r in resources.all_resources(nation)],
        "nation": nation, "steps": schema.STEPS, "nation_names": NATION_NAMES})
