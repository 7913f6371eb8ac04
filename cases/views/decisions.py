"""Decisions and their reasons (B6, B10, F7), referrals and reports (B2, B12, B13, C8, F1), the outcome (B5)."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cases import actions, agencies, evaluation
from cases.access import get_case_for, get_case_to_manage, owns
from cases.actions import CaseError
from cases.models import Decision, Referral
from lib.dates import DATETIME_LOCAL, parse_local_datetime
from lib.errors import view_error
from cases.views.common import audit_view, form_error, messages_of
from procedures import engine


# -- Decisions (B6, B10, F7) --------------------------------------------------------

def decision(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    error, values = None, {"taken": "", "choice": "", "options": "", "reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        if values["taken"] not in ("yes", "no"):
            error = form_error("Say whether this is an action taken or an action not taken.", "taken")
        else:
            try:
                actions.record_decision(user=request.user, case=case, taken=values["taken"] == "yes",
                                        choice=values["choice"], reason=values["reason"], options=values["options"])
                messages.success(request, "Decision recorded.")
                return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
            except CaseError as exc:
                error = form_error(messages_of(exc), "reason" if values["choice"].strip() else "choice")
    return render(request, "cases/decision.html", {"case": case, "values": values, "error": error})


def advice(request, case_id):
    """F7: advice sought; B3: a consultation with children's social care is an escalation, recorded as such."""
    case = get_case_to_manage(request.user, case_id)
    error, values = None, {"asked": request.GET.get("asked", ""), "source": "", "advice": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            if values["asked"] == "csc":
                actions.record_consultation(user=request.user, case=case, advice=values["advice"])
            elif values["asked"] == "other":
                actions.record_advice(user=request.user, case=case, source=values["source"], advice=values["advice"])
            else:
                raise CaseError("Say who you asked.")
            messages.success(request, "Advice recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
        except CaseError as exc:
            field = ("asked" if values["asked"] not in ("csc", "other")
                     else "source" if values["asked"] == "other" and not values["source"].strip() else "advice")
            error = form_error(messages_of(exc), field)
    return render(request, "cases/advice.html", {"case": case, "values": values, "error": error})


def not_referred(request, case_id):
    """B15, B10: a referral the procedure lets the school decide on (Prevent), decided against with the reason."""
    case = get_case_to_manage(request.user, case_id)
    choices = [r for r in evaluation.assess(case).required if r["decision"] and r["applies"] and not r["satisfied"]]
    error, values = None, {"agency": request.GET.get("agency", ""), "reason": ""}
    if len(choices) == 1:
        values["agency"] = choices[0]["agency"]
    if request.method == "POST" and choices:
        values = {"agency": request.POST.get("agency", values["agency"]), "reason": request.POST.get("reason", "")}
        try:
            actions.record_referral_not_made(user=request.user, case=case, agency=values["agency"],
                                             reason=values["reason"])
            messages.success(request, "Decision recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
        except CaseError as exc:
            error = form_error(messages_of(exc), "reason" if values["agency"] else "agency")
    return render(request, "cases/not_referred.html", {"case": case, "choices": choices, "values": values,
                                                        "error": error})


def no_referral(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    assessment = evaluation.assess(case)
    error, values = None, {"reason": ""}
    if request.method == "POST":
        values = {"reason": request.POST.get("reason", "")}
        try:
            actions.decide_not_to_refer(user=request.user, case=case, reason=values["reason"])
            messages.success(request, "Decision recorded and sent for sign-off.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
        except CaseError as exc:
            error = form_error(messages_of(exc), "reason")
    return render(request, "cases/no_referral.html", {"case": case, "values": values, "error": error,
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
    error = None
    if request.method == "POST" and mine:
        try:
            actions.sign(user=request.user, sign_off=mine[0], password=request.POST.get("password", ""),
                         code=request.POST.get("code", ""), comment=request.POST.get("comment", ""))
            messages.success(request, "Signed. Thank you.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            actions.record_failed_signature(user=request.user, sign_off=mine[0])
            error = form_error(messages_of(exc), "password")
    assessment = evaluation.assess(case)
    return render(request, "cases/sign_off.html", {
        "case": case, "decision": decision, "mine": mine[0] if mine else None, "error": error,
        "result": assessment.result, "comment": request.POST.get("comment", ""),
        "criteria": case.procedure.get("referral_criteria", []), "facts": assessment.facts,
    })


# -- Referrals and outcome (B2, B5) ----------------------------------------------------

REFERRAL_FIELDS = ("agency", "route", "made_at", "reference", "platform", "urls", "notes", "spoke_first",
                   "spoke_first_reason")


def referral(request, case_id):
    """B2, B12, B13, C8, F1: a referral or report, in two steps: who it went to, then what that agency needs."""
    case = get_case_to_manage(request.user, case_id)
    error = None
    values = {k: "" for k in REFERRAL_FIELDS} | {"made_at": timezone.localtime().strftime(DATETIME_LOCAL),
                                                "agency": request.GET.get("agency", "")}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in REFERRAL_FIELDS}
        try:
            actions.record_referral(
                user=request.user, case=case, agency=values["agency"], route=values["route"],
                made_at=parse_local_datetime(values["made_at"]), reference=values["reference"],
                platform=values["platform"], urls=values["urls"], notes=values["notes"],
                spoke_first={"yes": True, "no": False}.get(values["spoke_first"]),
                spoke_first_reason=values["spoke_first_reason"])
            messages.success(request, "Recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
        except CaseError as exc:
            error = view_error(exc)
    agency = agencies.get(values["agency"])
    if agency is None and "chosen" in request.GET:
        error = {
            "text": "Choose who it was made to.",
            "field": "agency",
            "fields": {"agency": "Choose who it was made to."},
            "general": "",
        }
    return render(request, "cases/referral.html", {
        "case": case, "values": values, "error": error, "agency": agency, "agencies": agencies.all_agencies(),
        "routes": agencies.routes(), "resources": agencies.services_for("referral"),
        "spoken_to": case.referrals.filter(agency__in=agencies.b2_ids()).exists()
        or case.decisions.filter(kind=Decision.Kind.ADVICE).exists()})


def referral_answer(request, case_id, referral_id):
    """The agency's answer, and for the police the crime reference and outcome code."""
    case = get_case_to_manage(request.user, case_id)
    referral = get_object_or_404(Referral, id=referral_id, case=case)
    fields = ("response", "response_at", "outcome", "crime_reference", "outcome_code")
    values = {k: "" for k in fields} | {"response_at": timezone.localtime().strftime(DATETIME_LOCAL),
                                       "crime_reference": referral.crime_reference,
                                       "outcome_code": referral.outcome_code}
    error = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in fields}
        try:
            actions.record_response(user=request.user, referral=referral, response=values["response"],
                                    response_at=parse_local_datetime(values["response_at"]),
                                    outcome=values["outcome"], crime_reference=values["crime_reference"],
                                    outcome_code=values["outcome_code"])
            messages.success(request, "Their answer is recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#referrals")
        except CaseError as exc:
            error = view_error(exc)
    return render(request, "cases/referral_answer.html", {"case": case, "referral": referral, "values": values,
                                                          "error": error})


def outcome(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    assessment = evaluation.assess(case)
    error, values = None, {"outcome": case.outcome, "reason": ""}
    if request.method == "POST":
        values = {"outcome": request.POST.get("outcome", ""), "reason": request.POST.get("reason", "")}
        try:
            actions.set_outcome(user=request.user, case=case, **values)
            messages.success(request, "Outcome recorded.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            field = "outcome" if values["outcome"] in ("", "managed_in_school") else "reason"
            error = form_error(messages_of(exc), field)
    outcomes = actions.outcomes_for(case)
    blocked = {o: actions.outcome_blockers(case, o, assessment) for o, _ in outcomes}
    return render(request, "cases/outcome.html", {"case": case, "values": values, "error": error,
                                                   "blocked": blocked, "outcomes": outcomes,
                                                   "assessment": assessment})
