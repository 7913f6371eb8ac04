"""J7, B10: open cases pinned to an older version of their procedure, and moving or keeping each, with a reason."""

import json
from django.db import transaction
from django.db.models.fields.json import KT
from django.utils import timezone

from audit.log import Action
from cases import procedure_changes
from cases.access import CASES
from cases.actions import steps
from cases.actions.answers import reevaluate
from cases.actions.common import CaseError, add_entry, audit_case, require_manager, require_open, schedule_escalations
from cases.models import Case, Entry, Task, VersionChoice
from lib.compiled import Compiled
from procedures import nations
from procedures.models import ProcedureOverride
from procedures.schema import shipped_versions
from procedures.versions import differences, effective_for, latest_rows, merged, shipped
from schools.models import School


def waiting(user, school) -> list[dict]:
    """The open cases this person runs at `school` whose procedure has a newer version in force, not yet moved or
    kept for that version: {"case", "current", "changes"}, oldest case first.

    Cheap when nothing waits (the case list asks): one query, the files' version numbers (read once per change of
    the files); a whole procedure is built only for a case that is behind."""
    behind = _behind_rows(user, school)
    if not behind:
        return []
    # The whole pinned copy is read, in one more query, only for the cases that are behind.
    others = [name for name in Case.JSON_FIELDS if name != "procedure"]
    cases = Case.objects.filter(id__in=[case_id for case_id, *_ in behind]).defer(*others).in_bulk()
    built, found = {}, []
    for case_id, pid, trust_row, school_row in behind:
        if pid not in built:
            built[pid] = merged(shipped(pid), school, trust_row, school_row)
        now, case = built[pid], cases[case_id]
        found.append({"case": case, "current": now, "changes": procedure_changes.changes(case.procedure, now)})
    return found


def behind_ids(user, school) -> list[int]:
    """The ids of the cases `waiting` lists, oldest case first, without building any procedure: what the home page
    needs to link to each (issue 24)."""
    return [case_id for case_id, *_ in _behind_rows(user, school)]


def _behind_rows(user, school) -> list[tuple]:
    """[(case id, procedure id, trust row, school row)] of the open cases `user` runs at `school` that are behind.

    Reads rows, not cases: only the pinned versions kept beside each copy (issue 24: decoding every open case's
    4-15 KB pinned copy was most of the DSL home page; reading six numbers out of it in SQL still took 35 ms on SQLite
    and 77 ms on PostgreSQL, which decompresses the copy once a number, at a school with 950 open cases), and the
    team's choices only for a case whose numbers differ."""
    visible = CASES.visible(user, school, CASES.Verb.MANAGE).filter(status=Case.Status.OPEN)
    rows = list(visible.order_by("opened_at", "id").values_list("id", "procedure_id", "pinned_versions"))
    if not rows:
        return []
    kept = {}  # the few distinct texts, decoded once
    if any(text is None for *_, text in rows):  # closed before the versions were kept, and reopened unsaved since
        for case_id, *pinned in (visible.filter(pinned_versions__isnull=True)
                                 .annotate(**{name: KT(f"procedure__{path}") for name, path in _PINNED})
                                 .values_list("id", *(name for name, _ in _PINNED))):
            kept[case_id] = _pinned_numbers(*pinned)
    overrides = list(ProcedureOverride.objects.for_school(school))
    numbers = shipped_versions()
    layer = nations.layer(school.nation)
    differ = []
    for case_id, pid, text in rows:
        if pid not in numbers:
            continue
        trust_row, school_row = latest_rows(overrides, pid)
        versions = (numbers[pid], trust_row.version if trust_row else None, school_row.version if school_row else None)
        if layer is not None:
            versions += (school.nation, layer["version"])
        if text is None:
            pinned = kept[case_id]
        elif (pinned := kept.get(text)) is None:
            pinned = kept[text] = tuple(json.loads(text))
        if pinned != versions:
            differ.append((case_id, pid, trust_row, school_row, versions))
    if not differ:
        return []
    chosen = {}
    for case_id, to_versions in VersionChoice.objects.filter(case_id__in=[row[0] for row in differ]).values_list(
            "case_id", "to_versions"):
        chosen.setdefault(case_id, []).append(list(to_versions))
    return [(case_id, pid, trust_row, school_row) for case_id, pid, trust_row, school_row, versions in differ
            if list(versions) not in chosen.get(case_id, ())]


# (annotation, JSON path in the pinned copy) for procedure_changes.pinned_versions without decoding the copy.
_PINNED = (("pinned_version", "version"), ("pinned_shipped", "pinned__shipped_version"),
           ("pinned_trust", "pinned__trust_version"), ("pinned_school", "pinned__school_version"),
           ("pinned_nation", "pinned__nation"), ("pinned_nation_version", "pinned__nation_version"))


def _number(text):
    return None if text in (None, "null") else int(text)  # SQLite gives JSON null as "null"


def _pinned_numbers(version, shipped_version, trust, school, nation, nation_version) -> tuple:
    """The versions a case's pinned copy keeps to, from the `_PINNED` annotations: what
    `procedure_changes.pinned_versions` gives from the decoded copy."""
    pinned = (_number(shipped_version if shipped_version is not None else version), _number(trust), _number(school))
    if _number(nation_version) is not None:  # J8: a nation's layer is part of the pinned copy
        pinned += (nation, _number(nation_version))
    return pinned


def _behind(case, current) -> bool:
    return _behind_versions(case, procedure_changes.pinned_versions(current))


def _behind_versions(case, versions) -> bool:
    if tuple(procedure_changes.pinned_versions(case.procedure)) == tuple(versions):
        return False
    return not any(list(c.to_versions) == list(versions) for c in case.version_choices.all())


def _version_rows(school, procedure_id):
    return (ProcedureOverride.objects.for_school(school).filter(procedure_id=procedure_id).select_related(None)
            .only("id", "procedure_id", "trust_id", "school_id", "version"))


_VERSION_ROWS = Compiled(lambda school_id, trust_id, procedure_id: _version_rows(
    School(id=school_id, trust_id=trust_id), procedure_id))


def newer_version(case):
    """The version in force for this case's procedure if it is newer than the case's and not yet chosen, or None.
    Decided from the version numbers (the files' and the overrides'); the procedure in force is built only when the
    case is behind (issue 24: building it on every case page cost 7% of the page)."""
    pid, numbers = case.procedure_id, shipped_versions()
    if pid not in numbers:
        current = effective_for(case.school, pid)
        return current if _behind(case, current) else None
    # The version numbers only; a row's changes are read (one query each, two at most) only when the case is behind.
    school = case.school
    if "trust_id" in school.get_deferred_fields():
        rows = list(_version_rows(school, pid))
    else:  # the case page's school, read whole: SQL compiled once (lib/compiled.py)
        rows = _VERSION_ROWS(school.id, school.trust_id, pid)
    trust_row, school_row = latest_rows(rows, pid)
    versions = (numbers[pid], trust_row.version if trust_row else None, school_row.version if school_row else None)
    layer = nations.layer(case.school.nation)
    if layer is not None:
        versions += (case.school.nation, layer["version"])
    if not _behind_versions(case, versions):
        return None
    return merged(shipped(pid), case.school, trust_row, school_row)


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Give the reason for your choice.", field="reason")
    return reason


@transaction.atomic
def move_to_current(*, user, case, reason):
    """Move an open case to the version of its procedure in force now. New steps are added, due as if the case
    had opened with them; open steps whose words or times changed follow the new version; steps the new version
    no longer has stay on the case for the team to close with a reason. Audited; the chronology says what changed."""
    require_manager(user, case)
    require_open(case)
    reason = _reason(reason)
    current = newer_version(case)
    if current is None:
        raise CaseError("This case already follows the version in force.")
    current["pinned"]["differences"] = differences(shipped(case.procedure_id), current)
    old = case.procedure
    found = procedure_changes.changes(old, current)
    now = timezone.now()
    case.procedure = current
    case.save(update_fields=["procedure"])
    have = {t.key: t for t in case.tasks.all()}
    added = Task.objects.bulk_create([
        Task(case=case, key=t["id"], phase=t["phase"], title=t["title"], rules=t["rules"],
             **dict(zip(("due_at", "due_before_open"), steps.opening_due(case, t["due_after_minutes"], now),
                        strict=True)))
        for t in current["tasks"] if t["id"] not in have])
    for t in current["tasks"]:
        task = have.get(t["id"])
        if task is not None and task.is_open and (task.title, task.rules) != (t["title"], t["rules"]):
            task.title, task.rules = t["title"], t["rules"]
            task.save(update_fields=["title", "rules"])
    gone = [t.title for key, t in have.items() if t.is_open and key not in {s["id"] for s in current["tasks"]}]
    schedule_escalations([t for t in added if t.due_at])
    choice = VersionChoice.objects.create(
        case=case, moved=True, from_label=procedure_changes.label(old), to_label=procedure_changes.label(current),
        to_versions=list(procedure_changes.pinned_versions(current)), reason=reason, decided_by=user, decided_at=now)
    words = [f"Moved to {choice.to_label} from {choice.from_label}. Reason: {reason}",
             summary(found)]
    if gone:
        words.append("Still open from the earlier version, to close with a reason: " + "; ".join(gone) + ".")
    add_entry(case, Entry.Kind.PROCEDURE, user, " ".join(w for w in words if w),
              ["J7", "B10"])
    audit_case(user, case, Action.UPDATE, ["procedure"], version_choice=choice.id, moved=True,
               from_version=choice.from_label, to_version=choice.to_label, changes=len(found))
    reevaluate(user=user, case=case, why="the procedure moved to a new version")
    return choice


@transaction.atomic
def keep_version(*, user, case, reason):
    """Keep an open case on the version of its procedure it follows, though a newer one is in force (B10: the
    reason is recorded). Audited; the chronology says so; the case is not listed again for that version."""
    require_manager(user, case)
    require_open(case)
    reason = _reason(reason)
    current = newer_version(case)
    if current is None:
        raise CaseError("This case already follows the version in force.")
    choice = VersionChoice.objects.create(
        case=case, moved=False, from_label=procedure_changes.label(case.procedure),
        to_label=procedure_changes.label(current), to_versions=list(procedure_changes.pinned_versions(current)),
        reason=reason, decided_by=user, decided_at=timezone.now())
    add_entry(case, Entry.Kind.PROCEDURE, user,
              f"Kept on {choice.from_label}; {choice.to_label} is now in force. Reason: {reason}", ["J7", "B10"])
    audit_case(user, case, Action.UPDATE, [], version_choice=choice.id, moved=False,
               from_version=choice.from_label, to_version=choice.to_label)
    return choice


def summary(found) -> str:
    """"2 added, 1 changed, 1 removed." in words, for the chronology."""
    counts = {kind: sum(1 for c in found if c["change"] == kind) for kind in ("added", "changed", "removed")}
    parts = [f"{n} {kind}" for kind, n in counts.items() if n]
    return ("What changed: " + ", ".join(parts) + ".") if parts else "Nothing the case follows changed."
