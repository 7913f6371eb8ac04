"""Subject access (rule H6): everything held about one person, with third parties' names taken out.

`build_export(user, school, kind, subject_id)` gathers, redacts and returns an Export: the
same data is shown on screen for review, printed as a PDF and given as JSON. Its sha256
says which version was reviewed, exported and released.

What "everything" means here, for each kind of person:
- a pupil: their pupil record, their carers (relationship only), each concern naming them
  with their own role, each case those concerns belong to with its chronology, decisions,
  referrals and evidence, what their parents were told and deletions asked of them, what
  they were offered to have images of them removed online and what they chose (J5), and
  who looked at their pupil record (H2);
- a parent or carer: their contact record, the children they are linked to, what they
  were told about a child, and every concern or chronology entry that names them;
- a member of staff: their account and roles, concerns and cases about them (allegations),
  concerns they reported, chronology entries and decisions they wrote, and their actions
  in the audit trail at this school.

Records the person preparing the export may not see (an allegation, for the DSL team) are
left out and counted, so the reviewer can ask the person who can see them (A4).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.capabilities import ROLE_LABELS
from accounts.models import Membership, User
from audit.models import AuditEvent
from cases.models import Case, Decision, Entry, Referral, Takedown
from concerns.models import ChildRole, Concern, ConcernChild, IncidentType
from evidence.models import Deletion, Device, EvidenceItem, ParentContact
from lib.pdf import render_pdf
from records import access, people
from records.models import StaffBirthDate
from records.redaction import ADULT, CHILD, mentions
from schools.models import Carer, Pupil, PupilCarer

KINDS = {"pupil": "Pupil", "carer": "Parent or carer", "staff": "Member of staff"}

SECTION_TITLES = {
    "person": "Their record",
    "carers": "Parents and carers",
    "children": "Children they are linked to",
    "concerns": "Concerns",
    "allegations": "Concerns about them",
    "reported": "Concerns they reported",
    "cases": "Cases",
    "chronology": "Case chronology",
    "decisions": "Decisions",
    "referrals": "Referrals to other agencies",
    "parents_told": "Parents and carers told",
    "deletions": "Deletion of images asked for",
    "takedowns": "Help to have images removed online (Report Remove, Take It Down)",
    "evidence": "Evidence recorded (descriptions only)",
    "devices": "Devices taken into safe keeping",
    "record_views": "Who looked at their record",
    "activity": "What they did in Harbour",
}


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _date(value):
    return value.isoformat() if value else ""


def _yes_no(value):
    return {True: "Yes", False: "No"}.get(value, "")


def _clean(**fields):
    return {k: v for k, v in fields.items() if v not in ("", None, [])}


@dataclass
class Export:
    kind: str
    subject_id: int
    school: object
    name: str
    data: dict
    hidden_records: int = 0
    sha256: str = field(init=False)

    def __post_init__(self):
        self.sha256 = hashlib.sha256(self.json_bytes(with_time=False)).hexdigest()

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def sections(self):
        return [{"key": k, "title": SECTION_TITLES[k], "items": v} for k, v in self.data["sections"].items() if v]

    def json_bytes(self, *, with_time=True):
        body = dict(self.data)
        if with_time:
            body["generated_at"] = _local(timezone.now())
            body["sha256"] = self.sha256
        return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False).encode()

    def html(self, *, printed_by):
        return render_to_string("records/print/export.html", {
            "export": self, "printed_by": printed_by, "printed_at": timezone.localtime()})

    def pdf(self, *, printed_by):
        return render_pdf(self.html(printed_by=printed_by))


# -- Pieces shared by every kind -------------------------------------------------------

def _concern_item(concern, redact, role=""):
    return _clean(
        reference=concern.reference, reported_at=_local(concern.created_at),
        incident_type=IncidentType(concern.incident_type).label,
        their_role=ChildRole(role).label if role else "",
        reported_by=(redact.name_of(concern.reported_by_id, concern.reporter_name) if concern.reported_by_id
                     else concern.reporter_name),
        occurred_at=_local(concern.occurred_at),
        where=redact(concern.location), account=redact(concern.account), disclosed_to=redact(concern.disclosed_to),
        actions_taken=redact(concern.actions_taken), device_location=redact(concern.device_location),
        what_was_seen=redact(concern.breach_seen), status=concern.get_status_display(),
        case=concern.case.reference if concern.case_id else "")


def _cases_sections(cases, redact, *, pupil=None):
    """Cases with their chronology, decisions, referrals and evidence; for a pupil, their takedown records too (J5).
    Eight queries, nine for a pupil."""
    ids = [c.id for c in cases]
    sections = {"cases": [], "chronology": [], "decisions": [], "referrals": [], "evidence": [], "devices": []}
    for c in cases:
        sections["cases"].append(_clean(
            reference=c.reference, incident_type=IncidentType(c.incident_type).label, opened_at=_local(c.opened_at),
            status=c.get_status_display(), classification=c.classification, outcome=c.get_outcome_display(),
            summary=redact(c.summary), debrief=redact(c.debrief), lessons_learnt=redact(c.lessons_learnt),
            closed_at=_local(c.closed_at)))
    refs = {c.id: c.reference for c in cases}
    for e in Entry.objects.filter(case_id__in=ids).select_related("author").order_by("case_id", "at", "id"):
        sections["chronology"].append(_clean(case=refs[e.case_id], at=_local(e.at), kind=e.get_kind_display(),
                                             by=redact.name_of(e.author_id, e.author.full_name if e.author else ""),
                                             text=redact(e.text)))
    for d in Decision.objects.filter(case_id__in=ids).select_related("decided_by").order_by("case_id", "decided_at"):
        sections["decisions"].append(_clean(case=refs[d.case_id], at=_local(d.decided_at), kind=d.get_kind_display(),
                                            decision=redact(d.choice), reason=redact(d.reason),
                                            by=redact.name_of(d.decided_by_id, d.decided_by.full_name),
                                            state=d.get_state_display()))
    for r in Referral.objects.filter(case_id__in=ids).order_by("case_id", "made_at"):
        sections["referrals"].append(_clean(
            case=refs[r.case_id], agency=r.agency_label, how=r.route_label, made_at=_local(r.made_at),
            their_reference=r.reference, notes=redact(r.notes), their_answer=redact(r.response),
            answered_at=_local(r.response_at), outcome=redact(r.outcome), crime_reference=r.crime_reference))
    for item in EvidenceItem.objects.filter(case_id__in=ids).order_by("case_id", "recorded_at"):
        sections["evidence"].append(_clean(
            case=refs[item.case_id], kind=item.get_kind_display(), platform=item.platform, what=redact(item.value),
            seen_at=_local(item.seen_at), description=redact(item.description)))
    for d in Device.objects.filter(case_id__in=ids).order_by("case_id", "recorded_at"):
        sections["devices"].append(_clean(case=refs[d.case_id], whose=redact(d.owner), make=redact(d.make),
                                          recorded_at=_local(d.recorded_at)))
    contacts = ParentContact.objects.filter(case_id__in=ids)
    deletions = Deletion.objects.filter(case_id__in=ids)
    if pupil is not None:  # only what concerns this child, never another child's family
        contacts, deletions = contacts.filter(pupil=pupil), deletions.filter(pupil=pupil)
    sections["parents_told"] = [_contact_item(p, refs, redact) for p in contacts.order_by("recorded_at")]
    sections["deletions"] = [_clean(case=refs[d.case_id], asked_at=_local(d.requested_at), deadline=_local(d.deadline),
                                    where=", ".join(d.scope), state=d.get_state_display(),
                                    how_confirmed=redact(d.confirmed_how)) for d in deletions.order_by("requested_at")]
    if pupil is not None:  # J5: this child's own records only, each as it was added (the latest is where it stands)
        sections["takedowns"] = [
            _clean(case=refs[t.case_id], recorded_at=_local(t.recorded_at), offered=t.get_service_display(),
                   their_choice=t.get_choice_display(), outcome=t.get_outcome_display(), notes=redact(t.notes),
                   by=redact.name_of(t.recorded_by_id, t.recorded_by.full_name))
            for t in Takedown.objects.filter(case_id__in=ids, pupil=pupil).select_related("recorded_by")
            .order_by("recorded_at", "id")]
    return sections


def _contact_item(p, refs, redact):
    return _clean(case=refs.get(p.case_id, ""), told=_yes_no(p.informed), told_at=_local(p.informed_at),
                  how=redact(p.how), child_involvement=redact(p.child_involvement),
                  not_told_agreed_with=p.get_agreed_with_display() if p.agreed_with else "",
                  reason=redact(p.reason))


def _visible(user, cases):
    cases = list({c.id: c for c in cases}.values())
    shown = sorted((c for c in cases if access.may_manage(user, c)), key=lambda c: c.opened_at)
    return shown, len(cases) - len(shown)


# -- Each kind of person ---------------------------------------------------------------

def _pupil(user, school, pupil):
    person = _clean(
        name=f"{pupil.legal_first_name} {pupil.legal_last_name}",
        preferred_name=pupil.display_name if pupil.display_name != f"{pupil.legal_first_name} {pupil.legal_last_name}"
        else "", unique_pupil_number=pupil.upn, date_of_birth=_date(pupil.date_of_birth), sex=pupil.get_sex_display(),
        year_group=pupil.year_label, special_educational_needs=pupil.get_sen_status_display(),
        looked_after_child=_yes_no(pupil.is_looked_after), child_in_need=_yes_no(pupil.is_child_in_need),
        child_protection_plan=_yes_no(pupil.has_child_protection_plan), left_on=_date(pupil.left_on))
    carers = [_clean(relationship=link.relationship, name=ADULT,
                     parental_responsibility=_yes_no(link.has_parental_responsibility),
                     lives_with_them=_yes_no(link.lives_with_pupil))
              for link in PupilCarer.objects.filter(pupil=pupil)]
    links = list(ConcernChild.objects.filter(pupil=pupil).select_related("concern__reported_by", "concern__case")
                 .order_by("concern__created_at"))
    cases, hidden = _visible(user, [link.concern.case for link in links if link.concern.case_id])
    shown_ids = {c.id for c in cases}
    shown = [link for link in links if link.concern.case_id is None or link.concern.case_id in shown_ids]
    redact = people.redactor_for(purpose=people.PUPIL, school=school, subject=pupil, cases=cases,
                                 concerns=[link.concern for link in shown])
    concerns = [_concern_item(link.concern, redact, link.role) for link in shown]
    views = [_clean(at=_local(e.occurred_at), what=e.get_action_display(), by=redact.name_of(e.actor_id, e.actor_name))
             for e in AuditEvent.objects.filter(object_type="pupil", object_id=str(pupil.id)).order_by("seq")]
    sections = {"person": [person], "carers": carers, "concerns": concerns,
                **_cases_sections(cases, redact, pupil=pupil), "record_views": views}
    return pupil.display_name, sections, hidden


def _carer(user, school, carer):
    full = f"{carer.first_name} {carer.last_name}"
    person = _clean(name=full, title=carer.title, email=carer.email, phone=carer.phone)
    links = list(PupilCarer.objects.filter(carer=carer))
    children = [_clean(name=CHILD, relationship=link.relationship,
                       parental_responsibility=_yes_no(link.has_parental_responsibility)) for link in links]
    pupil_ids = [link.pupil_id for link in links]
    cases, hidden = _visible(user, Case.objects.filter(concerns__children__pupil_id__in=pupil_ids))
    refs = {c.id: c.reference for c in cases}
    redact = people.redactor_for(purpose=people.CARER, school=school, subject=carer, cases=cases)
    told = [_contact_item(p, refs, redact) for p in
            ParentContact.objects.filter(case_id__in=refs, pupil_id__in=pupil_ids).order_by("recorded_at")]
    names = [full] + ([f"{carer.title} {carer.last_name}"] if carer.title else [])
    concerns = [_concern_item(c, redact) for c in Concern.objects.filter(case_id__in=refs).select_related(
        "reported_by", "case").order_by("created_at")
        if any(mentions(t, names) for t in (c.account, c.actions_taken, c.disclosed_to))]
    chronology = [_clean(case=refs[e.case_id], at=_local(e.at), kind=e.get_kind_display(),
                         by=redact.name_of(e.author_id, e.author.full_name if e.author else ""), text=redact(e.text))
                  for e in Entry.objects.filter(case_id__in=refs).select_related("author").order_by("at", "id")
                  if mentions(e.text, names)]
    sections = {"person": [person], "children": children, "parents_told": told, "concerns": concerns,
                "chronology": chronology}
    return full, sections, hidden


def _staff(user, school, staff):
    roles = [f"{ROLE_LABELS[m.role]}{', ' + m.job_title if m.job_title else ''}"
             for m in Membership.objects.filter(user=staff, school=school)]
    born = StaffBirthDate.objects.filter(user=staff).values_list("date_of_birth", flat=True).first()
    person = _clean(name=staff.full_name, email=staff.email, roles="; ".join(roles), joined=_local(staff.date_joined),
                    active=_yes_no(staff.is_active), date_of_birth=_date(born))
    about = list(Concern.objects.filter(school=school, subject_staff=staff).select_related("reported_by", "case"))
    cases, hidden = _visible(user, Case.objects.filter(school=school, subject_staff=staff))
    about = [c for c in about if c.case_id is None or c.case_id in {x.id for x in cases}]
    reported = list(Concern.objects.filter(school=school, reported_by=staff).select_related("reported_by", "case")
                    .order_by("created_at"))
    # What they wrote in cases at this school that the person preparing this may see.
    written = [c for c in Case.objects.filter(school=school).filter(
        Q(entries__author=staff) | Q(decisions__decided_by=staff)).distinct() if access.may_manage(user, c)
        and c.id not in {x.id for x in cases}]
    redact = people.redactor_for(purpose=people.STAFF, school=school, subject=staff, cases=cases + written,
                                 concerns=about + reported)
    case_sections = _cases_sections(cases, redact)
    refs = {c.id: c.reference for c in written}
    case_sections["chronology"] += [
        _clean(case=refs[e.case_id], at=_local(e.at), kind=e.get_kind_display(), by=staff.full_name,
               text=redact(e.text))
        for e in Entry.objects.filter(case_id__in=refs, author=staff).order_by("at", "id")]
    case_sections["decisions"] += [
        _clean(case=refs[d.case_id], at=_local(d.decided_at), kind=d.get_kind_display(), decision=redact(d.choice),
               reason=redact(d.reason), by=staff.full_name, state=d.get_state_display())
        for d in Decision.objects.filter(case_id__in=refs, decided_by=staff).order_by("decided_at")]
    activity = [_clean(at=_local(e.occurred_at), what=e.get_action_display(), record=e.object_type,
                       record_id=e.object_id)
                for e in AuditEvent.objects.filter(actor=staff, school=school).order_by("seq")]
    sections = {"person": [person],
                "allegations": [_concern_item(c, redact) for c in about],
                "reported": [_concern_item(c, redact) for c in reported], **case_sections, "activity": activity}
    return staff.full_name, sections, hidden


def find_subject(school, kind, subject_id):
    """The person, if they belong to `school`; Http404 otherwise."""
    if kind == "pupil":
        found = Pupil.objects.filter(school=school, id=subject_id).first()
    elif kind == "carer":
        found = Carer.objects.filter(school=school, id=subject_id).first()
    elif kind == "staff":
        found = User.objects.filter(memberships__school=school, id=subject_id).distinct().first()
    else:
        found = None
    if found is None:
        raise Http404("No such person")
    return found


def build_export(user, school, kind, subject_id):
    """H6: the redacted export about one person at `school`. Http404 for a stranger or a missing person."""
    if not access.may_answer(user, kind, school.id):
        raise Http404("No such person")
    subject = find_subject(school, kind, subject_id)
    if kind == "staff" and subject.id == user.id:
        raise Http404("No such person")  # someone else answers a request about you
    gather = {"pupil": _pupil, "carer": _carer, "staff": _staff}[kind]
    name, sections, hidden = gather(user, school, subject)
    data = {"about": {"kind": kind, "name": name}, "school": school.name, "rules": ["H6"],
            "redaction": people.explanation(kind),
            "sections": {k: sections.get(k, []) for k in SECTION_TITLES if k in sections}}
    return Export(kind=kind, subject_id=subject.id, school=school, name=name, data=data, hidden_records=hidden)


def search(user, school, text):
    """People at `school` whose names start with any word of `text`, for the kinds `user` may answer for."""
    words = (text or "").split()[:4]
    if not words:
        return []
    results = []
    if access.may_answer(user, "pupil", school.id):
        results += [("pupil", p.id, p.display_name, f"Pupil, {p.year_label}")
                    for p in Pupil.objects.filter(school=school).search(" ".join(words))[:25]]
        q = Q()
        for w in words:
            q &= Q(first_name__istartswith=w) | Q(last_name__istartswith=w)
        results += [("carer", c.id, f"{c.first_name} {c.last_name}", "Parent or carer")
                    for c in Carer.objects.filter(school=school).filter(q)[:25]]
    if access.may_answer(user, "staff", school.id):
        q = Q()
        for w in words:
            q &= Q(full_name__icontains=w)
        results += [("staff", u.id, u.full_name, "Member of staff")
                    for u in User.objects.filter(memberships__school=school).filter(q).exclude(id=user.id)
                    .distinct()[:25]]
    return results
