"""Procedure definition files (procedures/definitions/<id>.toml) and the pydantic models that check them.

`validate(definition)` returns a list of human-readable problems (empty list = valid); `load_all()`
loads every file, validates it and raises ProcedureDefinitionError naming the file on any problem.
Loaded definitions are plain dicts (`Definition.model_dump()`): the engine is pure and reads dicts,
and a case keeps a copy of its procedure as JSON.

TOML has no null, so an ongoing task simply leaves out `due_after_minutes`; the loader fills it in
as None.

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

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from lib import datafiles
from lib.datafiles import Table, checked, each_once, https, is_int, left_out, matches, nonempty_str, one_of, refuse
from procedures import engine

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

RULE_ID = re.compile(r"^[A-JS]\d+(\.\d+)?$")
CRITERION_ID = re.compile(r"^B2\.[1-6]$")
FACTOR_ID = re.compile(r"^B3\.[1-7]$")
PROCEDURE_ID = re.compile(r"^[a-z][a-z0-9-]*$")
# A guidance entry applies always, in the two typology cases, or when one yes/no question of its procedure is yes.
GUIDANCE_WHEN = re.compile(r"^(always|experimental|may_resolve_directly|B2\.[1-6]|B3\.[1-7]|[a-z][a-z0-9_]*)$")
GUIDANCE_SPECIAL = ("always", "experimental", "may_resolve_directly")
PHASES = ("immediate", "short_term", "medium_term", "ongoing")
REQUIRED_OUTCOMES = ("refer", "seek_advice", "managed_in_school")
DEFAULT_SIGN_OFF_ROLES = ["headteacher", "trust_safeguarding_lead"]
# B8: the yes/no answers the typology asks about, when a procedure uses it.
TYPOLOGY_YES_NO = engine.TYPOLOGY_YES_NO
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
AGENCY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
LABELS = ("id", "question", "agency")  # what names an item of a list in an error message


class ProcedureDefinitionError(ValueError):
    """A definition file is missing, unreadable or invalid."""


# ---- values ----------------------------------------------------------------------------------

Text = checked(str, nonempty_str, "{field} must be a non-empty string")
RuleId = checked(str, matches(RULE_ID), "{value} is not a rule id like 'B2' or 'B2.1'")
Rules = checked(list[RuleId], lambda v: isinstance(v, list), "{field} must be a list of rule ids")
Minutes = checked(int | None, lambda v: v is None or (is_int(v) and v >= 0),
                  "{field} must be a whole number of minutes, 0 or more, or left out")
# A condition: one yes/no question id, or a list of them (any one answered yes).
When = checked(str | list[str], lambda v: isinstance(v, str) or (
    isinstance(v, list) and v != [] and all(isinstance(c, str) for c in v)),
    "{field} must be a question id, or a list of them")


def _id(pattern: re.Pattern, what: str):
    return checked(str, matches(pattern), f"{{field}} must be {what} (each id must match {pattern.pattern})")


def _task_id_ok(value) -> bool:
    return nonempty_str(value) and PROCEDURE_ID.match(value.replace(".", "-").replace("_", "-")) is not None


def _has_every_outcome(outcomes: list) -> list:
    """B5: refer, seek advice and manage in school are always offered."""
    ids = {o.id for o in outcomes}
    refuse([((), f"the B5 outcome {required!r} is missing") for required in REQUIRED_OUTCOMES if required not in ids])
    return outcomes


def _not_typology_questions(questions: list) -> list:
    refuse([((n,), f"{q.id!r} is already a typology question")
            for n, q in enumerate(questions) if q.id in TYPOLOGY_YES_NO])
    return questions


# ---- the sections ------------------------------------------------------------------------------

class _Table(Table):
    """Most tables of a definition may hold keys of their own (a criterion's related escalation factors, a pinned
    copy's `pinned`), as they always could; the sections for a kind of incident are closed (Table)."""

    model_config = ConfigDict(extra="allow")


class Source(Table):
    """J7: where an element of a procedure comes from: the document, its edition, and the paragraph (or section or
    page, when the document has no paragraph numbers; for a seed school policy, the heading it is under)."""

    document: Text
    edition: Text
    paragraph: Text


# J7: every element names its source. Left out only in a pinned copy saved before sources existed; the test over
# every definition file (procedures/tests/test_sources.py) requires it of the files.
SourceField = Source | None


class Question(_Table):
    id: Text
    text: Text
    rules: Rules
    source: SourceField = None


class Criterion(Question):
    id: _id(CRITERION_ID, "a B2 referral criterion")


class Factor(Question):
    id: _id(FACTOR_ID, "a B3 escalation factor")


class YesNoQuestion(Question):
    id: _id(QUESTION_ID, "a short lower-case name")


class Outcome(_Table):
    id: Text
    label: Text
    rules: Rules
    source: SourceField = None


# 20.2: what, once recorded on a case, completes a step (`done_when`). "referral:<agency>" names the agency.
EVENTS = {
    "concern_acknowledged": "the concern was acknowledged",
    "review_meeting_recorded": "the initial review meeting was recorded",
    "referral_recorded": "a referral was recorded",
    "referral_decided": "a referral to children's social care or the police was recorded, or a decision not to "
                        "refer was signed off",
    "risk_assessment_completed": "every risk assessment question was answered",
    "classification_confirmed": "the classification was confirmed",
    "decision_recorded": "a decision was recorded with its reason",
    "advice_sought": "advice from another agency was recorded",
    "parents_told": "the parents or carers of every child were told, or a decision not to tell them was recorded",
    "deletion_confirmed": "every child asked to delete the imagery confirmed it",
    "viewing_signed": "the imagery viewing record was signed by the viewer and the witness",
    "device_recorded": "the device was recorded with where it is kept",
    "evidence_recorded": "the evidence register has an entry",
    "headteacher_and_it_told": "the headteacher and IT staff were told",
    "takedown_recorded": "Report Remove or Take It Down was offered to every child shown in the imagery and their "
                         "choice recorded",
    "communication_agreed": "a message for many people, approved and agreed with the police, was recorded",
}
EVENT_ID = re.compile(r"^(" + "|".join(EVENTS) + r"|referral:[a-z][a-z0-9_]*)$")


def event_words(event: str) -> str:
    """What happened, in words, for a `done_when` event (the chronology says why a step was ticked)."""
    if event.startswith("referral:"):
        from_agency = event.split(":", 1)[1]
        return f"a referral to {from_agency.replace('_', ' ')} was recorded"
    return EVENTS.get(event, event)


def _events_ok(value) -> bool:
    return isinstance(value, list) and all(isinstance(e, str) and EVENT_ID.match(e) for e in value)


class Task(_Table):
    phase: checked(str, one_of(PHASES), "{field} must be one of " + ", ".join(PHASES) + ", not {value}")
    title: Text
    due_after_minutes: Minutes = None
    # Each task gets a stable id ("immediate.1", "short_term.3"...) unless the file names one, so that an
    # override can change one task and a case can tell its tasks apart.
    id: checked(str, _task_id_ok, "{field} must be a short lower-case name") = left_out()
    rules: Rules
    source: SourceField = None
    # 20.2: the events that complete this step when they are recorded on the case (empty: ticked by hand).
    done_when: checked(list[str], _events_ok, "{field} must be a list of events, each one of "
                       + ", ".join(EVENTS) + " or referral:<agency>") = []


class Guidance(_Table):
    text: Text
    rules: Rules
    source: SourceField = None
    when: checked(str, matches(GUIDANCE_WHEN), "{field} must be 'always', 'experimental', "
                  "'may_resolve_directly', or a yes/no answer such as 'B2.1'") = left_out()


class FamilyAdvice(_Table):
    text: Text
    rules: Rules
    source: SourceField = None


class Link(_Table):
    title: Text
    url: checked(str, https, "{field} must start with https://")
    rules: Rules
    source: SourceField = None


class ImpliedAnswer(Table):
    """B14, B16: an answer this kind of incident implies."""

    question: str
    answer: bool
    reason: checked(str, nonempty_str, "{field} must say, in plain words, why this kind implies the answer")
    legal: bool = False
    when: When = left_out()
    rules: Rules
    source: SourceField = None


class RequiredReferral(Table):
    """B15: a referral this kind of incident requires."""

    agency: checked(str, matches(AGENCY_ID), "{field} must be an agency id such as 'police' or 'lado'")
    to: Text
    reason: Text
    when: When = left_out()
    tasks: checked(list[str], lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v),
                   "{field} must be a list of task ids") = []
    within_working_days: checked(int | None, lambda v: v is None or (is_int(v) and 1 <= v <= 60),
                                 "{field} must be a whole number from 1 to 60") = None
    decision: bool = False
    answer_needed: bool = False
    rules: Rules
    source: SourceField = None


class KindRules(Table):
    """B8, B9, B16, F8: what this kind of incident allows, whatever the answers."""

    may_resolve_directly: bool = False
    experimental_possible: bool = True
    first_screen_warning: checked(str, lambda v: isinstance(v, str), "{field} must be a sentence") = ""


def _items(model):
    return Annotated[list[model], each_once("id", "duplicate id {value}")]


class Definition(_Table):
    id: checked(str, matches(PROCEDURE_ID), "{field} must be a lower-case name such as 'nudes-sharing'")
    version: checked(int, lambda v: is_int(v) and v >= 1, "{field} must be a whole number, 1 or more")
    title: Text
    rules: Rules
    typology: bool = False
    sign_off_roles: checked(list[str], lambda v: isinstance(v, list) and v != [] and all(nonempty_str(r) for r in v),
                            "{field} must be a non-empty list of role names") = Field(
        default_factory=lambda: list(DEFAULT_SIGN_OFF_ROLES))
    initial_review_questions: _items(Question)
    referral_criteria: _items(Criterion) = []
    escalation_factors: _items(Factor) = []
    risk_questions: _items(Question)
    outcomes: Annotated[_items(Outcome), AfterValidator(_has_every_outcome)]
    tasks: checked(list[Task], lambda v: isinstance(v, list) and v != [], "{field} must be a non-empty list")
    yes_no_questions: Annotated[_items(YesNoQuestion), AfterValidator(_not_typology_questions)] = []
    implied_answers: Annotated[list[ImpliedAnswer], each_once("question", "{value} is implied twice")] = []
    required_referrals: list[RequiredReferral] = []
    kind_rules: KindRules = KindRules()
    # 20.2: a step already due before the case opened is "due now", and escalated only if still open this many
    # minutes after the case opened (time that passed before the case existed is not held against anyone).
    due_now_grace_minutes: checked(int, lambda v: is_int(v) and 0 <= v <= 1440,
                                   "{field} must be a whole number of minutes from 0 to 1440") = 60
    # 20.3: tell the headteacher and IT staff the moment a case of this kind opens (a notice naming no child).
    notify_on_open: checked(list[str], lambda v: isinstance(v, list) and all(r in ("headteacher", "technical")
                                                                             for r in v),
                            "{field} must be a list of 'headteacher' and 'technical'") = []
    principles: checked(list[str], lambda v: isinstance(v, list) and all(nonempty_str(s) for s in v),
                        "{field} must be a list of sentences") = []
    guidance: list[Guidance] = []
    family_advice: list[FamilyAdvice] = []
    advice: list[Link] = []

    def yes_no_ids(self) -> set[str]:
        return set(yes_no_ids(self.model_dump(include={"referral_criteria", "escalation_factors", "typology",
                                                       "yes_no_questions"})))

    @model_validator(mode="after")
    def _references_are_known(self):
        """B14–B16: implied answers and required referrals name this procedure's questions and tasks."""
        known = self.yes_no_ids()
        ids = task_ids([{"phase": t.phase, "id": t.id} for t in self.tasks])
        found = []
        for n, item in enumerate(self.implied_answers):
            where = ("implied_answers", n)
            if item.question not in known:
                found.append((where, f"there is no yes/no question {item.question!r} in this procedure "
                                     "(a criterion, a factor, a typology question or one of its yes_no_questions)"))
            found += _unknown_conditions(where, item.when, known - {item.question})
        for n, item in enumerate(self.guidance):
            if item.when is not None and item.when not in GUIDANCE_SPECIAL:
                found += _unknown_conditions(("guidance", n), item.when, known)
        for n, item in enumerate(self.required_referrals):
            where = ("required_referrals", n)
            found += _unknown_conditions(where, item.when, known)
            found += [(where, f"there is no task {t!r} (task ids: {', '.join(sorted(ids))})")
                      for t in item.tasks if t not in ids]
        refuse(found)
        return self

    @model_validator(mode="after")
    def _every_task_has_an_id(self):
        for task, task_id in zip(self.tasks, task_ids([{"phase": t.phase, "id": t.id} for t in self.tasks]),
                                 strict=True):
            task.id = task_id
        return self


def _unknown_conditions(where: tuple, when, known: set) -> list:
    conditions = [] if when is None else when if isinstance(when, list) else [when]
    return [(where, f"'when' names {c!r}, which is not a yes/no question of this procedure")
            for c in conditions if c not in known]


KIND_RULES = KindRules().model_dump()

# J7: the sections whose every item is an element that must name its source, and what each item is called.
ELEMENT_SECTIONS = {
    "initial_review_questions": "initial review question",
    "referral_criteria": "referral criterion",
    "escalation_factors": "escalation factor",
    "risk_questions": "risk question",
    "outcomes": "outcome",
    "tasks": "task",
    "yes_no_questions": "yes/no question",
    "implied_answers": "implied answer",
    "required_referrals": "required referral",
    "guidance": "guidance entry",
    "family_advice": "advice for the family",
    "advice": "link",
}


def element_label(section: str, item: dict) -> str:
    """How an element is named in a message: its id, title, question or agency, else its first words."""
    for key in ("id", "title", "question", "agency"):
        if item.get(key):
            return f"{ELEMENT_SECTIONS[section]} {item[key]!r}"
    words = item.get("text") or item.get("label") or ""
    return f"{ELEMENT_SECTIONS[section]} ‘{words[:50]}’"


def elements_without_source(definition: dict) -> list[str]:
    """J7: every element of a (loaded) definition that does not name its source, as readable labels."""
    return [element_label(section, item)
            for section in ELEMENT_SECTIONS for item in definition.get(section) or []
            if not item.get("source")]


def source_in_words(source: dict | None) -> str:
    """{"document": "Keeping children safe in education", "edition": "2025", "paragraph": "Part four"} →
    "Keeping children safe in education (2025), Part four"; a bare number reads "paragraph 135"."""
    if not source:
        return ""
    where = source["paragraph"]
    if where.isdigit():
        where = f"paragraph {where}"
    return f"{source['document']} ({source['edition']}), {where}"


def sources_in_words(sources) -> list[str]:
    """The sources of some elements in words, each once, in order; elements without one are left out. Accepts
    sources or the elements themselves."""
    found = []
    for item in sources or ():
        words = source_in_words(item.get("source") if isinstance(item, dict) and "document" not in item else item)
        if words and words not in found:
            found.append(words)
    return found


# ---- the files -------------------------------------------------------------------------------

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


def _check(definition) -> tuple[Definition | None, list[str]]:
    return datafiles.validate(Definition, definition, labels=LABELS,
                              wording=datafiles.whole_must_be_a_table("the definition"))


def validate(definition) -> list[str]:
    """Return every problem found in a parsed definition; an empty list means valid."""
    return _check(definition)[1]


def normalise(definition: dict) -> dict:
    """The checked definition as a plain dict, with defaults: null due times for ongoing tasks, task ids, empty
    lists, sign-off roles, the kind's rules. Raise ProcedureDefinitionError if it is not valid.

    A case keeps a copy of its procedure as it was when it opened, so code that reads a pinned
    copy must not rely on these defaults being there: `with_defaults` fills them in again.
    """
    model, errors = _check(definition)
    if errors:
        raise ProcedureDefinitionError("; ".join(errors))
    return model.model_dump()


def with_defaults(definition: dict) -> dict:
    """A shallow copy of `definition` with every optional key present, for a pinned copy saved before the key
    existed (B14, B15, B16 and F8 arrived with version 3 of the imagery procedures). Nothing is checked again."""
    return datafiles.with_defaults(Definition, definition)


# J7: the loader refuses a definition file with an element that names no source. A pinned copy on a case is never
# loaded through here, so old cases still open.
REQUIRE_SOURCES = True


def load_file(path: Path) -> dict:
    """The checked definition in the file at `path`: a fresh copy each call, read and checked again only when the
    file changes (the case page asks for one on every request, issue 24: reading and checking it took ~10 ms)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        stat = None
    if stat is None:
        return _load_file(path)
    return copy.deepcopy(_load_checked(str(path), stat.st_mtime_ns, stat.st_size, REQUIRE_SOURCES))


@lru_cache(maxsize=64)
def _load_checked(path, _mtime_ns, _size, _require_sources):
    return _load_file(Path(path))


def _load_file(path: Path) -> dict:
    definition = datafiles.read_toml(path, ProcedureDefinitionError)
    model, errors = _check(definition)
    if not errors and model.id != path.stem:
        errors.append(f"id {model.id!r} does not match the file name")
    if not errors and REQUIRE_SOURCES and (missing := elements_without_source(model.model_dump())):
        errors.append("every element must name its source (document, edition, paragraph); these do not: "
                      + ", ".join(missing))
    if errors:
        raise ProcedureDefinitionError(f"{path.name}: " + "; ".join(errors))
    return model.model_dump()


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


def shipped_versions() -> dict[str, int]:
    """{procedure id: the version number of its file}, without checking the files (J7: is a case behind?). Read
    again whenever a file changes."""
    files = sorted(DEFINITIONS_DIR.glob("*.toml"))
    return dict(_versions_of(tuple((str(p), p.stat().st_mtime_ns) for p in files)))


@lru_cache(maxsize=4)
def _versions_of(stamped: tuple) -> tuple:
    import tomllib

    found = []
    for name, _ in stamped:
        with open(name, "rb") as f:
            found.append((Path(name).stem, tomllib.load(f).get("version")))
    return tuple(found)


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
