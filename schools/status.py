"""What the school's MIS says about a pupil that matters to safeguarding: status flags (child protection plan, child
in need, looked after, previously looked after, young carer, SEN) and the other pupils who share a parent or carer.

Shown on the pupil's record and on a case to the DSL team only (`may_see`); a flag suggests that a child may be more
vulnerable than usual, for the DSL to decide; it never answers that question (rule B3).
"""

from django.db.models import Q

from accounts.capabilities import Capability
from lib.compiled import Compiled

FLAGS = (
    ("has_child_protection_plan", "Child protection plan", "govuk-tag--red"),
    ("is_child_in_need", "Child in need", "govuk-tag--orange"),
    ("is_looked_after", "Looked after", "govuk-tag--purple"),
    ("was_looked_after", "Previously looked after", "govuk-tag--purple"),
    ("is_young_carer", "Young carer", "govuk-tag--yellow"),
)


def may_see(user, school) -> bool:
    """The DSL team (those who read cases) sees the flags and household links; staff, governors, the headteacher and
    the SENCO (who see a pupil's record for other reasons) do not."""
    return school is not None and user.access.can(Capability.READ_CASES, school)


def flags(pupil) -> list[tuple[str, str]]:
    """[(label, tag class)] for each status the MIS gave the pupil, SEN last."""
    found = [(label, css) for field, label, css in FLAGS if getattr(pupil, field)]
    if pupil.has_sen:
        found.append((pupil.get_sen_status_display(), "govuk-tag--blue"))
    return found


def household(pupil) -> list[dict]:
    """The other pupils on roll at the school who share a parent or carer with `pupil`, from the contact file: each
    with the carer and whether both live with them (the same household)."""
    return households([pupil])[pupil.id]


# What a household row is shown with: the other pupil's name, year and link, and the carer's name.
HOUSEHOLD_FIELDS = ("pupil_id", "carer_id", "lives_with_pupil", "pupil__school_id", "pupil__legal_first_name",
                    "pupil__legal_last_name", "pupil__preferred_first_name", "pupil__preferred_last_name",
                    "pupil__year_group", "carer__first_name", "carer__last_name")


def _links(ids, schools):
    """Every link to a carer of the pupils `ids`: theirs, and those of the other pupils on roll at `schools`."""
    from schools.models import PupilCarer

    theirs = PupilCarer.objects.filter(pupil__in=ids).values("carer_id")
    return (PupilCarer.objects.filter(Q(pupil__in=ids) | Q(pupil__school__in=schools, pupil__left_on__isnull=True),
                                      carer_id__in=theirs)
            .select_related("pupil", "carer").only(*HOUSEHOLD_FIELDS, "pupil__left_on")
            .order_by("pupil__legal_last_name", "pupil_id", "id"))


_LINKS = Compiled(_links)  # compiled once per number of pupils and schools (lib/compiled.py, issue 24)


def households(pupils) -> dict[int, list[dict]]:
    """{pupil id: household(pupil)} for several pupils in one query, whatever their number (the case page): every link
    to a carer of theirs, both their own (whether they live with the carer) and those of the other pupils on roll."""
    found = {pupil.id: {} for pupil in pupils}
    schools = {pupil.school_id for pupil in pupils}
    links = _LINKS(sorted(found), sorted(schools)) if found else []
    mine = {}
    for link in links:
        if link.pupil_id in found:
            mine.setdefault(link.carer_id, {})[link.pupil_id] = link
    for link in links:
        if link.pupil.left_on is not None or link.pupil.school_id not in schools:
            continue  # one of the pupils asked about, no longer on roll or at another school: not in a household
        for pupil_id, own in mine[link.carer_id].items():
            if link.pupil_id == pupil_id or link.pupil.school_id != _school_of(pupils, pupil_id):
                continue
            entry = found[pupil_id].setdefault(link.pupil_id, {"pupil": link.pupil, "carers": [],
                                                               "same_home": False})
            entry["carers"].append(f"{link.carer.first_name} {link.carer.last_name}".strip())
            if link.lives_with_pupil and own.lives_with_pupil:
                entry["same_home"] = True
    return {pupil_id: list(others.values()) for pupil_id, others in found.items()}


def _school_of(pupils, pupil_id):
    return next(p.school_id for p in pupils if p.id == pupil_id)
