"""The advice scripts (advice/scripts/<id>.toml) and the resources directory (advice/resources.toml),
and the pydantic models that check them.

`validate_script(script, resource_ids)` and `validate_resource(resource)` return a list
of readable problems (empty = valid). `load_scripts()` and `load_resources()` load every
file, validate it and raise AdviceDefinitionError naming the file on any problem. The
system check in advice/checks.py calls both at start-up. Loaded scripts and resources are
plain dicts.
"""

import re
from functools import cache
from pathlib import Path
from typing import Annotated

from django.utils.translation import gettext_noop
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from lib import datafiles
from lib.datafiles import Table, checked, each_once, https, is_int, matches, nonempty_str, one_of, problem, refuse
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
# J8: the UK's nations, as a school's nation names them (schools/nations.py); a resource may serve only some.
NATIONS = ("england", "wales", "scotland", "northern_ireland")
# Where in a case each resource is useful. The case page asks `resources_for(step)`. Marked for translation (J8).
STEPS = {
    "emergency": gettext_noop("A child is in immediate danger"),
    "referral": gettext_noop("Making a referral"),
    "removal": gettext_noop("Getting images taken down"),
    "extortion": gettext_noop("Someone is threatening to share images"),
    "illegal_content": gettext_noop("Reporting child sexual abuse material"),
    "support": gettext_noop("Support for the child and family"),
    "advice_unsure": gettext_noop("When you are not sure what to do"),
    "harmful_content": gettext_noop("Harmful content that is not illegal"),
    "hate": gettext_noop("Online hate"),
    "radicalisation": gettext_noop("Radicalisation and extremism"),
    "staff_allegation": gettext_noop("A concern about a member of staff"),
    "fraud": gettext_noop("Fraud and hacked accounts"),
    "learning": gettext_noop("Learning about online safety"),
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


def blaming_phrases_in(text: str) -> list[str]:
    """Return the D6 blaming phrases found in `text` (case and apostrophe style ignored)."""
    plain = text.lower().replace("\u2019", "'")
    return [phrase for phrase in BLAMING_PHRASES if phrase in plain]


def paragraph_problems(paragraphs, situation=None, *, blaming=None) -> list[str]:
    """Problems with a list of paragraphs: shipped scripts and schools' rewordings alike, and their Welsh.

    `situation`: the script's situation; a victim's advice (VICTIM_SITUATIONS) is also held to D9 (English only).
    `blaming`: finds the words that blame a child in the paragraphs' language (English unless given).
    """
    if not isinstance(paragraphs, list) or not paragraphs:
        return ["keep at least one paragraph"]
    if len(paragraphs) > MAX_PARAGRAPHS:
        return [f"use at most {MAX_PARAGRAPHS} paragraphs"]
    errors = []
    for n, text in enumerate(paragraphs, start=1):
        if not nonempty_str(text):
            errors.append(f"paragraph {n} is empty")
        elif len(text) > MAX_PARAGRAPH:
            errors.append(f"paragraph {n} is longer than {MAX_PARAGRAPH} characters")
        else:
            found = (blaming or blaming_phrases_in)(text)
            if found:
                words = ", ".join(f"‘{w}’" for w in found)
                errors.append(f"paragraph {n} uses words that can blame a child ({words}): "
                              "advice must be free of blame")
            if situation in VICTIM_SITUATIONS:
                for what in d9_instructions_in(text):
                    errors.append(f"paragraph {n} tells a child who was harmed to {what}: a victim's advice never "
                                  "asks that (say what not to do instead)")
    return errors


# ---- the models ---------------------------------------------------------------------------------

Text = checked(str, nonempty_str, "{field} must be a non-empty string")
RuleId = checked(str, matches(RULE_ID), "{value} is not a rule id like 'D3'")
Rules = checked(list[RuleId], lambda v: isinstance(v, list) and v != [], "{field} must be a non-empty list of rule ids")
# Unknown keys are named as they always were in these files.
WORDING = {"extra_forbidden": "unknown key(s) {field}"}


# D6 in Welsh: words that blame a child, refused in a script's Welsh text as the English ones are in its English.
BLAMING_PHRASES_CY = (
    "dy fai di",
    "dy fai dy hun",
    "eich bai chi",
    "ei fai ei hun",
    "ei bai ei hun",
    "twp",
    "drwg",
    "ffôl",
    "dylet ti ddim fod wedi",
    "dylech chi ddim fod wedi",
    "pam wnest ti",
    "pam wnaethoch chi",
    "ffiaidd",
    "anghyfrifol",
)


def blaming_phrases_in_welsh(text: str) -> list[str]:
    """The Welsh words that blame a child found in `text` (D6)."""
    plain = re.sub(r"\s+", " ", text.lower().replace("\u2019", "'"))
    return [p for p in BLAMING_PHRASES_CY if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", plain)]


def welsh_paragraph_problems(paragraphs) -> list[str]:
    """Problems with the Welsh paragraphs of a script: present, not too long, and free of blame (D6)."""
    return paragraph_problems(paragraphs, blaming=blaming_phrases_in_welsh)


class Welsh(Table):
    """J8: a script's Welsh text, for families and children at a school in Wales. It has its own version, and
    names the version of the English it translates: when the English changes, the Welsh must be brought up to date
    (until then the file is refused, so a family never reads a Welsh letter that says less than the English)."""

    translates: checked(int, lambda v: is_int(v) and v >= 1, "{field} must be the version of the English it translates")
    version: checked(int, lambda v: is_int(v) and v >= 1, "{field} must be a whole number, 1 or more")
    title: Text
    heading: Text
    paragraphs: list[str]

    @field_validator("paragraphs", mode="before")
    @classmethod
    def _wording(cls, paragraphs):
        refuse([((), p) for p in welsh_paragraph_problems(paragraphs)])
        return paragraphs


class Script(Table):
    """One advice script: what to say to a child or a parent in one situation (D3, D4, D6, D9)."""

    id: checked(str, matches(SCRIPT_ID), "{field} must be a lower-case name such as 'received-child'")
    version: checked(int, lambda v: is_int(v) and v >= 1, "{field} must be a whole number, 1 or more")
    audience: checked(str, one_of(AUDIENCES), "{field} must be one of " + ", ".join(AUDIENCES))
    situation: checked(str, one_of(SITUATIONS), "{field} must be one of " + ", ".join(SITUATIONS))
    title: Text
    heading: Text
    paragraphs: list[str]
    rules: Rules
    links: checked(list[str], lambda v: isinstance(v, list) and all(isinstance(link, str) for link in v),
                   "{field} must be a list of resource ids") = []
    cy: Welsh | None = None  # J8: the Welsh text, where it has been written

    @model_validator(mode="after")
    def _welsh_is_current(self):
        """J8: the Welsh translates this version of the English, or it is out of date."""
        if self.cy is not None and self.cy.translates != self.version:
            raise problem(f"the Welsh text translates version {self.cy.translates} of the English, which is now "
                          f"version {self.version}: bring the Welsh up to date and set cy.translates = {self.version}")
        return self

    @field_validator("paragraphs", mode="before")
    @classmethod
    def _wording(cls, paragraphs, info: ValidationInfo):
        """D6, D9: no blame, and nothing a victim's advice must not say (the same check as a school's rewording)."""
        refuse([((), p) for p in paragraph_problems(paragraphs, info.data.get("situation"))])
        return paragraphs

    @field_validator("links")
    @classmethod
    def _links_are_resources(cls, links, info: ValidationInfo):
        """Every link names an entry of resources.toml, when the validation is given their ids."""
        known = (info.context or {}).get("resource_ids")
        if known is not None:
            refuse([((), f"there is no resource {link!r} in resources.toml") for link in links if link not in known])
        return links


class ResourceWelsh(Table):
    """J8: a service's entry in Welsh: what it is for always; its name, phone or how to reach it where the Welsh
    differs from the English (a proper name such as "Childline" stays as it is)."""

    name: checked(str, nonempty_str, "{field} must be a non-empty string when given") = ""
    what_for: Text
    phone: checked(str, nonempty_str, "{field} must be a non-empty string when given") = ""
    how_to_reach: checked(str, nonempty_str, "{field} must be a non-empty string when given") = ""


class Resource(Table):
    """One national service in the resources directory (I7)."""

    id: checked(str, matches(RESOURCE_ID), "{field} must be a lower-case name such as 'childline'")
    name: Text
    what_for: Text
    url: checked(str, https, "{field} must start with https://") = ""
    phone: checked(str, nonempty_str, "{field} must be a non-empty string when given") = ""
    how_to_reach: checked(str, nonempty_str, "{field} must be a non-empty string when given") = ""
    rules: Rules
    steps: checked(list[checked(str, one_of(STEPS), "{value} is not one of " + ", ".join(STEPS))],
                   lambda v: isinstance(v, list) and v != [], "{field} must be a non-empty list")
    cy: ResourceWelsh | None = None  # J8: the entry in Welsh, where it has been written
    # J8: the nations whose schools it serves; left out, every nation of the UK.
    nations: list[checked(str, one_of(NATIONS), "{value} is not one of " + ", ".join(NATIONS))] = []

    @model_validator(mode="after")
    def _reachable(self):
        if not (self.url or self.phone or self.how_to_reach):
            raise problem("give a 'url', a 'phone' number or 'how_to_reach'")
        return self

    @model_validator(mode="after")
    def _welsh_matches(self):
        """J8: the Welsh gives a phone number or a way to reach the service only where the English has one."""
        if self.cy is not None:
            for field in ("phone", "how_to_reach"):
                if getattr(self.cy, field) and not getattr(self, field):
                    raise problem(f"the Welsh gives '{field}' but the English has none")
        return self


class Resources(BaseModel):
    """advice/resources.toml: its [[resource]] entries, each id once."""

    model_config = ConfigDict(strict=True)

    resource: Annotated[checked(list[Resource], lambda v: isinstance(v, list) and v != [],
                                "{field} must list at least one [[resource]]"), each_once("id", "the id is used twice")]


# ---- the files ----------------------------------------------------------------------------------

def validate_script(script, resource_ids=None) -> list[str]:
    """Return every problem in a parsed script; an empty list means valid.

    `resource_ids`, when given, are the ids in the resources directory: every link must
    name one of them.
    """
    return datafiles.validate(Script, script, context={"resource_ids": resource_ids},
                              wording={**WORDING, **datafiles.whole_must_be_a_table("a script")})[1]


def validate_resource(resource) -> list[str]:
    """Return every problem in one entry of the resources directory."""
    return datafiles.validate(Resource, resource,
                              wording={**WORDING, **datafiles.whole_must_be_a_table("each resource")})[1]


def read_resources(path: Path | None = None) -> list[dict]:
    """Load and validate the resources directory; return its entries in file order."""
    path = Path(path) if path is not None else RESOURCES_FILE
    data = datafiles.read_toml(path, AdviceDefinitionError)
    model, errors = datafiles.validate(Resources, data, wording=WORDING)
    if errors:
        raise AdviceDefinitionError(f"{path.name}: " + "; ".join(errors))
    return [entry.model_dump() for entry in model.resource]


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
        script = datafiles.read_toml(path, AdviceDefinitionError)
        model, errors = datafiles.validate(Script, script, context={"resource_ids": resource_ids}, wording=WORDING)
        if not errors and model.id != path.stem:
            errors.append(f"id {model.id!r} does not match the file name")
        if not errors:
            slot = (model.situation, model.audience)
            if slot in slots:
                errors.append(f"{slots[slot]} is already the {model.audience} script for {model.situation}")
            slots[slot] = model.id
        if errors:
            raise AdviceDefinitionError(f"{path.name}: " + "; ".join(errors))
        scripts[model.id] = model.model_dump()
    return scripts


# The files ship with the code and do not change while it runs, so they are read once.
@cache
def load_resources() -> tuple[dict, ...]:
    return tuple(read_resources())


@cache
def load_scripts() -> dict[str, dict]:
    return read_scripts(resource_ids={r["id"] for r in load_resources()})
