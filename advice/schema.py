"""Validation of the advice scripts (advice/scripts/<id>.toml) and the resources directory
(advice/resources.toml). Standard library only, like procedures/schema.py.

`validate_script(script, resource_ids)` and `validate_resource(resource)` return a list
of readable problems (empty = valid). `load_scripts()` and `load_resources()` load every
file, validate it and raise AdviceDefinitionError naming the file on any problem. The
system check in advice/checks.py calls both at start-up.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from procedures.schema import RULE_ID

HERE = Path(__file__).resolve().parent
SCRIPTS_DIR = HERE / "scripts"
RESOURCES_FILE = HERE / "resources.toml"

SCRIPT_ID = re.compile(r"^[a-z][a-z0-9-]*$")
RESOURCE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
AUDIENCES = ("child", "parent")
# D3/D4: three situations by the child's role, plus sextortion (E6) and, for a child who was
# groomed, pressured or coerced, the advice for a victim of that abuse (D9).
SITUATIONS = ("imagery_shared", "received", "shared_or_created", "sextortion", "groomed")
# Where in a case each resource is useful. The case page asks `resources_for(step)`.
STEPS = {
    "emergency": "A child is in immediate danger",
    "referral": "Making a referral",
    "removal": "Getting images taken down",
    "extortion": "Someone is threatening to share images",
    "illegal_content": "Reporting child sexual abuse material",
    "support": "Support for the child and family",
    "advice_unsure": "When you are not sure what to do",
    "harmful_content": "Harmful content that is not illegal",
    "hate": "Online hate",
    "radicalisation": "Radicalisation and extremism",
    "staff_allegation": "A concern about a member of staff",
    "fraud": "Fraud and hacked accounts",
    "learning": "Learning about online safety",
}
MAX_PARAGRAPH = 2000
MAX_PARAGRAPHS = 40

# D6: words that blame a child. No script, shipped or reworded by a school, may use them.
# Written so that reassurance is phrased without them ("they are responsible, not you").
BLAMING_PHRASES = (
    "should not have",
    "shouldn't have",
    "should never have",
    "your fault",
    "your own fault",
    "stupid",
    "naughty",
    "silly",
    "why did you",
    "why have you",
    "what were you thinking",
    "asking for it",
    "brought it on",
    "disgusting",
    "irresponsible",
)


# D9: the situations whose scripts are read by a child who was harmed. Their advice never tells
# the child to delete anything (it may be evidence), to contact the person who sent, shared or
# threatened (that can warn an offender or put the child at risk), or warns them about the
# behaviour policy. A clause that says "do not", "never" or "stop" is the opposite, and allowed.
VICTIM_SITUATIONS = ("imagery_shared", "received", "sextortion", "groomed")
_PERSON = r"(them|him|her|the sender|the person|the offender|whoever)"
D9_INSTRUCTIONS = (
    ("delete anything", re.compile(r"\b(delete|deleting|erase|erasing|wipe|wiping)\b", re.I)),
    ("contact the person who sent, shared or threatened",
     re.compile(r"\b(ask|tell)(ing)? " + _PERSON + r"\b[^.;:!?]*\bstop\b"
                r"|\b(speak|speaking|talk|talking|reply|replying|write|writing|respond|responding|message|messaging"
                r"|answer|answering|contact|contacting)( to| back to)? " + _PERSON + r"\b", re.I)),
    ("warn about the behaviour policy", re.compile(r"\bbehaviour polic(y|ies)\b", re.I)),
)
_NEGATION = re.compile(r"\b(not|never|stop|don't|do n't)\b|n't\b", re.I)
_CLAUSE = re.compile(r"[^.;:!?,]+")


def d9_instructions_in(text: str) -> list[str]:
    """Return what `text` tells a child or family to do that rule D9 forbids in a victim's advice."""
    found = []
    for clause in _CLAUSE.findall(text.replace("\u2019", "'")):
        for what, pattern in D9_INSTRUCTIONS:
            for match in pattern.finditer(clause):
                if what.startswith("warn") or not _NEGATION.search(clause[: match.start()]):
                    found.append(what)
                    break
    return list(dict.fromkeys(found))


class AdviceDefinitionError(ValueError):
    """A script or resource file is missing, unreadable or invalid."""


def _nonempty_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def blaming_phrases_in(text: str) -> list[str]:
    """Return the D6 blaming phrases found in `text` (case and apostrophe style ignored)."""
    plain = text.lower().replace("\u2019", "'")
    return [phrase for phrase in BLAMING_PHRASES if phrase in plain]


def paragraph_problems(paragraphs, situation=None) -> list[str]:
    """Problems with a list of paragraphs: shipped scripts and schools' rewordings alike.

    `situation`: the script's situation; a victim's advice (VICTIM_SITUATIONS) is also held to D9.
    """
    if not isinstance(paragraphs, list) or not paragraphs:
        return ["keep at least one paragraph"]
    if len(paragraphs) > MAX_PARAGRAPHS:
        return [f"use at most {MAX_PARAGRAPHS} paragraphs"]
    errors = []
    for n, text in enumerate(paragraphs, start=1):
        if not _nonempty_str(text):
            errors.append(f"paragraph {n} is empty")
        elif len(text) > MAX_PARAGRAPH:
            errors.append(f"paragraph {n} is longer than {MAX_PARAGRAPH} characters")
        else:
            found = blaming_phrases_in(text)
            if found:
                words = ", ".join(f"‘{w}’" for w in found)
                errors.append(f"paragraph {n} uses words that can blame a child ({words}): "
                              "rule D6 asks for advice free of blame")
            if situation in VICTIM_SITUATIONS:
                for what in d9_instructions_in(text):
                    errors.append(f"paragraph {n} tells a child who was harmed to {what}: rule D9 keeps "
                                  "that out of a victim's advice (say what not to do instead)")
    return errors


def _check_rules(where: str, value, errors: list[str]) -> None:
    if not isinstance(value, list) or not value:
        errors.append(f"{where}'rules' must be a non-empty list of rule ids")
        return
    for rule in value:
        if not isinstance(rule, str) or not RULE_ID.match(rule):
            errors.append(f"{where}{rule!r} is not a rule id like 'D3'")


def validate_script(script, resource_ids=None) -> list[str]:
    """Return every problem in a parsed script; an empty list means valid.

    `resource_ids`, when given, are the ids in the resources directory: every link must
    name one of them.
    """
    if not isinstance(script, dict):
        return ["a script must be a table"]
    errors: list[str] = []
    known = {"id", "version", "audience", "situation", "title", "heading", "paragraphs", "rules", "links"}
    unknown = sorted(set(script) - known)
    if unknown:
        errors.append(f"unknown key(s) {', '.join(map(repr, unknown))}")
    if not isinstance(script.get("id"), str) or not SCRIPT_ID.match(script["id"]):
        errors.append("'id' must be a lower-case name such as 'received-child'")
    version = script.get("version")
    if not _is_int(version) or version < 1:
        errors.append("'version' must be a whole number, 1 or more")
    if script.get("audience") not in AUDIENCES:
        errors.append(f"'audience' must be one of {', '.join(AUDIENCES)}")
    if script.get("situation") not in SITUATIONS:
        errors.append(f"'situation' must be one of {', '.join(SITUATIONS)}")
    for key in ("title", "heading"):
        if not _nonempty_str(script.get(key)):
            errors.append(f"'{key}' must be a non-empty string")
    errors += [f"paragraphs: {e}" for e in paragraph_problems(script.get("paragraphs"), script.get("situation"))]
    _check_rules("", script.get("rules"), errors)
    links = script.get("links", [])
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        errors.append("'links' must be a list of resource ids")
    elif resource_ids is not None:
        for link in links:
            if link not in resource_ids:
                errors.append(f"links: there is no resource {link!r} in resources.toml")
    return errors


def validate_resource(resource) -> list[str]:
    """Return every problem in one entry of the resources directory."""
    if not isinstance(resource, dict):
        return ["each resource must be a table"]
    errors: list[str] = []
    known = {"id", "name", "what_for", "url", "phone", "how_to_reach", "rules", "steps"}
    unknown = sorted(set(resource) - known)
    if unknown:
        errors.append(f"unknown key(s) {', '.join(map(repr, unknown))}")
    if not isinstance(resource.get("id"), str) or not RESOURCE_ID.match(resource["id"]):
        errors.append("'id' must be a lower-case name such as 'childline'")
    for key in ("name", "what_for"):
        if not _nonempty_str(resource.get(key)):
            errors.append(f"'{key}' must be a non-empty string")
    url = resource.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith("https://")):
        errors.append("'url' must start with https://")
    for key in ("phone", "how_to_reach"):
        if key in resource and not _nonempty_str(resource[key]):
            errors.append(f"'{key}' must be a non-empty string when given")
    if not any(resource.get(k) for k in ("url", "phone", "how_to_reach")):
        errors.append("give a 'url', a 'phone' number or 'how_to_reach'")
    _check_rules("", resource.get("rules"), errors)
    steps = resource.get("steps")
    if not isinstance(steps, list) or not steps:
        errors.append("'steps' must be a non-empty list")
    else:
        for step in steps:
            if step not in STEPS:
                errors.append(f"steps: {step!r} is not one of {', '.join(STEPS)}")
    return errors


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise AdviceDefinitionError(f"{path.name}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise AdviceDefinitionError(f"{path.name}: is not valid TOML ({exc})") from exc


def read_resources(path: Path | None = None) -> list[dict]:
    """Load and validate the resources directory; return its entries in file order."""
    path = Path(path) if path is not None else RESOURCES_FILE
    data = _read_toml(path)
    entries = data.get("resource")
    if not isinstance(entries, list) or not entries:
        raise AdviceDefinitionError(f"{path.name}: needs at least one [[resource]]")
    errors, seen = [], set()
    for n, entry in enumerate(entries):
        name = entry.get("id", n) if isinstance(entry, dict) else n
        errors += [f"resource {name}: {e}" for e in validate_resource(entry)]
        if isinstance(entry, dict):
            if entry.get("id") in seen:
                errors.append(f"resource {name}: the id is used twice")
            seen.add(entry.get("id"))
    if errors:
        raise AdviceDefinitionError(f"{path.name}: " + "; ".join(errors))
    return [{"url": "", "phone": "", "how_to_reach": "", **entry} for entry in entries]


def read_scripts(directory: Path | None = None, resource_ids=None) -> dict[str, dict]:
    """Load and validate every script; return them keyed by id, in id order."""
    directory = Path(directory) if directory is not None else SCRIPTS_DIR
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise AdviceDefinitionError(f"no advice scripts found in {directory}")
    if resource_ids is None:
        resource_ids = {r["id"] for r in read_resources()}
    scripts, slots = {}, {}
    for path in files:
        script = _read_toml(path)
        errors = validate_script(script, resource_ids)
        if not errors and script["id"] != path.stem:
            errors.append(f"id {script['id']!r} does not match the file name")
        if not errors:
            slot = (script["situation"], script["audience"])
            if slot in slots:
                errors.append(f"{slots[slot]} is already the {script['audience']} script for {script['situation']}")
            slots[slot] = script["id"]
        if errors:
            raise AdviceDefinitionError(f"{path.name}: " + "; ".join(errors))
        scripts[script["id"]] = {"links": [], **script}
    return scripts


# The files ship with the code and do not change while it runs, so they are read once.
@cache
def load_resources() -> tuple[dict, ...]:
    return tuple(read_resources())


@cache
def load_scripts() -> dict[str, dict]:
    return read_scripts(resource_ids={r["id"] for r in load_resources()})
