"""Validation of procedure definition files (procedures/definitions/<id>.toml).

Hand-written with the standard library only. `validate(definition)` returns a list
of human-readable problems (empty list = valid); `load_all()` loads every file,
validates it and raises ProcedureDefinitionError naming the file on any problem.

TOML has no null, so an ongoing task simply leaves out `due_after_minutes`; the
loader fills it in as None.

What a kind of incident carries whatever the answers (B14, B15, B16, F8) sits in four
sections that every file may leave out (a case pinned before they existed still loads):

- `[[yes_no_questions]]`: further yes/no questions about this kind (id, text, rules, hint);
- `[[implied_answers]]`: answers the kind implies (question, answer, reason, rules, and
  `legal = true` when the law or statutory guidance is the reason, `when` to imply it only
  when another answer is yes);
- `[[required_referrals]]`: referrals the kind requires (agency, to, reason, rules; `when`
  for a condition, `tasks` for the steps that make it, `within_working_days`, `decision`
  when a recorded decision not to refer, with its reason, also settles it, `answer_needed`
  when their answer must be recorded before the school acts);
- `[kind_rules]`: `may_resolve_directly` (B9, B16), `experimental_possible` (B8, B16) and
  `first_screen_warning` (F8).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from procedures import engine

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

RULE_ID = re.compile(r"^[A-IS]\d+(\.\d+)?$")
CRITERION_ID = re.compile(r"^B2\.[1-6]$")
FACTOR_ID = re.compile(r"^B3\.[1-7]$")
PROCEDURE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
GUIDANCE_WHEN = re.compile(r"^(always|experimental|may_resolve_directly|B2\.[1-6]|B3\.[1-7]|intent_to_harm)$")
PHASES = ("immediate", "short_term", "medium_term", "ongoing")
REQUIRED_OUTCOMES = ("refer", "seek_advice", "managed_in_school")
DEFAULT_SIGN_OFF_ROLES = ["headteacher", "trust_safeguarding_lead"]
# B8: the yes/no answers the typology asks about, when a procedure uses it.
TYPOLOGY_YES_NO = engine.TYPOLOGY_YES_NO
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
AGENCY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
KIND_RULES = {"may_resolve_directly": False, "experimental_possible": True, "first_screen_warning": ""}
IMPLIED_KEYS = {"question", "answer", "reason", "rules", "legal", "when"}
REQUIRED_KEYS = {"agency", "to", "reason", "rules", "when", "tasks", "within_working_days", "decision",
                 "answer_needed"}


class ProcedureDefinitionError(ValueError):
    """A definition file is missing, unreadable or invalid."""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _nonempty_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_rules(where: str, value, errors: list[str]) -> None:
    if not isinstance(value, list):
        errors.append(f"{where}: 'rules' must be a list of rule ids")
        return
    for rule in value:
        if not isinstance(rule, str) or not RULE_ID.match(rule):
            errors.append(f"{where}: {rule!r} is not a rule id like 'B2' or 'B2.1'")


def _check_items(
    definition: dict,
    key: str,
    text_key: str,
    errors: list[str],
    id_pattern: re.Pattern | None = None,
    required: bool = True,
) -> list[dict]:
    if key not in definition:
        if required:
            errors.append(f"missing required key '{key}'")
        return []
    items = definition[key]
    if not isinstance(items, list):
        errors.append(f"'{key}' must be a list")
        return []
    seen: set = set()
    good = []
    for n, item in enumerate(items):
        where = f"{key}[{n}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be a table with 'id', '{text_key}' and 'rules'")
            continue
        item_id = item.get("id")
        if not _nonempty_str(item_id):
            errors.append(f"{where}: 'id' must be a non-empty string")
        else:
            where = f"{key}[{n}] ({item_id})"
            if id_pattern is not None and not id_pattern.match(item_id):
                errors.append(f"{where}: id must match {id_pattern.pattern}")
            if item_id in seen:
                errors.append(f"{where}: duplicate id {item_id!r}")
            seen.add(item_id)
        if not _nonempty_str(item.get(text_key)):
            errors.append(f"{where}: '{text_key}' must be a non-empty string")
        _check_rules(where, item.get("rules"), errors)
        good.append(item)
    return good


def task_ids(tasks) -> list[str]:
    """The id of each task: its own, or "<phase>.<n>" counted within its phase, as `normalise` gives them."""
    counts: dict[str, int] = {}
    ids = []
    for t in tasks:
        phase = t.get("phase") if isinstance(t, dict) else None
        counts[phase] = counts.get(phase, 0) + 1
        ids.append((t.get("id") if isinstance(t, dict) else None) or f"{phase}.{counts[phase]}")
    return ids


def yes_no_ids(definition: dict) -> list[str]:
    """Every yes/no question this procedure asks: criteria, factors, the typology's and its own."""
    ids = [c.get("id") for c in definition.get("referral_criteria", []) if isinstance(c, dict)]
    ids += [f.get("id") for f in definition.get("escalation_factors", []) if isinstance(f, dict)]
    if definition.get("typology") is True:
        ids += list(TYPOLOGY_YES_NO)
    ids += [q.get("id") for q in definition.get("yes_no_questions", []) if isinstance(q, dict)]
    return [i for i in ids if isinstance(i, str)]


def _check_when(where: str, when, known: set, errors: list[str]) -> None:
    """A condition: one yes/no question id, or a list of them (any one answered yes)."""
    conditions = when if isinstance(when, list) else [when]
    if not conditions or not all(isinstance(c, str) for c in conditions):
        errors.append(f"{where}: 'when' must be a question id, or a list of them")
        return
    for c in conditions:
        if c not in known:
            errors.append(f"{where}: 'when' names {c!r}, which is not a yes/no question of this procedure")


def _check_kind(definition: dict, errors: list[str]) -> None:
    """B14, B15, B16, F8: yes/no questions, implied answers, required referrals and the kind's rules."""
    _check_items(definition, "yes_no_questions", "text", errors, QUESTION_ID, required=False)
    questions = definition.get("yes_no_questions", [])
    if isinstance(questions, list):
        clash = {q.get("id") for q in questions if isinstance(q, dict)} & set(TYPOLOGY_YES_NO)
        for qid in sorted(clash):
            errors.append(f"yes_no_questions ({qid}): {qid!r} is already a typology question")
    known = set(yes_no_ids(definition))

    implied = definition.get("implied_answers", [])
    if not isinstance(implied, list):
        errors.append("'implied_answers' must be a list")
        implied = []
    seen = set()
    for n, item in enumerate(implied):
        where = f"implied_answers[{n}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be a table with 'question', 'answer', 'reason' and 'rules'")
            continue
        question = item.get("question")
        where = f"implied_answers[{n}] ({question})"
        unknown = sorted(set(item) - IMPLIED_KEYS)
        if unknown:
            errors.append(f"{where}: unknown {', '.join(repr(k) for k in unknown)}")
        if question not in known:
            errors.append(f"{where}: there is no yes/no question {question!r} in this procedure "
                          "(a criterion, a factor, a typology question or one of its yes_no_questions)")
        if question in seen:
            errors.append(f"{where}: {question!r} is implied twice")
        seen.add(question)
        if not isinstance(item.get("answer"), bool):
            errors.append(f"{where}: 'answer' must be true or false")
        if not _nonempty_str(item.get("reason")):
            errors.append(f"{where}: 'reason' must say, in plain words, why this kind implies the answer")
        if "legal" in item and not isinstance(item["legal"], bool):
            errors.append(f"{where}: 'legal' must be true or false")
        if "when" in item:
            _check_when(where, item["when"], known - {question}, errors)
        _check_rules(where, item.get("rules"), errors)

    required = definition.get("required_referrals", [])
    if not isinstance(required, list):
        errors.append("'required_referrals' must be a list")
        required = []
    tasks = definition.get("tasks") if isinstance(definition.get("tasks"), list) else []
    known_tasks = set(task_ids(tasks))
    for n, item in enumerate(required):
        where = f"required_referrals[{n}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be a table with 'agency', 'to', 'reason' and 'rules'")
            continue
        agency = item.get("agency")
        where = f"required_referrals[{n}] ({agency})"
        unknown = sorted(set(item) - REQUIRED_KEYS)
        if unknown:
            errors.append(f"{where}: unknown {', '.join(repr(k) for k in unknown)}")
        if not isinstance(agency, str) or not AGENCY_ID.match(agency):
            errors.append(f"{where}: 'agency' must be an agency id such as 'police' or 'lado'")
        for key in ("to", "reason"):
            if not _nonempty_str(item.get(key)):
                errors.append(f"{where}: {key!r} must be a non-empty string")
        if "when" in item:
            _check_when(where, item["when"], known, errors)
        steps = item.get("tasks", [])
        if not isinstance(steps, list) or not all(isinstance(t, str) for t in steps):
            errors.append(f"{where}: 'tasks' must be a list of task ids")
        else:
            for t in steps:
                if t not in known_tasks:
                    errors.append(f"{where}: there is no task {t!r} (task ids: {', '.join(sorted(known_tasks))})")
        days = item.get("within_working_days")
        if days is not None and (not _is_int(days) or not 1 <= days <= 60):
            errors.append(f"{where}: 'within_working_days' must be a whole number from 1 to 60")
        for key in ("decision", "answer_needed"):
            if key in item and not isinstance(item[key], bool):
                errors.append(f"{where}: {key!r} must be true or false")
        _check_rules(where, item.get("rules"), errors)

    kind = definition.get("kind_rules", {})
    if not isinstance(kind, dict):
        errors.append("'kind_rules' must be a table")
        return
    for key in sorted(set(kind) - set(KIND_RULES)):
        errors.append(f"kind_rules: unknown {key!r} (known: {', '.join(KIND_RULES)})")
    for key in ("may_resolve_directly", "experimental_possible"):
        if key in kind and not isinstance(kind[key], bool):
            errors.append(f"kind_rules: {key!r} must be true or false")
    if "first_screen_warning" in kind and not isinstance(kind["first_screen_warning"], str):
        errors.append("kind_rules: 'first_screen_warning' must be a sentence")


def validate(definition) -> list[str]:
    """Return every problem found in a parsed definition; an empty list means valid."""
    errors: list[str] = []
    if not isinstance(definition, dict):
        return ["definition must be a table (dict)"]

    pid = definition.get("id")
    if not isinstance(pid, str) or not PROCEDURE_ID.match(pid):
        errors.append("'id' must be a lower-case string such as 'nudes-sharing'")
    version = definition.get("version")
    if not _is_int(version) or version < 1:
        errors.append("'version' must be an integer, 1 or more")
    if not _nonempty_str(definition.get("title")):
        errors.append("'title' must be a non-empty string")
    if "rules" not in definition:
        errors.append("missing required key 'rules'")
    else:
        _check_rules("procedure", definition["rules"], errors)
    if "typology" in definition and not isinstance(definition["typology"], bool):
        errors.append("'typology' must be true or false")
    roles = definition.get("sign_off_roles", DEFAULT_SIGN_OFF_ROLES)
    if not isinstance(roles, list) or not roles or not all(_nonempty_str(r) for r in roles):
        errors.append("'sign_off_roles' must be a non-empty list of role names")

    _check_items(definition, "initial_review_questions", "text", errors)
    _check_items(definition, "referral_criteria", "text", errors, CRITERION_ID, required=False)
    _check_items(definition, "escalation_factors", "text", errors, FACTOR_ID, required=False)
    _check_items(definition, "risk_questions", "text", errors)
    outcomes = _check_items(definition, "outcomes", "label", errors)
    outcome_ids = {o.get("id") for o in outcomes}
    for required in REQUIRED_OUTCOMES:
        if "outcomes" in definition and required not in outcome_ids:
            errors.append(f"outcomes: the B5 outcome {required!r} is missing")

    tasks = definition.get("tasks")
    if tasks is None:
        errors.append("missing required key 'tasks'")
    elif not isinstance(tasks, list) or not tasks:
        errors.append("'tasks' must be a non-empty list")
    else:
        for n, task in enumerate(tasks):
            where = f"tasks[{n}]"
            if not isinstance(task, dict):
                errors.append(f"{where}: must be a table")
                continue
            if task.get("phase") not in PHASES:
                errors.append(f"{where}: phase {task.get('phase')!r} must be one of {', '.join(PHASES)}")
            if not _nonempty_str(task.get("title")):
                errors.append(f"{where}: 'title' must be a non-empty string")
            due = task.get("due_after_minutes")
            if due is not None and (not _is_int(due) or due < 0):
                errors.append(f"{where}: 'due_after_minutes' must be a whole number of minutes, 0 or more, or left out")
            if "id" in task and not (
                _nonempty_str(task["id"]) and PROCEDURE_ID.match(task["id"].replace(".", "-").replace("_", "-"))
            ):
                errors.append(f"{where}: 'id' must be a short lower-case name")
            _check_rules(where, task.get("rules"), errors)

    _check_kind(definition, errors)

    for key in ("principles",):
        value = definition.get(key, [])
        if not isinstance(value, list) or not all(_nonempty_str(v) for v in value):
            errors.append(f"'{key}' must be a list of sentences")
    for key in ("guidance", "family_advice"):
        items = definition.get(key, [])
        if not isinstance(items, list):
            errors.append(f"'{key}' must be a list")
            continue
        for n, item in enumerate(items):
            where = f"{key}[{n}]"
            if not isinstance(item, dict) or not _nonempty_str(item.get("text")):
                errors.append(f"{where}: must be a table with 'text' and 'rules'")
                continue
            _check_rules(where, item.get("rules"), errors)
            when = item.get("when", "always")
            if key == "guidance" and not (isinstance(when, str) and GUIDANCE_WHEN.match(when)):
                errors.append(f"{where}: 'when' must be 'always', 'experimental', 'may_resolve_directly', "
                              "or a yes/no answer such as 'B2.1'")

    advice = definition.get("advice", [])
    if not isinstance(advice, list):
        errors.append("'advice' must be a list")
    else:
        for n, link in enumerate(advice):
            where = f"advice[{n}]"
            if not isinstance(link, dict):
                errors.append(f"{where}: must be a table with 'title', 'url' and 'rules'")
                continue
            if not _nonempty_str(link.get("title")):
                errors.append(f"{where}: 'title' must be a non-empty string")
            url = link.get("url")
            if not isinstance(url, str) or not url.startswith("https://"):
                errors.append(f"{where}: 'url' must start with https://")
            _check_rules(where, link.get("rules"), errors)
    return errors


def normalise(definition: dict) -> dict:
    """Fill in defaults: null due times for ongoing tasks, empty lists, sign-off roles, the kind's rules.

    A case keeps a copy of its procedure as it was when it opened, so code that reads a pinned
    copy must not rely on these defaults being there: `with_defaults` fills them in again.
    """
    d = with_defaults(definition)
    # Every task gets a stable id ("immediate.1", "short_term.3"...) unless the file names one,
    # so that an override can change one task and a case can tell its tasks apart.
    d["tasks"] = [{"id": tid, **t, "due_after_minutes": t.get("due_after_minutes")}
                  for tid, t in zip(task_ids(d["tasks"]), d["tasks"], strict=True)]
    return d


def with_defaults(definition: dict) -> dict:
    """A shallow copy of `definition` with every optional key present, for a pinned copy saved before the key
    existed (B14, B15, B16 and F8 arrived with version 3 of the imagery procedures)."""
    d = dict(definition)
    d.setdefault("typology", False)
    d.setdefault("sign_off_roles", list(DEFAULT_SIGN_OFF_ROLES))
    for key in ("referral_criteria", "escalation_factors", "advice", "principles", "guidance", "family_advice",
                "yes_no_questions", "implied_answers", "required_referrals"):
        d.setdefault(key, [])
    d["implied_answers"] = [{"legal": False, "rules": [], **i} for i in d["implied_answers"]]
    d["required_referrals"] = [{"rules": [], "tasks": [], "decision": False, "answer_needed": False,
                                "within_working_days": None, **r} for r in d["required_referrals"]]
    d["kind_rules"] = {**KIND_RULES, **(d.get("kind_rules") or {})}
    return d


def load_file(path: Path) -> dict:
    path = Path(path)
    try:
        with path.open("rb") as fh:
            definition = tomllib.load(fh)
    except OSError as exc:
        raise ProcedureDefinitionError(f"{path.name}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProcedureDefinitionError(f"{path.name}: is not valid TOML ({exc})") from exc
    errors = validate(definition)
    if not errors and definition["id"] != path.stem:
        errors.append(f"id {definition['id']!r} does not match the file name")
    if errors:
        raise ProcedureDefinitionError(f"{path.name}: " + "; ".join(errors))
    return normalise(definition)


def load_all(directory: Path | None = None) -> dict[str, dict]:
    """Load and validate every definition; return them keyed by id, in id order."""
    directory = Path(directory) if directory is not None else DEFINITIONS_DIR
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ProcedureDefinitionError(f"no procedure definitions found in {directory}")
    loaded = {}
    for path in files:
        definition = load_file(path)
        loaded[definition["id"]] = definition
    return loaded


def get(procedure_id: str, directory: Path | None = None) -> dict:
    """Load one definition by id, raising ProcedureDefinitionError if there is none."""
    directory = Path(directory) if directory is not None else DEFINITIONS_DIR
    if not isinstance(procedure_id, str) or not PROCEDURE_ID.match(procedure_id):
        raise ProcedureDefinitionError(f"unknown procedure {procedure_id!r}")
    path = directory / f"{procedure_id}.toml"
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted(directory.glob("*.toml")))
        raise ProcedureDefinitionError(f"unknown procedure {procedure_id!r} (known: {known})")
    return load_file(path)
