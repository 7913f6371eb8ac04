"""The scripted messages of an incident that affects many (rule E2 *Communicate*): communications/texts/<id>.toml,
and the pydantic model that checks them.

A template is what the school tells one audience (all staff, all parents and carers, or pupils), for the kinds of
incident that list it in `offered_for`. It is written in parts, and every part must be there, because a message to
many people must say each of these things (E2, E5):

- `known`: what is known, in general terms, naming no child;
- `doing`: what the school is doing, with whom (the police, the local safeguarding team);
- `please_do` and `please_do_not`: what the reader should and should not do (do not share or search for the
  material; in a sextortion case do not delete evidence);
- `help`: where to get help.

Square brackets mark what the DSL fills in or takes out ("[the date]"); a message cannot be recorded while one is
left (`communications.actions`). Words that blame a child are refused, as in the advice scripts (D6). Loaded
templates are plain dicts; `load_templates()` reads the files once.
"""

import re
from functools import cache
from pathlib import Path

from advice.schema import blaming_phrases_in
from lib import datafiles
from lib.datafiles import Table, checked, is_int, matches, nonempty_str, one_of

HERE = Path(__file__).resolve().parent
TEXTS_DIR = HERE / "texts"

TEMPLATE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
# Who a message is for, in the words the pages use.
AUDIENCES = {
    "staff": "All staff",
    "parents": "All parents and carers",
    "pupils": "Pupils",
}
# The parts of a message, in the order it is written, with the heading each has in the text.
PARTS = (
    ("known", "What we know"),
    ("doing", "What the school is doing"),
    ("please_do", "What we ask you to do"),
    ("please_do_not", "What we ask you not to do"),
    ("help", "Where to get help"),
)
MAX_PARAGRAPH = 1500
MAX_PARAGRAPHS = 12
# Rule ids of PROCEDURES.md, the later sections (J, P) included.
RULE_ID = re.compile(r"^[A-JPS]\d+(\.\d+)?$")
PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,120}\]")


class CommunicationsDefinitionError(ValueError):
    """A template file is missing, unreadable or invalid."""


def paragraphs_ok(paragraphs) -> bool:
    """One part's paragraphs: 1 to MAX_PARAGRAPHS, none empty or too long, none blaming a child (D6)."""
    return (isinstance(paragraphs, list) and 0 < len(paragraphs) <= MAX_PARAGRAPHS
            and all(nonempty_str(p) and len(p) <= MAX_PARAGRAPH and not blaming_phrases_in(p) for p in paragraphs))


Text = checked(str, nonempty_str, "{field} must be a non-empty string")
Paragraphs = checked(list[str], paragraphs_ok, "{field} must be a list of 1 to "
                     f"{MAX_PARAGRAPHS} paragraphs, none empty, none longer than {MAX_PARAGRAPH} characters, "
                     "and none with words that blame a child (rule D6)")
RuleId = checked(str, matches(RULE_ID), "{value} is not a rule id like 'E2'")
ProcedureId = checked(str, matches(TEMPLATE_ID), "{value} is not a procedure id like 'sextortion'")


class Template(Table):
    """One scripted message for one audience (E2, E5, E6, D6)."""

    id: checked(str, matches(TEMPLATE_ID), "{field} must be a lower-case name such as 'sextortion-parents'")
    version: checked(int, lambda v: is_int(v) and v >= 1, "{field} must be a whole number, 1 or more")
    audience: checked(str, one_of(AUDIENCES), "{field} must be one of " + ", ".join(AUDIENCES))
    title: Text
    heading: Text
    offered_for: checked(list[ProcedureId], lambda v: isinstance(v, list) and v != [],
                         "{field} must list at least one procedure id")
    rules: checked(list[RuleId], lambda v: isinstance(v, list) and v != [], "{field} must be a non-empty list")
    opening: Paragraphs
    known: Paragraphs
    doing: Paragraphs
    please_do: Paragraphs
    please_do_not: Paragraphs
    help: Paragraphs
    closing: Paragraphs


def validate_template(template, procedure_ids=None) -> list[str]:
    """Every problem in a parsed template, in plain words; [] means valid. `procedure_ids`, when given, are the
    known procedures: every one `offered_for` names must be among them."""
    model, errors = datafiles.validate(Template, template, wording={
        "extra_forbidden": "unknown key(s) {field}", **datafiles.whole_must_be_a_table("a template")})
    if model is not None and procedure_ids is not None:
        errors += [f"offered_for: there is no procedure {p!r}" for p in model.offered_for if p not in procedure_ids]
    return errors


def read_templates(directory: Path | None = None, procedure_ids=None) -> dict[str, dict]:
    """Load and validate every template; return them keyed by id, in id order. Each kind of incident has at most
    one template per audience."""
    directory = Path(directory) if directory is not None else TEXTS_DIR
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise CommunicationsDefinitionError(f"no message templates found in {directory}")
    if procedure_ids is None:
        from procedures.schema import load_all

        procedure_ids = set(load_all())
    templates, slots = {}, {}
    for path in files:
        data = datafiles.read_toml(path, CommunicationsDefinitionError)
        errors = validate_template(data, procedure_ids)
        if not errors and data["id"] != path.stem:
            errors.append(f"id {data['id']!r} does not match the file name")
        if not errors:
            for procedure in data["offered_for"]:
                slot = (procedure, data["audience"])
                if slot in slots:
                    errors.append(f"{slots[slot]} is already the {data['audience']} message for {procedure}")
                slots[slot] = data["id"]
        if errors:
            raise CommunicationsDefinitionError(f"{path.name}: " + "; ".join(errors))
        templates[data["id"]] = Template.model_validate(data).model_dump()
    return templates


@cache
def load_templates() -> dict[str, dict]:
    """The shipped templates: files that ship with the code and do not change while it runs, read once."""
    return read_templates()


def offered_for(procedure_id: str) -> list[dict]:
    """The templates a kind of incident offers, in audience order (staff, parents, pupils)."""
    found = [t for t in load_templates().values() if procedure_id in t["offered_for"]]
    return sorted(found, key=lambda t: list(AUDIENCES).index(t["audience"]))


def as_text(template: dict) -> str:
    """The template as one text for the DSL to adapt: its heading, opening, each part under its heading, closing.
    Paragraphs are separated by a blank line."""
    blocks = [template["heading"], *template["opening"]]
    for key, heading in PARTS:
        blocks += [heading, *template[key]]
    blocks += template["closing"]
    return "\n\n".join(blocks)


def placeholders_in(text: str) -> list[str]:
    """The parts in square brackets still to be filled in, each once, in order."""
    return list(dict.fromkeys(PLACEHOLDER.findall(text or "")))
