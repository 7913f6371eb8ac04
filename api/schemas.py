"""What the API accepts and returns. Every text is checked for NUL characters (PostgreSQL
refuses them), for text that is not Unicode, and for imagery (A3) before anything else.

Every closed set is a named enum built from the model's choices or the procedure engine's own ids, so the
schema cannot drift from the code (api/tests/test_contract.py walks the schema). Descriptions are written for
the people who build clients: plain words, no rule numbers (those stay in comments and tests).
"""

import enum
import re
import uuid
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Annotated, Optional

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model, model_validator
from pydantic_core import PydanticCustomError

from api.imagery import EXPLANATION, find_imagery
from cases.models import Case
from concerns.models import ChildRole, Concern, DeviceIsolation, IncidentType
from procedures import engine
from procedures import schema as procedure_schema


def named_enum(name, values, doc):
    """A named enum of `values` (a TextChoices class or plain strings), described by `doc`."""
    made = enum.StrEnum(name, {str(v).upper().replace(".", "_").replace("-", "_"): str(v) for v in values})
    made.__doc__ = doc
    return made


# The closed sets, each from where the code keeps it.
ConcernState = named_enum("ConcernState", Concern.Status.values,
                     "Where a concern stands: received (waiting for the safeguarding team), acknowledged, or closed.")
CaseState = named_enum("CaseState", Case.Status.values, "Whether a case is open or closed.")
CaseOutcome = named_enum("CaseOutcome", Case.Outcome.values,
                    "How a case was decided: referred (a child is at risk of harm), advice or support sought from "
                    "other agencies, managed by the school, or referred to Prevent.")
BlockedCode = named_enum("BlockedCode", engine.BLOCKED_CODES, "Why something cannot happen yet, as a code.")
Classification = named_enum("Classification", engine.CLASSIFICATIONS,
                       "The kind of image-sharing incident the answers suggest: aggravated (an adult involved, an "
                       "intent to harm, reckless misuse) or experimental (romantic, attention seeking, other).")
TaskPhase = named_enum("TaskPhase", procedure_schema.PHASES,
                       "When a task falls: immediately, in the short term, in the medium term, or throughout the case.")
# The pupil's year group in words; `year_group` holds the same as a number.
YEAR_GROUP_NAMES = {-1: "nursery", 0: "reception", **{n: f"year_{n}" for n in range(1, 15)}}
YearGroupName = named_enum("YearGroupName", YEAR_GROUP_NAMES.values(),
                      "The pupil's year group: nursery, reception, or year_1 to year_14.")


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Remove the NUL character: it is not allowed in text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Send text as valid Unicode (UTF-8)") from None
    return value.strip()


def _clean_moment(value: datetime) -> datetime:
    """An aware time between 2000 and a day from now. A time without a zone is UK time."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        value = value.astimezone(dt_timezone.utc)
    except (OverflowError, ValueError):
        raise ValueError("Give a time between the year 2000 and now") from None
    if value.year < 2000 or value > timezone.now() + timedelta(days=1):
        raise ValueError("Give a time between the year 2000 and now")
    return value


def Text(max_length, min_length=0):  # noqa: N802 - reads like a type
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
                     AfterValidator(_clean_text)]


Moment = Annotated[datetime, AfterValidator(_clean_moment)]
# The DfE's unique pupil number: a check letter, 11 digits, then a digit (or, for a temporary UPN, a letter). The
# same shape as the MIS import checks (imports/cleaning.py); the check letter itself is not recomputed. Lower case
# is accepted and read as upper case.
UPN_PATTERN = r"^[A-Za-z][0-9]{11}[0-9A-Za-z]$"
UPN_DESCRIPTION = ("The pupil's unique pupil number (UPN): a letter, 11 digits, then a digit or a letter (a temporary "
                   "UPN), as the school's management information system holds it. Lower case is read as upper case.")
UPN = Annotated[str, Field(pattern=UPN_PATTERN, description=UPN_DESCRIPTION), AfterValidator(str.upper)]
UPN_OUT = r"^[A-Z][0-9]{11}[0-9A-Z]$"
UPN_RE = re.compile(UPN_PATTERN)
AGENCY = Annotated[str, Field(pattern=procedure_schema.AGENCY_ID.pattern,
                              description="An agency's id, such as police, lado or prevent")]


def _refuse_imagery(data):
    where = find_imagery(data)
    if where:
        raise PydanticCustomError("imagery", EXPLANATION + " (found in {where})", {"where": where})
    return data


class In(Schema):
    # Refuses unknown fields and, first of all, any picture (A3).

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_imagery(cls, data):
        return _refuse_imagery(data)


class ErrorItem(Schema):
    """One thing that is wrong with what was sent."""

    field: str = Field(description="Where the problem is, as a dotted path into the body or the address "
                                   "(`children.0.upn`, `user`); empty when it is about the body as a whole")
    message: str = Field(description="What is wrong, and what to send instead, in a sentence")


class Error(Schema):
    """Every error: a sentence, and what was wrong field by field (empty when it is not about a field)."""

    detail: str = Field(description="What went wrong, in a sentence")
    errors: list[ErrorItem] = Field(default_factory=list)


class ChildIn(In):
    """A child the concern is about, by UPN, and how they are involved."""

    upn: UPN
    role: ChildRole


class ConcernIn(In):
    # As on the report page (A1–A6). Statements are attached on the page, not here.
    """A concern, with what the report page asks for. Statements are attached on the page, not here."""

    incident_type: IncidentType
    account: Text(20000, 1) = Field(description="What the child said, in their words, or what was seen")
    children: list[ChildIn] = Field(default_factory=list, max_length=50)
    subject_staff_email: Optional[Text(254)] = Field(
        None, description="For a concern about a member of staff: their email address at Harbour")
    occurred_at: Optional[Moment] = None
    location: Text(300) = ""
    disclosed_to: Text(200) = ""
    disclosed_at: Optional[Moment] = None
    actions_taken: Text(10000) = ""
    device_confiscated: bool = False
    device_isolation: Optional[DeviceIsolation] = None
    device_location: Text(300) = ""
    dsl_told_in_person: bool
    breach_url: Text(2000) = ""
    breach_device_or_user: Text(200) = ""
    breach_seen: Text(5000) = ""
    provider_told: Optional[bool] = None
    parents_told: Optional[bool] = None
    idempotency_key: Optional[uuid.UUID] = Field(
        None, description="Send the same key again to retry safely: one concern is made, not two")


def _given(name):
    return {"required": [name], "properties": {name: {"pattern": r"\S"}}}


class AlertIn(In):
    # A5; screenshots and images are refused (A3). Who and what are checked by the endpoint, so that the 422 names
    # the field; the schema says the same with `allOf` / `anyOf`.
    """A filtering or monitoring alert. Give the user or the device (or both), and the web address or the matched
    text (or both). Screenshots and images are refused."""

    model_config = ConfigDict(json_schema_extra={"allOf": [
        {"anyOf": [_given("user"), _given("device")]},
        {"anyOf": [_given("url"), _given("matched_text")]},
    ]})

    source: Text(60, 1) = Field(description="The service that raised the alert, e.g. Smoothwall")
    alert_id: Text(200, 1) = Field(description="The service's own id for the alert; a repeat is ignored")
    occurred_at: Moment
    category: Text(200, 1) = Field(description="The service's category for the alert, in its own words")
    severity: Text(40, 1) = Field(description="The service's severity for the alert, in its own words (each "
                                              "service has its own scale)")
    user: Text(200) = Field("", description="The user the alert is about, as the service names them")
    device: Text(200) = Field("", description="The device the alert is about, as the service names it")
    url: Text(2000) = Field("", description="The web address that was visited or blocked")
    matched_text: Text(5000) = Field("", description="The text the service matched")
    upn: Optional[UPN] = Field(None, description="The pupil's UPN, when the service knows it")


class PoliceNoticeIn(In):
    # J4.
    """An Operation Encompass notice from the police: when it came, its reference, the children it names."""

    received_at: Moment = Field(description="When the school received the notice")
    police_reference: Text(60, 1) = Field(description="The police reference, as written on the notice")
    children: list[UPN] = Field(min_length=1, max_length=20, description="The UPN of each child the notice names")
    idempotency_key: Optional[uuid.UUID] = Field(
        None, description="Send the same key again to retry safely: one concern is made, not two")


class Facts(BaseModel):
    """The answers to evaluate: each question id of the procedure (its criteria, escalation factors and yes/no
    questions) with `true` or `false`; anything left out, or not `true` or `false`, is unknown and never counts as
    no. What a case has recorded is given by the named fields, so that the answer is the one a case gives."""

    # A plain pydantic model: Ninja's Schema reads only the fields it declares, and the answers are extra fields.
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True,
                                                                "title": "Facts"})

    @model_validator(mode="before")
    @classmethod
    def _refuse_imagery(cls, data):
        return _refuse_imagery(data)

    referral_recorded: Optional[bool] = Field(
        None, description="A referral to children's social care or the police is recorded")
    referrals_recorded: Optional[list[AGENCY]] = Field(None, description="The agencies a referral was recorded to")
    referrals_answered: Optional[list[AGENCY]] = Field(None, description="The agencies whose answer is recorded")
    referrals_declined: Optional[list[AGENCY]] = Field(
        None, description="The agencies a referral was decided against, with a reason")
    escalation_recorded: Optional[bool] = Field(
        None, description="A referral, or a consultation with children's social care, is recorded")
    no_referral_signed_off: Optional[bool] = Field(None, description="A decision not to refer is signed off")
    implied_changes: Optional[dict[str, Text(2000, 1)]] = Field(
        None, description="An answer the kind of incident implies, changed: the question id, with the reason")


class PoliceNoticeCreated(Schema):
    """The concern a police notice became."""

    id: int
    reference: str
    status: ConcernState
    created: bool
    key_adult_due: datetime = Field(description="A key adult is to be named by then: the next school day's start")


class ConcernCreated(Schema):
    """The concern made (201), or the one an earlier call made (200)."""

    id: int
    reference: str
    status: ConcernState
    created: bool = Field(description="False when this is the concern an earlier call made (a retry or a repeat)")


class CaseLink(Schema):
    """The case opened from a concern."""

    id: int
    reference: str
    status: CaseState


class ConcernStatus(Schema):
    # Status only (A7): never what was reported, nor who.
    """Status only: never what was reported, nor who."""

    id: int
    reference: str
    incident_type: IncidentType
    status: ConcernState
    created_at: datetime
    acknowledge_by: datetime
    acknowledged_at: Optional[datetime]
    escalated_at: Optional[datetime]
    case: Optional[CaseLink]


PhaseDeadlines = create_model(
    "PhaseDeadlines", __base__=Schema, __doc__="When each phase of the procedure is due; null for a phase without a "
                                               "clock.",
    **{phase: (Optional[datetime], None) for phase in procedure_schema.PHASES})


class CaseStatus(Schema):
    """Status, deadlines and outcome only: never the narrative."""

    id: int
    reference: str
    incident_type: IncidentType
    status: CaseState
    procedure: str = Field(description="The procedure the case follows, by name and version")
    opened_at: datetime
    phase_deadlines: PhaseDeadlines
    tasks_outstanding: int
    tasks_overdue: int
    next_task_due_at: Optional[datetime]
    outcome: Optional[CaseOutcome] = Field(description="How the case was decided; null until it is")
    closed_at: Optional[datetime]


class PupilOut(Schema):
    """A pupil at the token's school."""

    id: int
    upn: str = Field(pattern=UPN_OUT, description="The pupil's unique pupil number, in upper case")
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    date_of_birth: date
    year_group: int = Field(ge=-1, le=14, description="The year group as a number: -1 nursery, 0 reception, then 1 "
                                                      "to 14 for year 1 to year 14")
    year_group_name: YearGroupName
    on_roll: bool
    left_on: Optional[date]


class Blocked(Schema):
    """Why something cannot happen yet: a code, the reason in words, and the criteria, factors, agencies or roles
    it is about."""

    code: BlockedCode
    text: str
    items: list[str] = Field(description="The question ids, agencies or roles the reason is about")


# What can be blocked: managing the case in school, deciding not to refer, closing the case (the engine's keys).
BlockedReasons = create_model(
    "BlockedReasons", __base__=Schema,
    __doc__="For each thing that can be blocked (managing the case in school, deciding not to refer, closing the "
            "case), the reasons it cannot happen yet; an empty list means nothing in the procedure stands in the way.",
    **{about: (list[Blocked], ...) for about in (engine.MANAGED_IN_SCHOOL, engine.NO_REFERRAL, engine.CLOSE)})


class ImpliedAnswer(Schema):
    # B14, B16.
    """An answer the kind of incident implies, with the reason; it changes only with a reason."""

    question: str = Field(description="The question's id in the procedure")
    text: str
    implied: bool
    answer: Optional[bool]
    reason: str
    legal: bool
    rules: list[str] = Field(description="The procedure's references for this answer")
    changed: bool
    change_reason: Optional[str]


class RequiredReferral(Schema):
    # B15.
    """A referral the kind of incident requires whatever the criteria say (`applies` is null until a question
    is answered)."""

    agency: AGENCY
    to: str = Field(description="Who the referral goes to, in words")
    reason: str
    rules: list[str] = Field(description="The procedure's references for this referral")
    applies: Optional[bool]
    condition: list[str] = Field(description="The questions it depends on, in words")
    recorded: bool
    declined: bool
    answered: bool
    satisfied: bool
    decision: bool
    answer_needed: bool
    within_working_days: Optional[int]
    tasks: list[str] = Field(description="The ids of the tasks that make this referral")


class Task(Schema):
    """A task of the procedure, as a case gets it."""

    id: str = Field(description="The task's id in the procedure")
    phase: TaskPhase
    title: str
    due_after_minutes: Optional[int] = Field(description="How long after the incident is recorded the task is due; "
                                                         "null when it has no clock")
    rules: list[str] = Field(description="The procedure's references for this task")


class Guidance(Schema):
    """Guidance that applies to these answers."""

    text: str
    rules: list[str] = Field(description="The procedure's references for this guidance")


class Evaluation(Schema):
    """The procedure's answer, as `manage.py procedure evaluate` prints it."""

    referral_required: bool
    criteria_met: list[str]
    criteria_unknown: list[str]
    escalation_factors: list[str]
    suggested_classification: Optional[Classification]
    blocked_outcomes: list[CaseOutcome]
    blocked_reasons: BlockedReasons
    implied_answers: list[ImpliedAnswer]
    required_referrals: list[RequiredReferral]
    may_resolve_directly: bool
    tasks: list[Task]
    guidance: list[Guidance]
    procedure: str = Field(description="The procedure, by name and version, in force at the token's school")
