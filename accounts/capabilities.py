"""What each role may do: the one place that says so.

Views and actions ask `user.access.can(Capability.X, school)`, or one of the record
policies built on it (`accounts/policy.py`); nothing else in Harbour compares role
names. To change what a role may do, change this table.

Some capabilities are about being *told*: the person hears of something so they can
do their own part (RECEIVE_FILTERING_ALERTS, RECEIVE_ESCALATIONS). Being told is not
managing: what each told person may see and do is decided by the record's policy.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_noop  # J8: labels in the catalogue; translated where shown


class Role(models.TextChoices):
    """Roles a person holds in one school."""

    STAFF = "staff", gettext_noop("Member of staff")
    DSL = "dsl", gettext_noop("Designated safeguarding lead")
    DEPUTY_DSL = "deputy_dsl", gettext_noop("Deputy designated safeguarding lead")
    HEADTEACHER = "headteacher", gettext_noop("Headteacher")
    SENCO = "senco", gettext_noop("SENCO")
    ONLINE_SAFETY_COORDINATOR = "online_safety_coordinator", gettext_noop("Online-safety coordinator")
    TECHNICAL = "technical", gettext_noop("Technical staff")
    GOVERNOR = "governor", gettext_noop("Governor")
    CHAIR_OF_GOVERNORS = "chair_of_governors", gettext_noop("Chair of governors")


class TrustRole(models.TextChoices):
    """Roles a person holds across every school of a trust."""

    SAFEGUARDING_LEAD = "trust_safeguarding_lead", gettext_noop("Trust safeguarding lead")
    ADMINISTRATOR = "trust_administrator", gettext_noop("Trust administrator")


class Capability(StrEnum):
    REPORT_CONCERN = "report_concern"
    SEARCH_PUPILS = "search_pupils"  # find a child by name when reporting
    VIEW_PUPIL_RECORDS = "view_pupil_records"  # a pupil's record and flags
    RECEIVE_CONCERNS = "receive_concerns"  # the DSL inbox
    READ_CASES = "read_cases"
    MANAGE_CASES = "manage_cases"
    RECEIVE_STAFF_ALLEGATIONS = "receive_staff_allegations"  # concerns about a member of staff, and their cases (A4)
    RECEIVE_HEADTEACHER_ALLEGATIONS = "receive_headteacher_allegations"  # concerns about the headteacher (A4)
    SIGN_OFF_DECISIONS = "sign_off_decisions"
    # Told of a filtering or monitoring breach (A5). Without RECEIVE_CONCERNS: its technical details only.
    RECEIVE_FILTERING_ALERTS = "receive_filtering_alerts"
    # Told when a concern has waited too long for the safeguarding team (A1): its status, not its contents.
    RECEIVE_ESCALATIONS = "receive_escalations"
    RECEIVE_POLICY_REVIEW_ALERTS = "receive_policy_review_alerts"  # told when a policy's review is overdue (I1)
    JOIN_SEN_CASES = "join_sen_cases"  # added to a case when a child in it has special educational needs (B11)
    VIEW_SCHOOL_DASHBOARD = "view_school_dashboard"
    VIEW_GOVERNOR_REPORT = "view_governor_report"
    MANAGE_REGISTERS = "manage_registers"
    VIEW_TRUST_OVERVIEW = "view_trust_overview"
    MANAGE_PEOPLE = "manage_people"  # imports, accounts, API tokens
    VIEW_AUDIT = "view_audit"
    MANAGE_PROCEDURES = "manage_procedures"  # adapt a procedure for a school, or (trust roles) a trust
    MANAGE_RECORDS = "manage_records"  # retention, disposal and subject access (H4, H6)
    MANAGE_SCHOOL_DETAILS = "manage_school_details"  # the address, telephone and contact letters print (20.9)
    ADD_SCHOOLS = "add_schools"  # a trust role: add a school to the trust (issue 21.2)
    RECORD_POLICE_NOTICES = "record_police_notices"  # an Operation Encompass notice from the police (J4)


C = Capability
_EVERY_ADULT = {C.REPORT_CONCERN, C.SEARCH_PUPILS}
_DSL_TEAM = _EVERY_ADULT | {
    C.VIEW_PUPIL_RECORDS,
    C.RECEIVE_CONCERNS,
    C.READ_CASES,
    C.MANAGE_CASES,
    C.RECEIVE_FILTERING_ALERTS,
    C.VIEW_SCHOOL_DASHBOARD,
    C.MANAGE_REGISTERS,
}

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.STAFF: frozenset(_EVERY_ADULT),
    Role.DSL: frozenset(_DSL_TEAM | {C.SIGN_OFF_DECISIONS, C.VIEW_AUDIT, C.MANAGE_PROCEDURES, C.MANAGE_RECORDS,
                                     C.MANAGE_SCHOOL_DETAILS, C.RECORD_POLICE_NOTICES}),
    Role.DEPUTY_DSL: frozenset(_DSL_TEAM | {C.RECEIVE_ESCALATIONS, C.RECORD_POLICE_NOTICES}),
    Role.HEADTEACHER: frozenset(
        _EVERY_ADULT
        | {
            C.VIEW_PUPIL_RECORDS,
            C.RECEIVE_STAFF_ALLEGATIONS,
            C.RECEIVE_ESCALATIONS,
            C.RECEIVE_POLICY_REVIEW_ALERTS,
            C.SIGN_OFF_DECISIONS,
            C.VIEW_SCHOOL_DASHBOARD,
            C.VIEW_GOVERNOR_REPORT,
            C.MANAGE_REGISTERS,
            C.VIEW_AUDIT,
            C.MANAGE_RECORDS,
            C.MANAGE_SCHOOL_DETAILS,
        }
    ),
    # The SENCO sees cases only when added to one (B11); the pupil record they need.
    Role.SENCO: frozenset(_EVERY_ADULT | {C.VIEW_PUPIL_RECORDS, C.JOIN_SEN_CASES}),
    # Told of filtering breaches (A5): they see the technical details and do their part; the DSL team manages.
    Role.ONLINE_SAFETY_COORDINATOR: frozenset(_EVERY_ADULT | {C.MANAGE_REGISTERS, C.RECEIVE_FILTERING_ALERTS}),
    Role.TECHNICAL: frozenset(_EVERY_ADULT | {C.RECEIVE_FILTERING_ALERTS}),
    # Governors see numbers, never names (G4).
    Role.GOVERNOR: frozenset({C.REPORT_CONCERN, C.VIEW_GOVERNOR_REPORT}),
    # A concern about the headteacher goes to the chair of governors (A4).
    Role.CHAIR_OF_GOVERNORS: frozenset(
        {C.REPORT_CONCERN, C.VIEW_GOVERNOR_REPORT, C.RECEIVE_HEADTEACHER_ALLEGATIONS, C.SIGN_OFF_DECISIONS}
    ),
    TrustRole.SAFEGUARDING_LEAD: frozenset(
        _DSL_TEAM - {C.REPORT_CONCERN, C.SEARCH_PUPILS}
        | {C.SIGN_OFF_DECISIONS, C.VIEW_TRUST_OVERVIEW, C.VIEW_GOVERNOR_REPORT, C.VIEW_AUDIT, C.MANAGE_PROCEDURES,
           C.MANAGE_RECORDS}
    ),
    # Least privilege: the administrator manages people and imports, never reads cases.
    TrustRole.ADMINISTRATOR: frozenset({C.MANAGE_PEOPLE, C.VIEW_TRUST_OVERVIEW, C.MANAGE_SCHOOL_DETAILS,
                                        C.ADD_SCHOOLS}),
}

# Holding any of these means reading case records or pupils' sensitive details, so
# the account must use a second factor (rule S1).
NEEDS_SECOND_FACTOR = frozenset(
    {
        C.VIEW_PUPIL_RECORDS,
        C.RECEIVE_CONCERNS,
        C.READ_CASES,
        C.MANAGE_CASES,
        C.RECEIVE_STAFF_ALLEGATIONS,
        C.RECEIVE_HEADTEACHER_ALLEGATIONS,
        C.SIGN_OFF_DECISIONS,
        C.MANAGE_PEOPLE,
        C.VIEW_AUDIT,
        C.VIEW_TRUST_OVERVIEW,
        C.MANAGE_PROCEDURES,
        C.MANAGE_REGISTERS,  # photo consents and agreements are pupil records (S1)
        C.MANAGE_RECORDS,
        C.RECORD_POLICE_NOTICES,
    }
)

ROLE_LABELS = {**dict(Role.choices), **dict(TrustRole.choices)}


def roles_with(capability):
    """The school roles (not trust roles) that hold `capability`: whom to tell at a school."""
    return frozenset(role for role in Role.values if capability in CAPABILITIES[role])


def capabilities_of(roles):
    """Return the union of the capabilities of `roles`."""
    caps = set()
    for role in roles:
        caps |= CAPABILITIES[role]
    return frozenset(caps)
