"""Validation of procedure definition files (procedures/definitions/<id>.toml).

Hand-written with the standard library only. `validate(definition)` returns a list
of human-readable problems (empty list = valid); `load_all()` loads every file,
validates it and raises ProcedureDefinitionError naming the file on any problem.

TOML has no null, so an ongoing task simply leaves out `due_after_minutes`; the
loader fills it in as None.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

RULE_ID = re.compile(r"^[A-IS]\d+(\.\d+)?$")
CRITERION_ID = re.compile(r"^B2\.[1-6]$")
FACTOR_ID = re.compile(r"^B3\.[1-7]$")
PROCEDURE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
GUIDANCE_WHEN = re.compile(r"^(always|experimental|B2\.[1-6]|B3\.[1-7]|intent_to_harm)$")
PHASES = ("immediate", "short_term", "medium_term", "ongoing")
REQUIRED_OUTCOMES = ("refer", "seek_advice", "managed_in_school")
DEFAULT_SIGN_OFF_ROLES = ["headteacher", "trust_safeguarding_lead"]


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
                errors.append(f"{where}: 'when' must be 'always', 'experimental', or a yes/no answer such as 'B2.1'")

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
    """Fill in defaults: null due times for ongoing tasks, empty lists, sign-off roles."""
    d = dict(definition)
    d.setdefault("typology", False)
    d.setdefault("sign_off_roles", list(DEFAULT_SIGN_OFF_ROLES))
    for key in ("referral_criteria", "escalation_factors", "advice", "principles", "guidance", "family_advice"):
        d.setdefault(key, [])
    # Every task gets a stable id ("immediate.1", "short_term.3"...) unless the file names one,
    # so that an override can change one task and a case can tell its tasks apart.
    counts: dict[str, int] = {}
    tasks = []
    for t in d["tasks"]:
        counts[t["phase"]] = counts.get(t["phase"], 0) + 1
        tasks.append({"id": t.get("id") or f"{t['phase']}.{counts[t['phase']]}", **t,
                      "due_after_minutes": t.get("due_after_minutes")})
    d["tasks"] = tasks
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
