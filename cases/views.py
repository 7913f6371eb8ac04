"""The case pages. Each view: access check → read the form → one action → redirect.

Every read of a case writes a VIEW row to the audit trail (H2). Refusals (CaseError)
re-show the page with everything the person typed and the reason.
"""

from datetime import datetime
from functools import lru_cache

from django.contrib import messages
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from advice.resources import resources_for
from audit.log import Action, record
from cases import actions, agencies, evaluation
from cases.access import cases_for, get_case_for, get_case_to_manage, may_read, owns
from cases.actions import CaseError
from cases.models import PHASE_ORDER, Case, Decision, Referral, SignOff, Task, phase_deadlines
from concerns.access import get_concern_for_recipient
from lib.dates import DATETIME_LOCAL, parse_local_datetime
from lib.errors import view_error
from procedures import engine
from schools.current import current_school



def _audit_view(request, case, what="case"):
    record(actor=request.user, action=Action.VIEW, object_type="case", object_id=case.id, school=case.school_id,
           detail={"page": what})




def _yes_no_unknown(value):
    return {"yes": True, "no": False}.get(value)


def _error(message, field=None):
    return {"text": str(message), "field": field}


def _messages_of(exc):
    return " ".join(exc.messages)


# -- Lists ---------------------------------------------------------------------------

def _readable_cases(request):
    """(school, the cases this person may read there); a 404 for someone who reads no cases at all."""
    school = current_school(request)
    if school is None:
        raise Http404("No school")
    cases = cases_for(request.user, school)
    if not cases.exists() and not owns_any(request.user, school):
        raise Http404("No cases")
    return school, cases


def case_list(request):
    school, cases = _readable_cases(request)
    show = request.GET.get("show", "open")
    if show != "closed":
        cases = cases.filter(status=Case.Status.OPEN)
    else:
        cases = cases.filter(status=Case.Status.CLOSED)
    now = timezone.now()
    referred = Referral.objects.filter(case=OuterRef("pk")).for_b2()
    cases = cases.annotate(
        overdue=Count("tasks", distinct=True, filter=Q(tasks__completed_at__isnull=True, tasks__due_at__lt=now)),
        referred=Exists(referred),
    )
    rows = [{"case": case, "overdue": case.overdue,
             "referral_missing": bool(case.evaluation.get("referral_required")) and not case.referred}
            for case in cases.defer(*(f for f in Case.JSON_FIELDS if f != "evaluation")).order_by("-opened_at")[:200]]
    record(actor=request.user, action=Action.VIEW, object_type="case_list", school=school.id, detail={"show": show})
    sign_offs = [s for s in SignOff.objects.filter(decision__state=Decision.State.AWAITING_SIGN_OFF,
                                                   signed_at__isnull=True, decision__case__school=school)
                 .select_related("decision__case") if s.role in request.user.access.roles_in(school)
                 and may_read(request.user, s.decision.case)]
    return render(request, "cases/list.html", {"rows": rows, "show": show, "school": school, "sign_offs": sign_offs})


def search(request):
    """Search the chronologies of the cases this person may read; every search is audited (H2)."""
    from cases.search import LIMIT, search as find

    school, _ = _readable_cases(request)
    query = request.GET.get("q", "")[:200]
    hits = find(request.user, school, query) if query.strip() else []
    record(actor=request.user, action=Action.VIEW, object_type="case_search", school=school.id,
           detail={"query": query, "results": len(hits)})
    return render(request, "cases/search.html", {"school": school, "query": query, "hits": hits, "limit": LIMIT})


def owns_any(user, school):
    from accounts.capabilities import Capability

    return user.access.can(Capability.READ_CASES, school) or user.access.can(Capability.RECEIVE_STAFF_ALLEGATIONS,
                                                                             school)


# -- The case page -------------------------------------------------------------------

def _phase_clocks(case, tasks, now):
    """E7: one clock per phase, from when the incident was recorded; the ongoing one is the review date."""
    deadlines = phase_deadlines(case.procedure, case.incident_recorded_at)
    clocks = []
    for phase in PHASE_ORDER:
        in_phase = [t for t in tasks if t.phase == phase]
        if not in_phase:
            continue
        open_tasks = [t for t in in_phase if t.is_open]
        if phase == Task.Phase.ONGOING:
            due = (timezone.make_aware(datetime.combine(case.review_date, datetime.min.time()).replace(hour=17))
                   if case.review_date else None)
        else:
            due = deadlines.get(phase)
        if not open_tasks:
            state = "done"
        elif due is None:
            state = "no_date"
        elif due < now:
            state = "overdue"
        else:
            state = "running"
        clocks.append({"phase": phase, "label": Task.Phase(phase).label, "due": due, "state": state,
                       "open": len(open_tasks), "total": len(in_phase)})
    return clocks


def _reviews(case):
    questions = {q["id"]: q["text"] for q in case.procedure.get("initial_review_questions", [])}
    meetings = list(case.reviews.prefetch_related("attendees").select_related("recorded_by"))
    for meeting in meetings:
        meeting.rows = [{"key": {"text": questions.get(qid, qid)}, "value": {"text": answer}}
                        for qid, answer in meeting.answers.items()]
    return meetings


# The case's lists that are often empty. One query says which have rows, so the page reads only those.
OPTIONAL_LISTS = ("reviews", "decisions", "referrals", "members", "evidence_items", "devices", "parent_contacts",
                  "deletions", "viewings")


@lru_cache(maxsize=None)
def _present_sql():
    """SELECT EXISTS(...) per list, from the models' own table and column names. Written out rather than
    built by the ORM on every request: nine EXISTS subqueries cost more to compile than to run."""
    quote = connection.ops.quote_name
    parts = []
    for name in OPTIONAL_LISTS:
        relation = getattr(Case, name).rel
        model, column = relation.related_model, relation.field.column
        table = quote(model._meta.db_table)
        # B608 waived: the names come from the models; the case id is always a parameter.
        parts.append(f"EXISTS(SELECT 1 FROM {table} WHERE {quote(column)} = %s)")  # nosec B608 - names from models
    return "SELECT " + ", ".join(parts)


def _present(case):
    """{list name: has rows} for OPTIONAL_LISTS."""
    with connection.cursor() as cursor:
        cursor.execute(_present_sql(), [case.pk] * len(OPTIONAL_LISTS))
        return dict(zip(OPTIONAL_LISTS, map(bool, cursor.fetchone()), strict=True))


def case_detail(request, case_id):
    case = get_case_for(request.user, case_id)
    _audit_view(request, case)
    now = timezone.now()
    present = _present(case)

    def rows(name, queryset):
        return list(queryset) if present[name] else []

    b2_referral = present["referrals"] and Referral.objects.filter(case=case).for_b2().exists()
    assessment = evaluation.assess(case, referral_recorded=b2_referral)
    tasks = list(case.tasks.select_related("completed_by").order_by("due_at", "id"))
    manage = owns(request.user, case)
    earlier = [c for c in assessment.earlier if may_read(request.user, c)]
    decisions = rows("decisions", case.decisions.select_related("decided_by").prefetch_related("sign_offs__signed_by"))
    reviews = _reviews(case) if present["reviews"] else []
    viewings = rows("viewings", case.viewings.select_related("viewer", "witness").prefetch_related("signatures"))
    context = {
        "case": case,
        "manage": manage,
        "assessment": assessment,
        "result": assessment.result,
        "earlier": earlier,
        "earlier_hidden": len(assessment.earlier) - len(earlier),
        "children": assessment.links,
        "concerns": list(case.concerns.select_related("reported_by").order_by("created_at")),
        "tasks_by_phase": [(p, Task.Phase(p).label, [t for t in tasks if t.phase == p]) for p in PHASE_ORDER],
        "clocks": _phase_clocks(case, tasks, now),
        "now": now,
        "reviews": reviews,
        "decisions": decisions,
        "referrals": rows("referrals", case.referrals.select_related("made_by")),
        "members": rows("members", case.members.select_related("user", "added_by")),
        "evidence_items": rows("evidence_items", case.evidence_items.select_related("recorded_by")),
        "devices": rows("devices", case.devices.prefetch_related("custody__by")),
        "parent_contacts": rows("parent_contacts", case.parent_contacts.select_related("pupil", "recorded_by")),
        "deletions": rows("deletions", case.deletions.select_related("pupil")),
        "viewings": viewings,
        "entries": list(case.entries.select_related("author")),
        "blockers": (actions.closure_blockers(case, assessment, reviews=reviews, viewings=viewings, tasks=tasks)
                     if case.is_open else []),
        "my_sign_offs": actions.pending_sign_offs_for(request.user, case, decisions),
        "classification_label": evaluation.classification_label,
    }
    return render(request, "cases/detail.html", context)


# -- Answers: criteria, factors, typology (B2, B3, B7, B8) --------------------------

def _facts_from_post(case, post):
    raw = {}
    for item in case.procedure.get("referral_criteria", []) + case.procedure.get("escalation_factors", []):
        raw[item["id"]] = _yes_no_unknown(post.get(item["id"]))
    for key in evaluation.YES_NO_KEYS:
        raw[key] = _yes_no_unknown(post.get(key))
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
            messages.error(request, _messages_of(exc))
            return redirect("cases:detail", case.id)
        case.refresh_from_db()
        if not request.htmx:
            if changes:
                messages.info(request, "What changed: " + " ".join(changes))
            return redirect(reverse("cases:assess", args=[case.id]) + "#evaluation")
    else:
        _audit_view(request, case, "assess")
    assessment = evaluation.assess(case)
    context = {"case": case, "assessment": assessment, "result": assessment.result, "changes": changes,
               "facts": case.facts, "earlier": [c for c in assessment.earlier if may_read(request.user, c)],
               "classification_label": evaluation.classification_label}
    if request.htmx:
        return render(request, "cases/_evaluation.html", context)
    return render(request, "cases/assess.html", context)


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
            error = _error(_messages_of(exc), "reason" if values["choice"] else "choice")
    options = [(c, evaluation.classification_label(c)) for c in engine.CLASSIFICATIONS]
    return render(request, "cases/classification.html", {"case": case, "suggestion": suggestion, "error": error,
                                                          "values": values, "options": options,
                                                          "label": evaluation.classification_label})


# -- Initial review meeting (B1) ----------------------------------------------------

def _school_staff(case):
    return list(User.objects.filter(is_active=True, memberships__school=case.school).exclude(
        id=case.subject_staff_id).distinct().order_by("full_name"))


def review(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    staff = _school_staff(case)
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
            error = _error(_messages_of(exc))
    attendee_items = [{"value": str(u.id), "text": u.full_name, "checked": str(u.id) in values["attendees"]}
                      for u in staff]
    return render(request, "cases/review.html", {"case": case, "attendee_items": attendee_items,
                                                  "questions": questions, "values": values, "error": error})


# -- Decisions (B6, B10, F7) --------------------------------------------------------

def decision(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    error, values = None, {"taken": "", "choice": "", "options": "", "reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        if values["taken"] not in ("yes", "no"):
            error = _error("Say whether this is an action taken or an action not taken.", "taken")
        else:
            try:
                actions.record_decision(user=request.user, case=case, taken=values["taken"] == "yes",
                                        choice=values["choice"], reason=values["reason"], options=values["options"])
                messages.success(request, "Decision recorded.")
                return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
            except CaseError as exc:
                error = _error(_messages_of(exc), "reason" if values["choice"].strip() else "choice")
    return render(request, "cases/decision.html", {"case": case, "values": values, "error": error})


def advice(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    error, values = None, {"source": "", "advice": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            actions.record_advice(user=request.user, case=case, **values)
            messages.success(request, "Advice recorded.")
            return redirect(reverse("cases:detail", args=[case.id]) + "#decisions")
        except CaseError as exc:
            error = _error(_messages_of(exc), "advice" if values["source"].strip() else "source")
    return render(request, "cases/advice.html", {"case": case, "values": values, "error": error})


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
            error = _error(_messages_of(exc), "reason")
    return render(request, "cases/no_referral.html", {"case": case, "values": values, "error": error,
                                                       "assessment": assessment, "result": assessment.result})


def sign_off(request, case_id, decision_id):
    case = get_case_for(request.user, case_id)
    decision = get_object_or_404(Decision, id=decision_id, case=case, kind=Decision.Kind.NO_REFERRAL)
    mine = [s for s in actions.pending_sign_offs_for(request.user, case) if s.decision_id == decision.id]
    if not mine and not owns(request.user, case):
        # Someone who may read the case but has nothing to sign here.
        raise Http404("No such sign-off")
    _audit_view(request, case, "sign_off")
    error = None
    if request.method == "POST" and mine:
        try:
            actions.sign(user=request.user, sign_off=mine[0], password=request.POST.get("password", ""),
                         code=request.POST.get("code", ""), comment=request.POST.get("comment", ""))
            messages.success(request, "Signed. Thank you.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            actions.record_failed_signature(user=request.user, sign_off=mine[0])
            error = _error(_messages_of(exc), "password")
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
        "routes": agencies.routes(), "resources": resources_for("referral"),
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
            error = _error(_messages_of(exc), "outcome" if values["outcome"] in ("", "managed_in_school") else "reason")
    blocked = {o: actions.outcome_blockers(case, o, assessment) for o in Case.Outcome.values}
    return render(request, "cases/outcome.html", {"case": case, "values": values, "error": error,
                                                   "blocked": blocked, "outcomes": Case.Outcome.choices,
                                                   "assessment": assessment})


# -- Tasks and clocks (E1–E7) -----------------------------------------------------------

def task(request, case_id, task_id):
    case = get_case_to_manage(request.user, case_id)
    item = get_object_or_404(Task, id=task_id, case=case)
    error, values = None, {"result": "", "note": ""}
    if request.method == "POST":
        values = {"result": request.POST.get("result", ""), "note": request.POST.get("note", "")}
        if values["result"] not in ("done", "not_needed"):
            error = _error("Say whether the task was done.", "result")
        else:
            try:
                actions.complete_task(user=request.user, task=item, done=values["result"] == "done",
                                      note=values["note"])
                return redirect(reverse("cases:detail", args=[case.id]) + "#tasks")
            except CaseError as exc:
                error = _error(_messages_of(exc), "note")
    return render(request, "cases/task.html", {"case": case, "task": item, "values": values, "error": error})


@require_POST
def review_date(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    try:
        value = datetime.strptime(request.POST.get("review_date", ""), "%Y-%m-%d").date()
    except ValueError:
        value = None
    try:
        actions.set_review_date(user=request.user, case=case, review_date=value)
        messages.success(request, "Review date set.")
    except CaseError as exc:
        messages.error(request, _messages_of(exc))
    return redirect(reverse("cases:detail", args=[case.id]) + "#clocks")


# -- People and notes -------------------------------------------------------------------

def people(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    present = {m.user_id for m in case.members.all()}
    staff = [u for u in _school_staff(case) if u.id not in present and not owns(u, case)]
    error, values = None, {"user": "", "reason": ""}
    if request.method == "POST":
        values = {"user": request.POST.get("user", ""), "reason": request.POST.get("reason", "")}
        member = next((u for u in staff if str(u.id) == values["user"]), None)
        if member is None:
            error = _error("Choose a member of staff at this school.", "user")
        else:
            try:
                actions.add_member(user=request.user, case=case, member=member, reason=values["reason"])
                messages.success(request, f"{member.full_name} can now see this case.")
                return redirect(reverse("cases:detail", args=[case.id]) + "#people")
            except CaseError as exc:
                error = _error(_messages_of(exc), "reason")
    staff_items = [{"value": str(u.id), "text": u.full_name, "selected": str(u.id) == values["user"]} for u in staff]
    return render(request, "cases/people.html", {"case": case, "staff_items": staff_items, "values": values,
                                                  "error": error,
                                                  "members": list(case.members.select_related("user"))})


@require_POST
def note(request, case_id):
    case = get_case_for(request.user, case_id)
    try:
        actions.add_note(user=request.user, case=case, text=request.POST.get("text", ""))
        messages.success(request, "Note added to the chronology.")
    except CaseError as exc:
        messages.error(request, _messages_of(exc))
    return redirect(reverse("cases:detail", args=[case.id]) + "#chronology")


# -- Closure and reopening (G1, H1) -----------------------------------------------------

CLOSING_FIELDS = ("summary", "debrief", "lessons_learnt", "policy_changes")


def close(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if not case.is_open:
        return redirect("cases:detail", case.id)
    error, values = None, {k: "" for k in CLOSING_FIELDS}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in CLOSING_FIELDS}
        try:
            actions.close_case(user=request.user, case=case, **values)
            messages.success(request, f"Case {case.reference} closed.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            first_missing = next((k for k in CLOSING_FIELDS if not values[k].strip()), None)
            error = _error(_messages_of(exc), first_missing)
    return render(request, "cases/close.html", {"case": case, "values": values, "error": error,
                                                 "blockers": actions.closure_blockers(case)})


def reopen(request, case_id):
    case = get_case_to_manage(request.user, case_id)
    if case.is_open:
        return redirect("cases:detail", case.id)
    error, values = None, {"reason": ""}
    if request.method == "POST":
        values = {"reason": request.POST.get("reason", "")}
        try:
            actions.reopen_case(user=request.user, case=case, reason=values["reason"])
            messages.success(request, f"Case {case.reference} reopened.")
            return redirect("cases:detail", case.id)
        except CaseError as exc:
            error = _error(_messages_of(exc), "reason")
    return render(request, "cases/reopen.html", {"case": case, "values": values, "error": error})


# -- Opening from a concern ----------------------------------------------------------

@require_POST
def open_from_concern(request, concern_id):
    concern = get_concern_for_recipient(request.user, concern_id)
    try:
        case = actions.open_case(user=request.user, concern=concern, procedure_id=request.POST.get("procedure") or None)
    except CaseError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("concerns:detail", concern.id)
    messages.success(request, f"Case {case.reference} opened from concern {concern.reference}.")
    return redirect("cases:detail", case.id)


@require_POST
def attach_concern(request, concern_id):
    concern = get_concern_for_recipient(request.user, concern_id)
    wanted = request.POST.get("case", "")
    case = get_case_for(request.user, int(wanted)) if wanted.isdigit() else None
    if case is None:
        messages.info(request, "Choose the case this concern belongs to.")
        return redirect("concerns:detail", concern.id)
    actions.attach_to_case(user=request.user, concern=concern, case=case)
    messages.success(request, f"Concern {concern.reference} added to case {case.reference}.")
    return redirect("cases:detail", case.id)


