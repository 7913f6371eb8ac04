"""How long each register's entries last, and who counts as staff: data in one place (I1–I6).

Views and actions read these; none of them writes a period of its own. To change how often
something is renewed, change it here.
"""

from dataclasses import dataclass
from datetime import date

from accounts.capabilities import Role

# I1: a policy is reviewed every year unless a significant change brings the review forward.
POLICY_REVIEW_MONTHS = 12
# The registers show what falls due within this many days as "due soon".
DUE_SOON_DAYS = 30
# I4: images of a pupil who has left are kept this long after they left, then deleted.
LEAVER_IMAGES_YEARS = 7
# I6: filtering and monitoring are reviewed at least once a year.
FILTERING_REVIEW_MONTHS = 12
# I2, I3: agreements and photo consent are renewed each academic year, which starts on this day.
ACADEMIC_YEAR_STARTS = (9, 1)  # 1 September

# People who sign the staff agreement and need training: everyone who works at the school.
# Governors are volunteers with their own induction, so they are not counted here.
STAFF_ROLES = frozenset({
    Role.STAFF, Role.DSL, Role.DEPUTY_DSL, Role.HEADTEACHER, Role.SENCO, Role.ONLINE_SAFETY_COORDINATOR,
    Role.TECHNICAL,
})


@dataclass(frozen=True)
class Requirement:
    """I5: one kind of training that some roles must hold, and how long it lasts."""

    kind: str
    roles: frozenset
    every_months: int | None  # None: once is enough
    also_counts: tuple = ()  # other kinds that start the same clock
    missing: str = ""
    expired: str = ""


TRAINING_REQUIREMENTS = (
    Requirement("induction", STAFF_ROLES, None, missing="No online-safety induction recorded"),
    # The induction is the first update: the annual clock starts from whichever came last.
    Requirement("annual_update", STAFF_ROLES, 12, also_counts=("induction",),
                missing="No annual online-safety update recorded",
                expired="Annual online-safety update is more than 12 months old"),
    Requirement("dsl", frozenset({Role.DSL, Role.DEPUTY_DSL}), 24, missing="No DSL training recorded",
                expired="DSL training is more than 2 years old"),
)


def add_months(day, months):
    """`day` moved by whole months; the 29th–31st fall back to the month's last day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def academic_year(day):
    """The academic year `day` falls in, by the calendar year it starts: 1 Sep 2025–31 Aug 2026 → 2025."""
    return day.year if (day.month, day.day) >= ACADEMIC_YEAR_STARTS else day.year - 1


def academic_year_label(start):
    return f"{start} to {start + 1}"


def key_stage(year_group):
    """The pupil agreement a child's year group signs (age-appropriate versions, I2)."""
    if year_group <= 2:
        return "ks1"
    if year_group <= 6:
        return "ks2"
    if year_group <= 9:
        return "ks3"
    if year_group <= 11:
        return "ks4"
    return "ks5"
