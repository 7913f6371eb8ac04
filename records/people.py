"""Who the people named in a record are, and what each one's name becomes (rules H5, H6).

A child protection file sent to a new school (`TRANSFER`) and a subject access export about a pupil, a
parent or carer, or a member of staff (`PUPIL`, `CARER`, `STAFF`) are redacted by who a name belongs to,
not by matching words: `redactor_for` finds the people linked to the record and their roles, and
`records.redaction.Redactor` works out which of them a name in free text means.

What each role becomes:

| role                                      | transfer   | pupil      | carer      | staff      |
|-------------------------------------------|------------|------------|------------|------------|
| the person the file or export is about    | stays      | stays      | stays      | stays      |
| the child's parents and carers            | stay       | an adult   |            |            |
| the carer's own children                  |            |            | a child    |            |
| other children on the record              | a child    | a child    | a child    | a child    |
| their parents and carers                  | an adult   | an adult   | an adult   | an adult   |
| staff, in their role                      | stay       | stay       | stay       | an adult   |
| the member of staff a case is about       | an adult   | an adult   | an adult   |            |
| anyone else at the school                 | a child or an adult                              |

Why:
- Other children, and the parents who would identify them, are third parties everywhere: a child's file
  and an export hold only what is about that child or that person.
- The new school needs the child's family (it is their file, and the school will work with them), so a
  transfer keeps them. A pupil's export does not: a child may ask for it themselves, and a parent's name
  is the parent's own data; the reviewer can put it back when the parent asks on the child's behalf.
- A parent's export is about the parent: their child is a data subject in their own right and is
  answered through the child's own export.
- Staff named for what they did in their job stay named in a child's file and in a pupil's or parent's
  export. The receiving DSL needs to know whom to ask; and for a subject access request the law treats
  the name of an education worker acting in that role in an educational record as reasonable to disclose
  (Data Protection Act 2018, Schedule 2, Part 3, paragraphs 16 and 17; the ICO's right of access guidance
  says the same of staff acting in their official capacity). Where naming someone could put them at risk
  of serious harm, the reviewer takes the name out before release.
- In a member of staff's own export, colleagues are third parties: that record is about them as an
  employee (concerns about them, what they reported), not an educational record, and a colleague who
  raised a concern about them must not be exposed by it.
- The member of staff a case is about is not acting in their role in it: that allegation belongs with the
  LADO and the staff file, so their name is taken out of a child's file and of a pupil's or parent's export.
"""

from django.db.models import Q

from accounts.models import User
from records.redaction import ADULT, CHILD, Person, Redactor
from schools.models import Carer, Pupil, PupilCarer

TRANSFER, PUPIL, CARER, STAFF = "transfer", "pupil", "carer", "staff"


def _pupil_names(first, last, p_first, p_last):
    return tuple(dict.fromkeys([f"{first} {last}", f"{p_first or first} {p_last or last}",
                                f"{p_first or first} {last}"]))


def _carer_names(first, last):
    return (f"{first} {last}",)


def redactor_for(*, purpose, school, subject, cases=(), concerns=()):
    """The Redactor for a file or export about `subject` (a Pupil, Carer or User) at `school`, covering `cases`
    and `concerns` (the concerns outside those cases that the export holds). Five queries."""
    from concerns.models import ConcernChild

    case_ids = [c.id for c in cases]
    concern_ids = [c.id for c in concerns]
    accused = {c.subject_staff_id for c in [*cases, *concerns] if c.subject_staff_id}
    subject_pupil = subject.id if purpose in (TRANSFER, PUPIL) else None
    subject_carer = subject.id if purpose == CARER else None
    subject_user = subject.id if purpose == STAFF else None

    on_record = set(ConcernChild.objects.filter(Q(concern__case_id__in=case_ids) | Q(concern_id__in=concern_ids))
                    .values_list("pupil_id", flat=True)) - {subject_pupil}
    linked_to = Q(pupil_id__in=on_record | {subject_pupil}) if subject_carer is None else Q(carer_id=subject_carer)
    links = list(PupilCarer.objects.filter(linked_to).values_list("pupil_id", "carer_id"))
    their_carers = {c for p, c in links if p == subject_pupil}  # the pupil's own parents and carers
    their_children = {p for p, c in links if c == subject_carer}  # the carer's own children
    families_on_record = {c for p, c in links if p in on_record}

    people = []
    for pid, *names in Pupil.objects.filter(Q(school=school) | Q(id__in=on_record | their_children)).values_list(
            "id", "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name"):
        names = _pupil_names(*names)
        if pid == subject_pupil:
            people.append(Person(names=names, shown_as=None, adult=False,
                                 family_shown_as=None if purpose == TRANSFER else ADULT))
        elif pid in their_children:
            people.append(Person(names=names, shown_as=CHILD, adult=False, family_shown_as=None))
        else:
            people.append(Person(names=names, shown_as=CHILD, adult=False, family_shown_as=ADULT,
                                 linked=pid in on_record))
    for cid, first, last in Carer.objects.filter(Q(school=school) | Q(id__in=their_carers | families_on_record)
                                                 ).values_list("id", "first_name", "last_name"):
        names = _carer_names(first, last)
        if cid == subject_carer or (purpose == TRANSFER and cid in their_carers):
            people.append(Person(names=names, shown_as=None, adult=True))
        else:
            people.append(Person(names=names, shown_as=ADULT, adult=True,
                                 linked=cid in their_carers or cid in families_on_record))
    staff = User.objects.filter(Q(memberships__school=school) | Q(trust_memberships__trust=school.trust_id)
                                | Q(id__in=accused | {subject_user})).distinct().values_list("id", "full_name")
    for uid, full_name in staff:
        in_role = uid == subject_user or (purpose != STAFF and uid not in accused)
        people.append(Person(names=(full_name,), shown_as=None if in_role else ADULT, adult=True,
                             by_first_name=False, user_id=uid))
    return Redactor(people=people)


def explanation(purpose):
    """One sentence for the reader: what was taken out and what stays."""
    if purpose == STAFF:
        return f"Other children's names are shown as {CHILD}, other adults' (colleagues too) as {ADULT}."
    return (f"Other children's names are shown as {CHILD}, other adults' as {ADULT}. Staff are named where they "
            "acted in their role.")
