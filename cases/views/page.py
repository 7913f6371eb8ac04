"""The case page: everything about one case, its clocks and what is needed next (H2: the read is audited)."""

from datetime import datetime
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.pickers import label as picker_label, with_roles_at
from cases import actions, agencies, chronology, evaluation
from cases.actions import steps
from cases.actions.versions import newer_version
from cases.access import get_case_for, owns, readable
from cases.forms import NoteForm, ReviewDateForm, StepsForm
from cases.models import IMAGERY_PROCEDURES, PHASE_ORDER, Case, Entry, Task, phase_deadlines
from concerns import quality
from concerns.models import Concern
from lib.compiled import Compiled
from lib.workdays import add_working_days
from schools import status
from cases.views.common import audit_view

User = get_user_model()


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


def _required(case, assessment, referrals):
    """B15, F8: each referral the kind requires, with its deadline and, once given, their answer (the LADO's
    advice, which the next steps follow)."""
    rows = []
    for item in assessment.required:
        made = [r for r in referrals if r.agency == item["agency"]]
        due = (add_working_days(case.incident_recorded_at, item["within_working_days"])
               if item["within_working_days"] and item["applies"] is True else None)
        rows.append({**item, "due": due, "made": made, "answers": [r for r in made if r.response]})
    return rows


def _reviews(case):
    questions = {q["id"]: q["text"] for q in case.procedure.get("initial_review_questions", [])}
    meetings = list(case.reviews.prefetch_related("attendees").select_related("recorded_by"))
    for meeting in meetings:
        meeting.rows = [{"key": {"text": questions.get(qid, qid)}, "value": {"text": answer}}
                        for qid, answer in meeting.answers.items()]
    return meetings


# The case's lists that are often empty. One query says which have rows, so the page reads only those.
OPTIONAL_LISTS = ("reviews", "decisions", "referrals", "members", "evidence_items", "devices", "parent_contacts",
                  "deletions", "viewings", "takedowns", "communications")


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


# A step in full, and the name of who completed it (not the rest of their account).
TASK_FIELDS = (*(f.name for f in Task._meta.concrete_fields), "completed_by__full_name")
CONCERN_FIELDS = ("id", "case_id", "created_at", "device_confiscated", "reported_by_id", "reported_by__full_name")
ENTRY_FIELDS = ("id", "case_id", "kind", "at", "text", "rules", "author_id", "author__full_name")

# The case's own lists, compiled to SQL once (lib/compiled.py: compiling cost more than running them, issue 24).
_TASKS = Compiled(lambda case_id: Task.objects.filter(case_id=case_id).select_related("completed_by")
                  .only(*TASK_FIELDS).order_by("due_at", "id"))
_CONCERNS = Compiled(lambda case_id: Concern.objects.filter(case_id=case_id).select_related("reported_by")
                     .only(*CONCERN_FIELDS).order_by("created_at"))
_ENTRIES = Compiled(lambda case_id: Entry.objects.filter(case_id=case_id).select_related("author").only(*ENTRY_FIELDS))


def case_detail(request, case_id):
    case = get_case_for(request.user, case_id)
    return case_page(request, case)


def _urgent(assessment, tasks):
    """20.3, B12, B15: the referrals the kind requires now (not within days, not a decision), who they go to, and
    their open steps, shown first."""
    referrals = [r for r in assessment.required if r["applies"] is True and not r["satisfied"]
                 and not r.get("within_working_days") and not r.get("decision")]
    keys = {k for r in referrals for k in r.get("tasks", [])}
    names = []
    for r in referrals:
        label = agencies.label(r["agency"])
        names.append(label[:1].lower() + label[1:] if label[1:2].islower() else label)
    return {"referrals": referrals, "step_keys": keys, "to": " and ".join(names),
            "steps": [t for t in tasks if t.key in keys and t.is_open]}


def _staff_shown(case, tasks, manage):
    """J3: on a case whose procedure asks whether an image shows an adult member of staff: the answer, who was
    recorded ("name — role"), the steps for them with their deadlines, and what the team is asked next (None for
    other cases). What the case already knows is not asked again: answered no, nothing is asked."""
    if not actions.asks_about_staff(case):
        return None
    answer = case.facts.get(actions.DEPICTS_STAFF)
    who = None
    if case.depicted_staff_id:
        who = with_roles_at(User.objects.filter(id=case.depicted_staff_id), case.school_id).first()
    ask = manage and case.is_open and answer is not False and who is None
    return {"answer": answer, "who": picker_label(who) if who else None, "ask": ask, "needed": ask and answer is True,
            "steps": sorted((t for t in tasks if "J3" in (t.rules or [])), key=lambda t: (t.due_at is None, t.due_at))}


def _step_links(case, staff_shown, takedowns):
    """The page where an open step is done, by step key: recording who an image shows (J3) and the takedown offer
    for each child (J5). Only for those who run the case."""
    links = {}
    if staff_shown and staff_shown["ask"]:
        for t in staff_shown["steps"]:
            links[t.key] = (reverse("cases:depicted_staff", args=[case.id]), "Record who the image shows")
    if takedowns is not None:
        for t in case.procedure.get("tasks", []):
            if "takedown_recorded" in t.get("done_when", []):
                links[t["id"]] = (reverse("cases:takedown", args=[case.id]), "Record the offer for each child")
    return links


def _next_due(tasks, now):
    """The clock to watch first, for the top of the page: the earliest open step with a due time, and how many open
    steps are already past theirs (None when no open step has a due time)."""
    timed = [t for t in tasks if t.is_open and t.due_at is not None]
    if not timed:
        return None
    return {"task": min(timed, key=lambda t: (t.due_at, t.id)), "overdue": sum(t.is_overdue(now) for t in timed)}


def case_page(request, case, *, note_form=None, review_date_form=None, steps_form=None):
    """The case page; with a note, review date or steps that were refused, that form comes back with what was typed
    and its message beside the box, so nothing typed is lost."""
    audit_view(request, case)
    note_form = note_form or NoteForm()
    review_date_form = review_date_form or ReviewDateForm(initial={"review_date": case.review_date or ""})
    refused = next((f for f in (note_form, review_date_form, steps_form) if f is not None and f.errors), None)
    now = timezone.now()
    present = _present(case)

    def rows(name, queryset):
        return list(queryset) if present[name] else []

    referrals = rows("referrals", case.referrals.select_related("made_by"))
    decisions = rows("decisions", case.decisions.select_related("decided_by").prefetch_related("sign_offs__signed_by"))
    # Each concern's reference, reporter and date, and whether a device was taken (the rest is on its own page).
    concerns = _CONCERNS(case.id, known={"case": case})
    assessment = evaluation.assess(case, referrals=referrals, decisions=decisions, concerns=concerns,
                                   viewer=request.user)
    tasks = _TASKS(case.id, known={"case": case})
    urgent = _urgent(assessment, tasks)
    tasks.sort(key=lambda t: t.key not in urgent["step_keys"])  # the urgent step first in its phase (stable sort)
    steps_form = steps_form or StepsForm(open_tasks=[t for t in tasks if t.is_open])
    manage = owns(request.user, case)
    earlier = readable(request.user, assessment.earlier)
    reviews = _reviews(case) if present["reviews"] else []
    viewings = rows("viewings", case.viewings.select_related("viewer", "witness").prefetch_related("signatures"))
    staff_shown = _staff_shown(case, tasks, manage)
    takedowns = (actions.children_for_takedown(case, links=assessment.links, any_records=present["takedowns"])
                 if case.procedure_id in IMAGERY_PROCEDURES else None)
    context = {
        "case": case,
        "manage": manage,
        "assessment": assessment,
        "result": assessment.result,
        "earlier": earlier,
        "earlier_hidden": len(assessment.earlier) - len(earlier),
        "children": assessment.links,
        "mis": _mis_status(request.user, case, assessment.links),
        "concerns": concerns,
        "tasks_by_phase": [(p, Task.Phase(p).label, [t for t in tasks if t.phase == p]) for p in PHASE_ORDER],
        "clocks": _phase_clocks(case, tasks, now),
        "now": now,
        "reviews": reviews,
        "decisions": decisions,
        "referrals": referrals,
        "required": _required(case, assessment, referrals),
        "locked": assessment.locked_steps(),
        "warning": evaluation.procedure_of(case)["kind_rules"]["first_screen_warning"],
        # J7: a newer version of the procedure, for the team to move the case to or keep its own (None if not).
        "newer_version": newer_version(case) if manage and case.is_open else None,
        # J7: each step's source and rules, from the procedure the case is pinned to (steps without one show none).
        "task_sources": {t["id"]: t for t in evaluation.procedure_of(case)["tasks"] if t.get("source")},
        "members": rows("members", case.members.select_related("user", "added_by")),
        "evidence_items": rows("evidence_items", case.evidence_items.select_related("recorded_by")),
        "devices": rows("devices", case.devices.select_related("release").prefetch_related("custody__by")),
        "parent_contacts": rows("parent_contacts", case.parent_contacts.select_related("pupil", "recorded_by")),
        "deletions": rows("deletions", case.deletions.select_related("pupil")),
        "viewings": viewings,
        # E2: the messages recorded, for the team that runs the case (communications/_case_section.html).
        "communications": rows("communications", case.communications.all()) if manage else [],
        # 24.1: each entry's HTML is rendered once and kept (cases/chronology.py); access was checked above.
        "entry_html": chronology.entry_html(case, _ENTRIES(case.id, known={"case": case})),
        "next_due": _next_due(tasks, now) if manage and case.is_open else None,
        "blockers": (actions.closure_blockers(case, assessment, reviews=reviews, viewings=viewings, tasks=tasks)
                     if case.is_open else []),
        "my_sign_offs": actions.pending_sign_offs_for(request.user, case, decisions),
        "classification_label": evaluation.classification_label,
        "note_form": note_form,
        # P6: suggestions for a clearer chronology entry, for a note that came back as typed.
        "note_suggestions": (found := quality.check(note_form.shown("text") or "")),
        "note_suggestions_shown": quality.signature(found),
        "review_date_form": review_date_form,
        "refused": refused,
        "urgent": urgent,
        "steps_form": steps_form,
        "staff_shown": staff_shown,
        "takedowns": takedowns,
        "step_links": _step_links(case, staff_shown, takedowns) if manage and case.is_open else {},
        # What the reports already said about a device: none taken into safe keeping (A2). The step stays the
        # team's to close, with that in view rather than asked again.
        "no_device_reported": ({t["id"] for t in case.procedure.get("tasks", [])
                                if "device_recorded" in t.get("done_when", [])}
                               if concerns and not any(c.device_confiscated for c in concerns) else set()),
        "ticked_by": {key: [steps.describe(e) for e in events] for key, events in steps.events_for(case).items()
                      if events},
        "sen_on_record": _sen_on_record(request.user, case, assessment.links),
    }
    return render(request, "cases/detail.html", context)


def _vulnerability_question(procedure):
    """The pinned procedure's question a status flag bears on: the escalation factor "a child more vulnerable than
    usual" (B3.3), or for kinds without it the risk question about vulnerability."""
    for factor in procedure.get("escalation_factors", []):
        if "B3.3" in factor.get("rules", []) or factor["id"] == "B3.3":
            return {"text": factor["text"], "answer": None}
    for question in procedure.get("risk_questions", []):
        if question["id"] == "vulnerability":
            return {"text": question["text"], "answer": None}
    return None


def _sen_on_record(user, case, links):
    """B11: what the pupil records say about special educational needs, on the step that asks to involve the SENCO,
    so the DSL is not left to find it out: each child with needs, or that none has any (the step can then be marked
    not done with that reason). For the DSL team only, as the MIS flags are (`status.may_see`)."""
    keys = [t["id"] for t in case.procedure.get("tasks", []) if "B11" in t.get("rules", [])]
    pupils = list({link.pupil_id: link.pupil for link in links}.values())
    if not keys or not pupils or not status.may_see(user, case.school_id):
        return {}
    first_names = [p.first_name for p in pupils]
    names = {p.id: p.first_name if first_names.count(p.first_name) == 1 else p.display_name for p in pupils}
    with_needs = [p for p in pupils if p.has_sen]
    if with_needs:
        said = "; ".join((gettext("%(name)s has an EHC plan") if p.sen_status == p.SEN.EHC_PLAN
                          else gettext("%(name)s has SEN support")) % {"name": names[p.id]} for p in with_needs)
        note = gettext("%(needs)s: involve the SENCO.") % {"needs": said}
    else:
        listed = [names[p.id] for p in pupils]
        together = listed[0] if len(listed) == 1 else gettext("%(names)s and %(last)s") % {
            "names": ", ".join(listed[:-1]), "last": listed[-1]}
        note = gettext("The pupil records show no special educational needs for %(names)s. If that is right, mark "
                       "this step not done with that reason.") % {"names": together}
    return dict.fromkeys(keys, note)


def _mis_status(user, case, links):
    """What the MIS says about each child on the case (flags, and pupils sharing a parent or carer), for the DSL
    team only. A flag suggests the vulnerability question; the DSL answers it, Harbour never does (B3)."""
    if not status.may_see(user, case.school_id):
        return None
    children, seen = [], set()
    pupils = list({link.pupil_id: link.pupil for link in links}.values())
    households = status.households(pupils) if pupils else {}
    for link in links:
        if link.pupil_id in seen:
            continue
        seen.add(link.pupil_id)
        flags, household = status.flags(link.pupil), households[link.pupil_id]
        if flags or household:
            children.append({"pupil": link.pupil, "flags": flags, "household": household})
    question = _vulnerability_question(evaluation.procedure_of(case))
    if question is not None:
        question["answer"] = case.facts.get("B3.3") if "B3.3" in case.facts else case.risk_answers.get(
            "vulnerability")
    return {"children": children, "question": question, "suggest": any(c["flags"] for c in children)}
