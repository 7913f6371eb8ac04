"""Answering the procedure: criteria and factors (live, with htmx), the classification and the initial review
meeting (B1, B2, B3, B7, B8)."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import actions, evaluation
from cases.access import get_case_to_manage, may_read
from cases.actions import CaseError
from lib.dates import DATETIME_LOCAL, parse_local_datetime
from procedures import engine
from procedures.schema import yes_no_ids
from cases.views.common import audit_view, form_error, messages_of, school_staff, yes_no_unknown

ANSWERS = {"yes": True, "no": False, "unknown": None}


# -- Answers: criteria, factors, typology (B2, B3, B7, B8) --------------------------

def _facts_from_post(case, post):
    raw = {}
    procedure = evaluation.procedure_of(case)
    for key in yes_no_ids(procedure):
        raw[key] = yes_no_unknown(post.get(key))
    raw["relationship"] = post.get("relationship")
    age = (post.get("youngest_age") or "").strip()
    raw["youngest_age"] = int(age) if age.isdigit() else None
    return raw


def assess(request, case_id):
    """The criteria and factors, answered live: htmx posts on each change and gets the panel back."""
    case = get_case_to_manage(request.user, case_id)
    changes = []
    if request.method == "POST":
        risk = {q["id"]: request.POST.get(f"risk_{q['id']}", "") for q in case.procedure.get("risk_questions", [])}
        try:
            changes = actions.update_answers(user=request.user, case=case, facts=_facts_from_post(case, request.POST),
                                             risk_answers=risk)
        except CaseError as exc:
            messages.error(request, messages_of(exc))
            return redirect("cases:detail", case.id)
        case.refresh_from_db()
        if not request.htmx:
            if changes:
                messages.info(request, "What changed: " + " ".join(changes))
            return redirect(reverse("cases:assess", args=[case.id]) + "#evaluation")
    else:
        audit_view(request, case, "assess")
    assessment = evaluation.assess(case)
    context = {"case": case, "assessment": assessment, "result": assessment.result, "changes": changes,
               "facts": case.facts, "earlier": [c for c in assessment.earlier if may_read(request.user, c)],
               "classification_label": evaluation.classification_label,
               "procedure": evaluation.procedure_of(case), "implied": assessment.implied,
               "typology_questions": engine.TYPOLOGY_QUESTIONS}
    if request.htmx:
        return render(request, "cases/_evaluation.html", context)
    return render(request, "cases/assess.html", context)


def implied_answer(request, case_id):
    """B14, B16, B10: an answer the kind of incident implies, changed (or set back) only with the reason."""
    case = get_case_to_manage(request.user, case_id)
    implied = evaluation.assess(case).implied
    question = request.POST.get("question") or request.GET.get("question", "")
    item = implied.get(question)
    error, values = None, {"answer": "", "reason": ""}
    if request.method == "POST" and item is not None:
        values = {"answer": request.POST.get("answer", ""), "reason": request.POST.get("reason", "")}
        if values["answer"] not in ANSWERS:
            error = form_error("Choose the answer.", "answer")
        else:
            try:
                changes = actions.change_implied_answer(user=request.user, case=case, question=question,
                                                        answer=ANSWERS[values["answer"]], reason=values["reason"])
                messages.success(request, "Answer changed. " + " ".join(changes))
                return redirect(reverse("cases:assess", args=[case.id]))
            except CaseError as exc:
                error = form_error(messages_of(exc), "answer" if values["reason"].strip() else "reason")
    return render(request, "cases/implied.html", {"case": case, "item": item, "implied": list(implied.values()),
                                                  "values": values, "error": error})


def classification(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if not case.procedure.get("typology"):
        raise Http404("No classification for this procedure")
    suggestion = evaluation.assess(case).result["suggested_classification"]
    error, values = None, {"choice": case.classification or suggestion or "", "reason": ""}
    if request.method == "POST":
        values = {"choice": request.POST.get("choice", ""), "reason": request.POST.get("reason", "")}
        try:
            actions.confirm_classification(user=request.user, case=case, **values)
            messages.success(request, "Classification recorded.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            error = form_error(messages_of(exc), "reason" if values["choice"] else "choice")
    options = [(c, evaluation.classification_label(c)) for c in engine.CLASSIFICATIONS]
    return render(request, "cases/classification.html", {"case": case, "suggestion": suggestion, "error": error,
                                                          "values": values, "options": options,
                                                          "label": evaluation.classification_label})


# -- Initial review meeting (B1) ----------------------------------------------------

def review(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    staff = school_staff(case)
    questions = case.procedure.get("initial_review_questions", [])
    error = None
    values = {"held_at": timezone.localtime().strftime(DATETIME_LOCAL), "attendees": [str(request.user.id)],
              "other_attendees": "", "answers": {}}
    if request.method == "POST":
        values = {"held_at": request.POST.get("held_at", ""), "attendees": request.POST.getlist("attendees"),
                  "other_attendees": request.POST.get("other_attendees", ""),
                  "answers": {q["id"]: request.POST.get(f"answer_{q['id']}", "") for q in questions}}
        by_id = {str(u.id): u for u in staff}
        try:
            actions.record_review(user=request.user, case=case,
                                  held_at=parse_local_datetime(values["held_at"]),
                                  attendees=[by_id[i] for i in values["attendees"] if i in by_id],
                                  other_attendees=values["other_attendees"], answers=values["answers"])
            messages.success(request, "Initial review meeting recorded. Next: answer the referral questions.")
            return redirect("cases:assess", case.id)
        except CaseError as exc:
            error = form_error(messages_of(exc))
    attendee_items = [{"value": str(u.id), "text": u.full_name, "checked": str(u.id) in values["attendees"]}
                      for u in staff]
    return render(request, "cases/review.html", {"case": case, "attendee_items": attendee_items,
                                                  "questions": questions, "values": values, "error": error})
