from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.capabilities import ROLE_LABELS
from lib.errors import ActionError
from procedures import engine, schema, versions
from procedures.forms import PHASE_CHOICES, OverrideForm, due_field, initial_values, posted_values, text_field
from procedures.overrides import sign_off_role_choices
from schools import nations
from schools.current import current_school

SECTIONS = [  # (key, heading, rule) in the order the DSL meets them
    ("initial_review_questions", "Initial review meeting questions", "B1"),
    ("referral_criteria", "Immediate referral criteria", "B2"),
    ("escalation_factors", "Escalation factors", "B3"),
    ("risk_questions", "Risk assessment questions", "B4"),
    ("outcomes", "Possible outcomes", "B5"),
]


def _school_for_reading(request):
    school = current_school(request)
    if not versions.may_read(request.user, school):
        raise Http404("Not found")
    return school


def _tasks_by_phase(definition):
    """[(phase label, [task with its due time in words])], in phase order, leaving out empty phases."""
    grouped = []
    for phase, label in PHASE_CHOICES:
        tasks = [dict(t, due_text=versions.describe_due(t["due_after_minutes"]))
                 for t in definition["tasks"] if t["phase"] == phase]
        if tasks:
            grouped.append((label, tasks))
    return grouped


def _item_label(section, item, n):
    if section in ("referral_criteria", "escalation_factors"):
        return f"{'Criterion' if section == 'referral_criteria' else 'Factor'} {n}"
    return f"Outcome {n}" if section == "outcomes" else f"Question {n}"


def procedure_list(request):
    school = _school_for_reading(request)
    shipped = schema.load_all()
    effective = versions.effective_all(school, shipped)
    rows = [(pid, d, bool(versions.differences(shipped[pid], d))) for pid, d in effective.items()]
    rows.sort(key=lambda row: row[1]["title"])
    return render(request, "procedures/list.html", {"school": school, "rows": rows})


def procedure_detail(request, procedure_id):
    school = _school_for_reading(request)
    shipped = versions.shipped(procedure_id)
    effective = versions.effective_for(school, procedure_id)
    return render(request, "procedures/detail.html", {
        "school": school, "procedure": effective, "sections": SECTIONS,
        "phases": _tasks_by_phase(effective), "differences": versions.differences(shipped, effective),
        "history": versions.history(school, procedure_id),
        "can_adapt_school": versions.may_adapt_school(request.user, school),
        "can_adapt_trust": versions.may_adapt_trust(request.user, school.trust_id),
        "implied": _with_conditions(effective, "implied_answers"),
        "required": _with_conditions(effective, "required_referrals"),
    })


def _with_conditions(definition, key):
    """B14–B16: each implied answer or required referral, with its question and its conditions in words."""
    texts = engine.question_texts(definition)
    rows = []
    for item in definition.get(key, []):
        when = item.get("when")
        conditions = [texts.get(c, c) for c in (when if isinstance(when, list) else [when])] if when else []
        rows.append({**item, "text": texts.get(item.get("question"), ""), "conditions": conditions})
    return rows


def adapt_for_school(request, procedure_id):
    school = current_school(request)
    if not versions.may_adapt_school(request.user, school):
        raise Http404("Not found")
    return _adapt(request, procedure_id, school=school, owner_name=school.name)


def adapt_for_trust(request, procedure_id):
    school = current_school(request)
    if school is None or not versions.may_adapt_trust(request.user, school.trust_id):
        raise Http404("Not found")
    return _adapt(request, procedure_id, trust=school.trust, owner_name=school.trust.name)


def _adapt(request, procedure_id, *, owner_name, school=None, trust=None):
    """Access is checked by the caller. GET shows the form; POST saves a new version or shows what was typed."""
    base = versions.base_for(procedure_id, school=school, trust=trust)
    latest = versions.latest_for_owner(procedure_id, school=school, trust=trust)
    current = latest.changes if latest else {}
    form = None
    if request.method == "POST":
        form = OverrideForm(request.POST, base=base, current=current)
        if form.is_valid():
            try:
                row = versions.save_override(user=request.user, procedure_id=procedure_id, school=school,
                                             trust=trust, changes=form.changes(), reason=form.cleaned_data["reason"])
            except ActionError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Saved. {owner_name} now uses version {row.version} of this procedure.")
                return redirect("procedures:detail", procedure_id)
        values = posted_values(request.POST, current)
    else:
        values = initial_values(base, current)

    sections = [(heading, rule, [(text_field(key, item["id"]), _item_label(key, item, n), item)
                                 for n, item in enumerate(base.get(key, []), start=1)])
                for key, heading, rule in SECTIONS if base.get(key)]
    before = "As shipped" if trust is not None else f"Without {owner_name}'s changes"
    numbers = {t["id"]: n for n, t in enumerate(base["tasks"], start=1)}
    phases = [
        (
            label,
            [
                (text_field("tasks", t["id"]), due_field(t["id"]), numbers[t["id"]], f"{before}: {t['due_text']}")
                for t in tasks
            ],
        )
        for label, tasks in _tasks_by_phase(base)
    ]
    roles = values.get("sign_off_roles", [])
    return render(request, "procedures/adapt.html", {
        "procedure": base, "procedure_id": procedure_id, "owner_name": owner_name, "for_trust": trust is not None,
        "form": form, "errors": form.summary() if form is not None else [], "values": values,
        # J8: at a school, the lead named as its nation does; a trust's schools may be in several nations.
        "role_items": [{"value": r, "text": nations.role_label(r, school, ROLE_LABELS[r]) if school else ROLE_LABELS[r],
                        "checked": r in roles} for r in sign_off_role_choices()],
        "sections": sections, "phases": phases, "phase_choices": PHASE_CHOICES,
        "extra_tasks": list(enumerate(current.get("extra_tasks", []))), "latest": latest,
        "shipped_title": versions.short_title(base),
    })
