"""Decisions and their reasons (B6, B10, F7), referrals and reports (B2, B12, B13, C8, F1), the outcome (B5)."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import actions, agencies, evaluation
from cases.access import get_case_for, get_case_to_manage, owns
from cases.forms import (
    AdviceForm,
    AgencyForm,
    DecisionForm,
    NoReferralForm,
    NotReferredForm,
    OutcomeForm,
    ReferralAnswerForm,
    ReferralForm,
    SignOffForm,
)
from cases.models import Decision, Referral
from cases.views.common import audit_view
from lib.dates import DATETIME_LOCAL
from lib.errors import ActionError
from lib.forms import posted
from procedures import engine


# -- Decisions (B6, B10, F7) --------------------------------------------------------

def decision(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    form = DecisionForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.record_decision(user=request.user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
    return render(request, "cases/decision.html", {"case": case, "form": form})


def advice(request, case_id):
    """F7: advice sought; B3: a consultation with children's social care is an escalation, recorded as such."""
    case = get_case_to_manage(request.user, case_id)
    form = AdviceForm(posted(request), initial={"asked": request.GET.get("asked", "")})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            if data["asked"] == "csc":
                actions.record_consultation(user=request.user, case=case, advice=data["advice"])
            else:
                actions.record_advice(user=request.user, case=case, source=data["source"], advice=data["advice"])
        except ActionError as exc:
            form.refuse(exc, field="advice")
        else:
            messages.success(request, "Advice recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
    return render(request, "cases/advice.html", {"case": case, "form": form})


def not_referred(request, case_id):
    """B15, B10: a referral the procedure lets the school decide on (Prevent), decided against with the reason."""
    case = get_case_to_manage(request.user, case_id)
    choices = [r for r in evaluation.assess(case).required if r["decision"] and r["applies"] and not r["satisfied"]]
    agency = choices[0]["agency"] if len(choices) == 1 else request.GET.get("agency", "")
    form = NotReferredForm(posted(request) if choices else None, initial={"agency": agency})
    if form.is_bound and form.is_valid():
        try:
            actions.record_referral_not_made(user=request.user, case=case,
                                             agency=form.cleaned_data["agency"] or agency,
                                             reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, "Decision recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
    return render(request, "cases/not_referred.html", {"case": case, "choices": choices, "form": form})


def no_referral(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    assessment = evaluation.assess(case)
    form = NoReferralForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            actions.decide_not_to_refer(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, "Decision recorded and sent for sign-off.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
    return render(request, "cases/no_referral.html", {"case": case, "form": form,
                                                       "assessment": assessment, "result": assessment.result,
                                                       "blocked": assessment.blocked(engine.NO_REFERRAL)})


def sign_off(request, case_id, decision_id):
    case = get_case_for(request.user, case_id)
    decision = get_object_or_404(Decision, id=decision_id, case=case, kind=Decision.Kind.NO_REFERRAL)
    mine = [s for s in actions.pending_sign_offs_for(request.user, case) if s.decision_id == decision.id]
    if not mine and not owns(request.user, case):
        # Someone who may read the case but has nothing to sign here.
        raise Http404("No such sign-off")
    audit_view(request, case, "sign_off")
    form = SignOffForm(posted(request) if mine else None)
    if form.is_bound and form.is_valid():
        try:
            actions.sign(user=request.user, sign_off=mine[0], **form.cleaned_data)
        except ActionError as exc:
            actions.record_failed_signature(user=request.user, sign_off=mine[0])
            form.refuse(exc, field="password")
        else:
            messages.success(request, "Signed. Thank you.")
            return redirect("cases:detail", case.id)
    assessment = evaluation.assess(case)
    return render(request, "cases/sign_off.html", {
        "case": case, "decision": decision, "mine": mine[0] if mine else None, "form": form,
        "result": assessment.result, "criteria": case.procedure.get("referral_criteria", []),
        "facts": assessment.facts,
    })


# -- Referrals and outcome (B2, B5) ----------------------------------------------------

def referral(request, case_id):
    """B2, B12, B13, C8, F1: a referral or report, in two steps: who it went to (a GET form: nothing is saved),
    then what that agency needs."""
    case = get_case_to_manage(request.user, case_id)
    form = ReferralForm(posted(request), initial={"made_at": timezone.localtime().strftime(DATETIME_LOCAL),
                                                  "agency": request.GET.get("agency", "")})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_referral(user=request.user, case=case, **data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
    agency = agencies.offered(form.shown("agency"), case.school.nation)
    if agency is None and not form.is_bound and "chosen" in request.GET:
        # The first step, sent without a choice: say so beside it.
        form = AgencyForm(request.GET, nation=case.school.nation)
        form.is_valid()
    return render(request, "cases/referral.html", {
        "case": case, "form": form, "agency": agency, "agencies": agencies.for_nation(case.school.nation),
        "routes": agencies.routes(), "resources": agencies.services_for("referral", case.school.nation),
        "spoken_to": case.referrals.filter(agency__in=agencies.b2_ids()).exists()
        or case.decisions.filter(kind=Decision.Kind.ADVICE).exists()})


def referral_answer(request, case_id, referral_id):
    """The agency's answer, and for the police the crime reference and outcome code."""
    case = get_case_to_manage(request.user, case_id)
    referral = get_object_or_404(Referral, id=referral_id, case=case)
    form = ReferralAnswerForm(posted(request), initial={
        "response_at": timezone.localtime().strftime(DATETIME_LOCAL), "crime_reference": referral.crime_reference,
        "outcome_code": referral.outcome_code})
    if form.is_bound and form.is_valid():
        try:
            actions.record_response(user=request.user, referral=referral, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Their answer is recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
    return render(request, "cases/referral_answer.html", {"case": case, "referral": referral, "form": form})


def outcome(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    assessment = evaluation.assess(case)
    form = OutcomeForm(posted(request), initial={"outcome": case.outcome})
    if form.is_bound and form.is_valid():
        try:
            actions.set_outcome(user=request.user, case=case, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc, field="reason")
        else:
            messages.success(request, "Outcome recorded.")
            return redirect("cases:detail", case.id)
    outcomes = actions.outcomes_for(case)
    blocked = {o: actions.outcome_blockers(case, o, assessment) for o, _ in outcomes}
    return render(request, "cases/outcome.html", {"case": case, "form": form, "blocked": blocked,
                                                   "outcomes": outcomes, "assessment": assessment})
