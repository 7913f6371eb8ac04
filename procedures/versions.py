"""Which version of a procedure is in force at a school, what it changes, and saving a new one.

The case code calls `effective_for(school, procedure_id)` when a case opens and keeps its
"pinned" part, so the case shows the version it followed even after the school adapts
the procedure again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.capabilities import ROLE_LABELS, Capability, capabilities_of
from audit.log import Action, record
from lib.errors import ActionError
from procedures import nations, overrides, schema
from procedures.models import ProcedureOverride
from schools.models import School, Trust


class ProcedureError(ActionError):
    """The adaptation was refused; the messages say what to change."""


PHASE_LABELS = {
    "immediate": "Immediate",
    "short_term": "Short term",
    "medium_term": "Medium term",
    "ongoing": "Ongoing",
}
WHAT_ITEM_IS = {
    "initial_review_questions": "initial review question",
    "referral_criteria": "referral criterion",
    "escalation_factors": "escalation factor",
    "risk_questions": "risk question",
    "outcomes": "outcome",
    "tasks": "task",
}


# ---- reading -----------------------------------------------------------------------


def shipped(procedure_id: str) -> dict:
    """The definition as shipped, normalised. Raise Http404 for an unknown id (reads one file)."""
    try:
        return schema.get(procedure_id)
    except schema.ProcedureDefinitionError:
        raise Http404("No such procedure") from None


def short_title(definition: dict) -> str:
    """"Sharing nudes and semi-nudes (youth-produced sexual imagery)" → "Sharing nudes and semi-nudes"."""
    return definition["title"].split(" (")[0]


def _latest(rows, procedure_id):
    """(trust row, school row): the newest of each among `rows` for one procedure."""
    trust_row = school_row = None
    for row in rows:
        if row.procedure_id != procedure_id:
            continue
        if row.trust_id and (trust_row is None or row.version > trust_row.version):
            trust_row = row
        if row.school_id and (school_row is None or row.version > school_row.version):
            school_row = row
    return trust_row, school_row


def _merge(definition: dict, school: School, trust_row, school_row, nation: str | None = None) -> dict:
    """shipped → the nation's layer (J8) → the trust's row → the school's row, with the "pinned" part naming each."""
    nation = nation or school.nation
    result, layer = nations.apply(definition, nation)
    if trust_row is not None:
        result = overrides.apply(result, trust_row.changes, scope="trust")
    if school_row is not None:
        result = overrides.apply(result, school_row.changes, scope="school")
    else:
        result = dict(result)
    label = [f"{short_title(definition)} v{definition['version']}"]
    if layer is not None:
        label.append(f"{layer['title']} v{layer['version']}")
    if trust_row is not None:
        label.append(f"{school.trust.name} v{trust_row.version}")
    if school_row is not None:
        label.append(f"{school.name} v{school_row.version}")
    result["pinned"] = {
        "procedure_id": definition["id"],
        "shipped_version": definition["version"],
        "trust_version": trust_row.version if trust_row else None,
        "school_version": school_row.version if school_row else None,
        # J8: the nation's layer the case follows (None: England's, the shipped files as they are).
        "nation": nation,
        "nation_version": layer["version"] if layer is not None else None,
        "label": " · ".join(label),
    }
    return result


def latest_rows(rows, procedure_id):
    """(trust row, school row) in force for one procedure among `rows` (ProcedureOverride.objects.for_school)."""
    return _latest(rows, procedure_id)


def merged(definition: dict, school: School, trust_row, school_row) -> dict:
    """The shipped `definition` with the trust's and the school's rows applied, with its "pinned" part."""
    return _merge(definition, school, trust_row, school_row)


def effective_for(school: School, procedure_id: str) -> dict:
    """The procedure in force at `school`: shipped → the trust's latest → the school's latest.

    Return the normalised definition with a "pinned" key naming the versions it is made
    of. Reads the definition file, and two queries (the overrides; the trust, unless
    `school.trust` is already loaded).
    """
    definition = shipped(procedure_id)
    rows = ProcedureOverride.objects.for_school(school).filter(procedure_id=procedure_id)
    return _merge(definition, school, *_latest(rows, procedure_id))


def effective_all(school: School, definitions: dict | None = None) -> dict[str, dict]:
    """`effective_for` every procedure, keyed by id: one query for all their overrides.

    `definitions` are the shipped ones (schema.load_all()) if the caller has them already.
    """
    rows = list(ProcedureOverride.objects.for_school(school))
    definitions = definitions if definitions is not None else schema.load_all()
    return {pid: _merge(d, school, *_latest(rows, pid)) for pid, d in definitions.items()}


def effective_at(school: School, pinned: dict) -> dict:
    """Rebuild the procedure a case pinned (the "pinned" dict `effective_for` returned).

    Rows are never edited, so the trust and school versions rebuild exactly. The shipped
    definition is a file that moves on: if its version is no longer the pinned one, raise
    ValueError, and the caller should show the copy it kept when the case opened.
    """
    definition = shipped(pinned["procedure_id"])
    if definition["version"] != pinned["shipped_version"]:
        raise ValueError(f"{pinned['procedure_id']} is now v{definition['version']}, "
                         f"not the pinned v{pinned['shipped_version']}")
    # A case pinned before nations had layers followed the shipped files: England's.
    nation = pinned.get("nation") or "england"
    layer = nations.layer(nation)
    if (layer["version"] if layer else None) != pinned.get("nation_version"):
        raise ValueError(f"the {nation} layer is now v{layer['version'] if layer else None}, "
                         f"not the pinned v{pinned.get('nation_version')}")
    rows = ProcedureOverride.objects.for_school(school).filter(procedure_id=pinned["procedure_id"])
    trust_row = next((r for r in rows if r.trust_id and r.version == pinned["trust_version"]), None)
    school_row = next((r for r in rows if r.school_id and r.version == pinned["school_version"]), None)
    return _merge(definition, school, trust_row, school_row, nation=nation)


def history(school: School, procedure_id: str) -> list[ProcedureOverride]:
    """Every saved version at `school` and its trust for one procedure, newest first (one query)."""
    return sorted(ProcedureOverride.objects.for_school(school).filter(procedure_id=procedure_id),
                  key=lambda r: (r.created_at, r.id), reverse=True)


def latest_for_owner(procedure_id: str, *, school=None, trust=None):
    """The newest version a school (or a trust) saved itself, or None."""
    owner = {"school": school} if school is not None else {"trust": trust}
    return ProcedureOverride.objects.filter(procedure_id=procedure_id, **owner).order_by("-version").first()


def base_for(procedure_id: str, *, school=None, trust=None) -> dict:
    """What an override at this level applies to: shipped for a trust; shipped + the school's nation's layer (J8) +
    trust for a school."""
    definition = shipped(procedure_id)
    if school is not None:
        definition, _ = nations.apply(definition, school.nation)
        trust_row = latest_for_owner(procedure_id, trust=school.trust_id)
        if trust_row is not None:
            definition = overrides.apply(definition, trust_row.changes, scope="trust")
    return definition


# ---- describing --------------------------------------------------------------------


def describe_due(minutes) -> str:
    """Minutes from when the incident was recorded, in words: "within 2 hours", "straight away"."""
    if minutes is None:
        return "with no set time (ongoing)"
    if minutes == 0:
        return "straight away"
    return "within " + duration(minutes)


def duration(minutes: int) -> str:
    """90 → "1 hour 30 minutes"; 2880 → "2 days"; 10080 → "7 days"."""
    def unit(n, word):
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    if minutes % 1440 == 0:
        return unit(minutes // 1440, "day")
    if minutes % 60 == 0:
        return unit(minutes // 60, "hour")
    if minutes < 60:
        return unit(minutes, "minute")
    return f"{unit(minutes // 60, 'hour')} {unit(minutes % 60, 'minute')}"


def role_name(role: str) -> str:
    label = ROLE_LABELS.get(role, role)
    # "Headteacher" → "headteacher", but "SENCO" stays as it is.
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def roles_in_words(roles) -> str:
    names = [role_name(r) for r in roles]
    if len(names) == 1:
        return f"{names[0]} only"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def differences(shipped: dict, effective: dict) -> list[str]:
    """Say in plain English how `effective` differs from `shipped`. Pure: no database."""
    found = []
    if list(shipped["sign_off_roles"]) != list(effective["sign_off_roles"]):
        found.append(f"Sign-off for a decision not to refer: {roles_in_words(shipped['sign_off_roles'])} → "
                     f"{roles_in_words(effective['sign_off_roles'])}")
    for section, field in overrides.WORDING_SECTIONS.items():
        if section == "tasks":
            continue
        now = {item["id"]: item[field] for item in effective.get(section, [])}
        for item in shipped.get(section, []):
            if item["id"] in now and now[item["id"]] != item[field]:
                what = WHAT_ITEM_IS[section]  # named by its words, never its number (issue 20.4)
                found.append(f"Wording of {what} ‘{_short(item[field])}’ changed to: ‘{now[item['id']]}’")
    now_tasks = {t["id"]: t for t in effective["tasks"]}
    for task in shipped["tasks"]:
        new = now_tasks.get(task["id"])
        if new is None:
            continue
        if new["title"] != task["title"]:
            found.append(f"Wording of task ‘{_short(task['title'])}’ changed to: ‘{new['title']}’")
        if new["due_after_minutes"] != task["due_after_minutes"]:
            found.append(f"Task ‘{_short(new['title'])}’ due {describe_due(task['due_after_minutes'])} → "
                         f"{describe_due(new['due_after_minutes'])}")
    found += _kind_differences(shipped, effective)
    shipped_ids = {t["id"] for t in shipped["tasks"]}
    for task in effective["tasks"]:
        if task["id"] not in shipped_ids:
            by = {"trust": "by the trust", "school": "by the school"}.get(task.get("added_by"), "")
            found.append(f"Extra task {by}, {PHASE_LABELS[task['phase']].lower()}, due "
                         f"{describe_due(task['due_after_minutes'])}: {task['title']}".replace("  ", " "))
    return found


def _kind_differences(shipped: dict, effective: dict) -> list[str]:
    """B14–B16: what the kind of incident implies or requires, if a version no longer does (an override may
    remove an implied answer the law does not rest on; anything else here is shown in case it ever differs)."""
    from procedures.engine import question_texts

    found = []
    texts = question_texts(shipped)
    now = {i["question"] for i in effective.get("implied_answers", [])}
    for item in shipped.get("implied_answers", []):
        if item["question"] not in now:
            answer = "yes" if item["answer"] else "no"
            found.append(f"No longer answered {answer} from the kind of incident: "
                         f"‘{_short(texts.get(item['question'], item['question']))}’")
    required_now = [(r["agency"], r.get("when")) for r in effective.get("required_referrals", [])]
    for item in shipped.get("required_referrals", []):
        if (item["agency"], item.get("when")) not in required_now:
            found.append(f"No longer requires a referral to {item['to']}")
    required_then = [(r["agency"], r.get("when")) for r in shipped.get("required_referrals", [])]
    for item in effective.get("required_referrals", []):
        if (item["agency"], item.get("when")) not in required_then:  # J8: a nation's guidance adds one
            found.append(f"Also requires a referral to {item['to']}: {item['reason']}")
    links_then = {a["url"] for a in shipped.get("advice", [])}
    for link in effective.get("advice", []):
        if link["url"] not in links_then:
            found.append(f"Also lists: {link['title']}")
    shipped_kind, kind = shipped.get("kind_rules") or {}, effective.get("kind_rules") or {}
    for key in sorted(set(shipped_kind) | set(kind)):
        if shipped_kind.get(key) != kind.get(key):
            found.append(f"Changed for this kind of incident: {key.replace('_', ' ')}")
    return found


# ---- who may change it -------------------------------------------------------------


def may_read(user, school) -> bool:
    """Anyone who reads cases or manages procedures at the school may read its procedures."""
    return school is not None and bool(
        user.access.capabilities_in(school) & {Capability.READ_CASES, Capability.MANAGE_PROCEDURES})


def may_adapt_school(user, school) -> bool:
    return school is not None and user.access.can(Capability.MANAGE_PROCEDURES, school)


def may_adapt_trust(user, trust) -> bool:
    """Only a role held across the trust (not a role in one of its schools) may adapt it for the trust."""
    if trust is None:
        return False
    trust_id = trust if isinstance(trust, int) else trust.id
    return Capability.MANAGE_PROCEDURES in capabilities_of(user.access.trust_roles.get(trust_id, ()))


# ---- writing -----------------------------------------------------------------------


@transaction.atomic
def save_override(*, user, procedure_id, school=None, trust=None, changes, reason) -> ProcedureOverride:
    """Save `changes` as the next version of a school's or trust's adaptation. Return the new row.

    Check access (Http404, as for anything the user may not see), validate (ProcedureError
    with readable messages), save and audit in one transaction.
    """
    if (school is None) == (trust is None):
        raise ValueError("give exactly one of school or trust")
    if school is not None and not may_adapt_school(user, school):
        raise Http404("Not found")
    if trust is not None and not may_adapt_trust(user, trust):
        raise Http404("Not found")
    if procedure_id not in schema.load_all():
        raise ProcedureError(f"There is no procedure called {procedure_id!r}.")
    reason = (reason or "").strip()
    if not reason:
        raise ProcedureError("Give a reason for the change.", code="reason", field="reason")
    base = base_for(procedure_id, school=school, trust=trust)
    errors = overrides.validate(base, changes)
    if errors:
        raise ProcedureError(errors)

    # Lock the owner's row so two people saving at once get versions n and n+1 (PostgreSQL;
    # SQLite's IMMEDIATE transactions already serialise writers).
    owner = {"school": school} if school is not None else {"trust": trust}
    (School if school is not None else Trust).objects.select_for_update().filter(
        id=(school or trust).id).first()
    latest = ProcedureOverride.objects.filter(procedure_id=procedure_id, **owner).aggregate(n=Max("version"))["n"]
    row = ProcedureOverride.objects.create(
        procedure_id=procedure_id, version=(latest or 0) + 1, changes=changes, reason=reason,
        created_by=user, created_at=timezone.now(), **owner,
    )
    record(actor=user, action=Action.CREATE, object_type="procedure_override", object_id=row.id, school=school,
           changed_fields=sorted(changes),
           detail={"procedure": procedure_id, "version": row.version,
                   "owner": "school" if school is not None else "trust",
                   "trust": trust.id if trust is not None else school.trust_id})
    return row
