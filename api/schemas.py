"""What the API accepts and returns. Every text is checked for NUL characters (PostgreSQL
refuses them), for text that is not Unicode, and for imagery (A3) before anything else."""

import re
import uuid
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Annotated, Any, Optional

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from api.imagery import EXPLANATION, find_imagery
from concerns.models import ChildRole, DeviceIsolation, IncidentType


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
UPN_PATTERN = r"^[A-Za-z0-9]{1,13}$"
UPN = Annotated[str, Field(pattern=UPN_PATTERN, description="The pupil's unique pupil number")]
UPN_RE = re.compile(UPN_PATTERN)


class In(Schema):
    """Refuses unknown fields and, first of all, any picture (A3)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_imagery(cls, data):
        where = find_imagery(data)
        if where:
            raise PydanticCustomError("imagery", EXPLANATION + " (found in {where})", {"where": where})
        return data


class Error(Schema):
    detail: str
    errors: list[dict[str, Any]] = []


class ChildIn(In):
    upn: UPN
    role: ChildRole


class ConcernIn(In):
    """A concern, as on the report page (A1–A6). Statements are attached on the page, not here."""

    incident_type: IncidentType
    account: Text(20000, 1) = Field(description="What the child said, in their words, or what was seen (A6)")
    children: list[ChildIn] = Field(default_factory=list, max_length=50)
    subject_staff_email: Optional[Text(254)] = Field(
        None, description="For a concern about a member of staff: their email address at Harbour (A4)")
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


class AlertIn(In):
    """A filtering or monitoring alert (A5). Screenshots and images are refused (A3)."""

    source: Text(60, 1) = Field(description="The service that raised the alert, e.g. Smoothwall")
    alert_id: Text(200, 1) = Field(description="The service's own id for the alert; a repeat is ignored")
    occurred_at: Moment
    category: Text(200, 1)
    severity: Text(40, 1)
    user: Text(200) = ""
    device: Text(200) = ""
    url: Text(2000) = ""
    matched_text: Text(5000) = ""
    upn: Optional[UPN] = Field(None, description="The pupil's UPN, when the service knows it")

    @model_validator(mode="after")
    def _what_and_who(self):
        if not (self.user or self.device):
            raise ValueError("Give the user or the device the alert is about")
        if not (self.url or self.matched_text):
            raise ValueError("Give the web address, or the text that was matched")
        return self


class PoliceNoticeIn(In):
    """An Operation Encompass notice from the police (J4): when it came, its reference, the children it names."""

    received_at: Moment = Field(description="When the school received the notice")
    police_reference: Text(60, 1) = Field(description="The police reference, as written on the notice")
    children: list[UPN] = Field(min_length=1, max_length=20, description="The UPN of each child the notice names")
    idempotency_key: Optional[uuid.UUID] = Field(
        None, description="Send the same key again to retry safely: one concern is made, not two")


class PoliceNoticeCreated(Schema):
    id: int
    reference: str
    status: str
    created: bool
    key_adult_due: datetime = Field(description="A key adult is to be named by then: the next school day's start")


class ConcernCreated(Schema):
    id: int
    reference: str
    status: str
    created: bool


class CaseLink(Schema):
    id: int
    reference: str
    status: str


class ConcernStatus(Schema):
    """Status only: never what was reported, nor who."""

    id: int
    reference: str
    incident_type: str
    status: str
    created_at: datetime
    acknowledge_by: datetime
    acknowledged_at: Optional[datetime]
    escalated_at: Optional[datetime]
    case: Optional[CaseLink]


class CaseStatus(Schema):
    """Status, deadlines and outcome only: never the narrative."""

    id: int
    reference: str
    incident_type: str
    status: str
    procedure: str
    opened_at: datetime
    phase_deadlines: dict[str, datetime]
    tasks_outstanding: int
    tasks_overdue: int
    next_task_due_at: Optional[datetime]
    outcome: str
    closed_at: Optional[datetime]


class PupilOut(Schema):
    id: int
    upn: str
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    preferred_last_name: str
    date_of_birth: date
    year_group: int
    on_roll: bool
    left_on: Optional[date]


class Blocked(Schema):
    """Why something cannot happen yet: a code, the reason in words, and the criteria, factors, agencies or roles
    it is about."""

    code: str
    text: str
    items: list[str]


class ImpliedAnswer(Schema):
    """B14, B16: an answer the kind of incident implies, with the reason; changed only with a reason."""

    question: str
    text: str
    implied: bool
    answer: Optional[bool]
    reason: str
    legal: bool
    rules: list[str]
    changed: bool
    change_reason: Optional[str]


class RequiredReferral(Schema):
    """B15: a referral the kind requires whatever the criteria say (`applies` null: once a question is answered)."""

    agency: str
    to: str
    reason: str
    rules: list[str]
    applies: Optional[bool]
    condition: list[str]
    recorded: bool
    declined: bool
    answered: bool
    satisfied: bool
    decision: bool
    answer_needed: bool
    within_working_days: Optional[int]
    tasks: list[str]


class Evaluation(Schema):
    """`procedures.engine.evaluate`'s result, as `manage.py procedure evaluate` prints it."""

    referral_required: bool
    criteria_met: list[str]
    criteria_unknown: list[str]
    escalation_factors: list[str]
    suggested_classification: Optional[str]
    blocked_outcomes: list[str]
    blocked_reasons: dict[str, list[Blocked]]
    implied_answers: list[ImpliedAnswer]
    required_referrals: list[RequiredReferral]
    may_resolve_directly: bool
    tasks: list[dict[str, Any]]
    guidance: list[dict[str, Any]]
    procedure: str
