"""Opening a case from a concern, pinning its procedure; adding concerns; involving the SENCO (B11)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.capabilities import Capability
from accounts.policy import Refused, people_holding, people_who_can
from audit.log import Action, record
from cases import evaluation
from cases.access import CASES
from cases.actions.answers import reevaluate, set_required_clocks
from cases.actions import steps
from cases.actions.common import CaseError, add_entry, audit_case, case_url, schedule_escalations
from cases.models import Case, CaseMember, Entry, Task
from concerns import actions as concern_actions
from concerns import routing
from concerns.access import CONCERNS
from concerns.models import IncidentType
from notifications.actions import notify
from lib.hooks import Hook
from procedures.versions import differences, effective_for, shipped
from schools import nations

# 20.2: what the reporter gave (the device and where it is kept…) goes into the case's records, which the evidence
# app keeps (it stands above cases: docs/architecture.md). Returns the events it recorded ("device_recorded"…).
carry_from_concern = Hook("carry what the reporter gave on a concern into the case's records")


PROCEDURE_FOR = {t: t for t in IncidentType.values if t != IncidentType.OTHER}


def _is_about_staff(concern):
    """A4, F4, F8: a concern about a member of staff, whatever kind it was reported as, follows the allegation
    route (a member of staff being radicalised goes to the headteacher and the LADO, with a Prevent decision)."""
    return routing.is_about_staff(concern.incident_type, concern.subject_staff_id)


@transaction.atomic
def open_case(*, user, concern, procedure_id=None):
    """Open a case from a concern, pinning the procedure in force for its school now. Return the case.

    A concern of kind "other" needs the DSL to choose which procedure fits. A concern about a member of staff
    follows the staff allegation procedure; reported as radicalisation or indecent images of children, its case
    starts with that answered yes.
    Only those who run the concern's route may open it; someone only told of it (technical staff of a filtering
    breach, A5) is refused like a stranger.
    """
    CONCERNS.require(user, CONCERNS.Verb.OPEN_CASE, concern)
    if concern.case_id:
        return concern.case
    about_staff = _is_about_staff(concern)
    if about_staff:
        procedure_id = procedure_id or IncidentType.STAFF_ALLEGATION
    procedure_id = procedure_id or PROCEDURE_FOR.get(concern.incident_type)
    if procedure_id not in PROCEDURE_FOR.values():
        raise CaseError("Choose which procedure fits this concern.", field="procedure")
    if about_staff and procedure_id != IncidentType.STAFF_ALLEGATION:
        raise CaseError("A concern about a member of staff follows the staff allegation procedure.")
    procedure = effective_for(concern.school, procedure_id)
    # Kept with the case: how this school's version differed from the shipped one that day.
    procedure["pinned"]["differences"] = differences(shipped(procedure_id), procedure)
    now = timezone.now()
    known, carried = {}, routing.ABOUT_STAFF_WHEN_NAMED.get(concern.incident_type) if about_staff else None
    if carried:
        known[carried[0]] = True  # what the reporter told us is not asked again
    case = Case.objects.create(
        school=concern.school, incident_type=procedure_id, route=concern.route, subject_staff=concern.subject_staff,
        opened_by=user, opened_at=now, incident_recorded_at=concern.created_at, procedure_id=procedure_id,
        procedure=procedure, facts=known,
    )
    audit_case(user, case, Action.CREATE, ["incident_type", "route", "status", "procedure"], from_concern=concern.id,
           procedure=procedure["pinned"]["label"])
    add_entry(case, Entry.Kind.OPENED, user,
           f"Case opened from concern {concern.reference}. Procedure: {procedure['pinned']['label']}.")
    if carried:
        kind = concern.get_incident_type_display()
        add_entry(case, Entry.Kind.ANSWERS, user, f"Reported as a concern of the kind ‘{kind}’ about this member of "
                  f"staff: {carried[1]}", ["F4", "C9", "B15"])
    tasks = Task.objects.bulk_create([
        Task(case=case, key=t["id"], phase=t["phase"], title=t["title"], rules=t["rules"],
             **dict(zip(("due_at", "due_before_open"), steps.opening_due(case, t["due_after_minutes"], now),
                        strict=True)))
        for t in procedure["tasks"]
    ])
    _link(user=user, concern=concern, case=case, first=True)
    assessment = evaluation.assess(case)
    case.evaluation = assessment.result
    case.save(update_fields=["evaluation"])
    _record_what_the_kind_carries(user, case, assessment)
    moved = {t.id for t in set_required_clocks(case, assessment)}
    schedule_escalations([t for t in tasks if t.due_at and t.id not in moved])
    _what_is_known_at_opening(user, case, concern)
    return case


def _what_is_known_at_opening(user, case, concern):
    """20.2, 20.3: what the reporter gave is carried into the case's records, the people the procedure names are
    told, and the steps those complete are ticked, each with its reason in the chronology."""
    steps.event_happened(case=case, event="concern_acknowledged", user=user,
                         why=f"concern {concern.reference} was acknowledged and opened as this case")
    carry_from_concern(user=user, case=case, concern=concern)
    tell_on_opening(case)


def _record_what_the_kind_carries(user, case, assessment):
    """B14, B15, B16: the chronology says from the start what this kind implies and requires, and why."""
    for item in assessment.result["implied_answers"]:
        answer = "yes" if item["answer"] else "no"
        add_entry(case, Entry.Kind.ANSWERS, user, f"Answered {answer} from the kind of incident: ‘{item['text']}’ "
                  f"Why: {item['reason']}", item["rules"])
    for item in assessment.required:
        if item["applies"] is True:
            add_entry(case, Entry.Kind.REFERRAL_REQUIRED, user, f"A referral to {item['to']} is required: "
                      f"{item['reason']}", item["rules"])


@transaction.atomic
def attach_to_case(*, user, concern, case):
    """Several reports of one incident become one case. Only within the same school and route, by those
    who run both."""
    CONCERNS.require(user, CONCERNS.Verb.OPEN_CASE, concern)
    CASES.require(user, CASES.Verb.MANAGE, case)
    if case.school_id != concern.school_id or case.route != concern.route or not case.is_open:
        raise Refused("No such open case")
    _link(user=user, concern=concern, case=case)
    carry_from_concern(user=user, case=case, concern=concern)
    reevaluate(user=user, case=case, why="A new concern was added.")
    return case


def _link(*, user, concern, case, first=False):
    concern_actions.link_to_case(user=user, concern=concern, case=case)
    if not first:
        add_entry(case, Entry.Kind.CONCERN, user,
               f"Concern {concern.reference} (reported by {concern.reporter_name}) added to this case.")
    involve_senco(case=case, by=user)


def involve_senco(*, case, by):
    """B11: when a child in the case has special educational needs, the SENCO is involved."""
    links = [link for link in evaluation.case_pupils(case) if link.pupil.has_sen]
    if not links:
        return []
    sencos = people_who_can(case.school, Capability.JOIN_SEN_CASES, exclude=[case.subject_staff_id])
    added = []
    for senco in sencos:
        if CaseMember.objects.filter(case=case, user=senco).exists():
            continue
        CaseMember.objects.create(case=case, user=senco, why=CaseMember.Why.SENCO, added_by=by,
                                  added_at=timezone.now(), reason="A child in this case has special educational needs.")
        record(actor=by, action=Action.CREATE, object_type="case_member", object_id=f"{case.id}:{senco.id}",
               school=case.school_id, detail={"why": "senco", "rule": "B11"})
        add_entry(case, Entry.Kind.PERSON, by, f"{senco.full_name} (SENCO) added: a child in this case has special "
               "educational needs.", ["B11"])
        added.append(senco)
    if added:
        notify(users=added, school=case.school, reference=case.reference,
               text=f"You have been added to case {case.reference} at {case.school.name} as SENCO: open it to see "
                    "what it needs of you", url=case_url(case))
    elif not sencos and not case.entries.filter(kind=Entry.Kind.PERSON, text__contains="SENCO role").exists():
        add_entry(case, Entry.Kind.PERSON, by, "A child in this case has special educational needs, but nobody holds "
               "the SENCO role in Harbour. Involve the SENCO another way and record it.", ["B11"])
    return added


ROLE_WORDS = {"headteacher": "the headteacher", "technical": "IT staff"}


def tell_on_opening(case):
    """20.3, E1 *Report*: the people the procedure names (the headteacher and IT staff for sextortion) are told the
    moment the case opens, by a notice that says what is needed and where, and names no child. The step that asks
    for it is ticked by it ("headteacher_and_it_told")."""
    roles = case.procedure.get("notify_on_open") or []
    if not roles:
        return []
    told, named = [], []
    for role in roles:
        people = [p for p in people_holding(case.school, role, exclude=[case.subject_staff_id]) if p not in told]
        told += people
        if people:
            named.append(ROLE_WORDS.get(role, role))
    if told:
        # Linked to their home page: the case itself is for the safeguarding team (H3), not everyone told of it.
        kind = case.get_incident_type_display().split(" (")[0].lower()
        notify(users=told, school=case.school, url=reverse("home"), urgent=True, reference=case.reference,
               key=f"opened:{case.id}", text=str(nations.words(case.school).case_opened_notice).format(
                   kind=kind, reference=case.reference, school=case.school.name))
    who = ", ".join(f"{p.full_name} ({_role_of(p, case, roles)})" for p in told) or "nobody beyond the team"
    add_entry(case, Entry.Kind.NOTE, None, f"Told that this case has opened (a notice naming no child): {who}.",
              ["E1"])
    wanted = [ROLE_WORDS.get(r, r) for r in roles]
    if told and set(wanted) <= set(named):
        steps.event_happened(case=case, event="headteacher_and_it_told", user=None,
                             why=f"{' and '.join(wanted)} were told by Harbour when the case opened")
    return told


def _role_of(person, case, roles):
    for role in roles:
        if person.memberships.filter(school=case.school, role=role).exists():
            return ROLE_WORDS.get(role, role)
    return ""
