"""Answering the procedure: criteria and factors (live, with htmx), the classification and the initial review
meeting (B1, B2, B3, B7, B8)."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import actions, evaluation
from cases.access import get_case_to_manage, may_read
from cases.forms import AnswersForm, ClassificationForm, ImpliedAnswerForm, ReviewForm
from cases.views.common import audit_view, school_staff
from lib.dates import DATETIME_LOCAL
from lib.errors import ActionError
from lib.forms import posted
from procedures import engine


# -- Answers: criteria, factors, typology (B2, B3, B7, B8) --------------------------

def assess(request, case_id):
    """The criteria and factors, answered live: htmx posts on each change and gets the panel back.

    A refusal (a risk answer too long, a picture written as text in one, a closed case) leaves the answers as
    they were: with htmx the boxes keep what was typed and the panel says what to change; without it the page
    comes back with everything typed and the message beside its box."""
    case = get_case_to_manage(request.user, case_id)
    risk_questions = case.procedure.get("risk_questions", [])
    form = AnswersForm(posted(request), procedure=evaluation.procedure_of(case), risk_questions=risk_questions)
    changes = []
    if form.is_bound and form.is_valid():
        try:
            changes = actions.update_answers(user=request.user, case=case, facts=form.facts(),
                                             risk_answers=form.risk_answers())
        except ActionError as exc:
            form.refuse(exc)
        else:
            case.refresh_from_db()
            if not request.htmx:
                if changes:
                    messages.info(request, "What changed: " + " ".join(changes))
                return redirect(reverse("cases:assess", args=[case.id]) + "#evaluation")
    if not form.is_bound:
        audit_view(request, case, "assess")
    facts = case.facts
    if form.is_bound and form.errors:  # not saved: show the answers as they were given
        facts = {k: v for k, v in {**case.facts, **form.facts()}.items() if v is not None}
    assessment = evaluation.assess(case)
    context = {"case": case, "assessment": assessment, "result": assessment.result, "changes": changes,
               "facts": facts, "earlier": [c for c in assessment.earlier if may_read(request.user, c)],
               "classification_label": evaluation.classification_label,
               "procedure": evaluation.procedure_of(case), "implied": assessment.implied,
               "typology_questions": engine.TYPOLOGY_QUESTIONS, "form": form,
               "known_ages": _known_ages(case, assessment.links)}
    if request.htmx:
        return render(request, "cases/_evaluation.html", context)
    return render(request, "cases/assess.html", context)


def _known_ages(case, links):
    """What Harbour knows for the risk question about ages: each child's age when the incident was recorded, from
    their date of birth ("Name, 10"), so the team is not asked for what the school's records already hold."""
    day = case.incident_recorded_at.date()
    return "; ".join(f"{link.pupil.display_name}, {evaluation.age_on(link.pupil.date_of_birth, day)}"
                     for link in links if link.pupil.date_of_birth)


def implied_answer(request, case_id):
    """B14, B16, B10: an answer the kind of incident implies, changed (or set back) only with the reason."""
    case = get_case_to_manage(request.user, case_id)
    implied = evaluation.assess(case).implied
    form = ImpliedAnswerForm(posted(request), initial={"question": request.GET.get("question", "")})
    question = form["question"].value() or request.GET.get("question", "")
    item = implied.get(question)
    if form.is_bound and item is not None and form.is_valid():
        try:
            changes = actions.change_implied_answer(user=request.user, case=case, question=question,
                                                    answer=form.cleaned_data["answer"],
                                                    reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Answer changed. " + " ".join(changes))
            return redirect(reverse("cases:assess", args=[case.id]))
    return render(request, "cases/implied.html", {"case": case, "item": item, "implied": list(implied.values()),
                                                  "form": form})


def classification(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if not case.procedure.get("typology"):
        raise Http404("No classification for this procedure")
    suggestion = evaluation.assess(case).result["suggested_classification"]
    form = ClassificationForm(posted(request),
                              initial={"choice": case.classification or suggestion or ""})
    if form.is_bound and form.is_valid():
        try:
            actions.confirm_classification(user=request.user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Classification recorded.")
            return redirect("cases:detail", case.id)
    options = [(c, evaluation.classification_label(c)) for c in engine.CLASSIFICATIONS]
    return render(request, "cases/classification.html", {"case": case, "suggestion": suggestion, "form": form,
                                                          "options": options,
                                                          "label": evaluation.classification_label})


# -- Initial review meeting (B1) ----------------------------------------------------

def review(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    staff = school_staff(case, governors=case.school.governors_in_case_pickers)
    questions = case.procedure.get("initial_review_questions", [])
    form = ReviewForm(posted(request), staff=staff, questions=questions,
                      initial={"held_at": timezone.localtime().strftime(DATETIME_LOCAL),
                               "attendees": [str(request.user.id)]})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_review(user=request.user, case=case, held_at=data["held_at"], attendees=data["attendees"],
                                  other_attendees=data["other_attendees"], answers=form.answers())
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Initial review meeting recorded. Next: answer the referral questions.")
            return redirect("cases:assess", case.id)
    chosen = form["attendees"].value() or []
    attendee_items = [{"value": str(u.id), "text": u.picker_label, "checked": str(u.id) in chosen} for u in staff]
    return render(request, "cases/review.html", {"case": case, "attendee_items": attendee_items,
                                                  "questions": questions, "form": form})
