"""What needs attention in each register: pure reads, each a fixed number of queries.

Every function takes `today` so a page works out its answers from one date.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Max

from registers import periods
from registers.models import (
    AgreementSignature,
    Audience,
    FilteringReview,
    FilteringRole,
    LeaverImagesDeletion,
    Place,
    PhotoConsent,
    TrainingRecord,
)
from schools import nations


# I3: may I use this pupil's photo? -------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    place: str
    label: str
    yes: bool
    reason: str


def photo_answers(consents, today):
    """I3: for each place, yes or no with the reason, from all of one pupil's consent records.

    The latest record for a place decides (by its date, then the order it was recorded): consent given
    in this academic year is a yes; anything else is a no, and the reason says why.
    """
    latest = {}
    for consent in sorted(consents, key=lambda c: (c.on, c.id)):
        latest[consent.place] = consent
    this_year = periods.academic_year(today)
    answers = []
    for place, label in Place.choices:
        c = latest.get(place)
        if c is None:
            answers.append(Answer(place, label, False, "No consent recorded."))
        elif c.decision == PhotoConsent.Decision.WITHDRAWN:
            answers.append(Answer(place, label, False, f"Consent withdrawn in writing on {c.on:%-d %B %Y}."))
        elif c.decision == PhotoConsent.Decision.REFUSED:
            answers.append(Answer(place, label, False, f"Consent refused on {c.on:%-d %B %Y}."))
        elif c.academic_year != this_year:
            answers.append(Answer(place, label, False, f"Consent expired: it was given on {c.on:%-d %B %Y}, for "
                                                       f"{periods.academic_year_label(c.academic_year)}, and has not "
                                                       "been renewed this year."))
        else:
            answers.append(Answer(place, label, True, f"Consent given on {c.on:%-d %B %Y} for this year "
                                                      f"({periods.academic_year_label(this_year)})."))
    return answers


def pupils_with_expired_consent(school, today):
    """I3: pupils on roll with consent from an earlier year and no answer at all this year (two queries)."""
    this_year = periods.academic_year(today)
    renewed = PhotoConsent.objects.filter(school=school, academic_year=this_year).values("pupil_id")
    return (PhotoConsent.objects.filter(school=school, pupil__left_on__isnull=True, academic_year__lt=this_year,
                                        decision=PhotoConsent.Decision.GIVEN)
            .exclude(pupil_id__in=renewed).values("pupil_id").distinct().count())


# I2: who has not signed this year's agreement -------------------------------------------------

def staff_of(school):
    """Active staff of `school` with their roles there, by name (one query)."""
    from accounts.models import Membership

    people = {}
    for m in (Membership.objects.filter(school=school, role__in=periods.STAFF_ROLES, user__is_active=True)
              .select_related("user").order_by("user__full_name", "user_id")):
        people.setdefault(m.user_id, (m.user, set()))[1].add(m.role)
    return list(people.values())


def unsigned_staff(school, year):
    """I2: active staff with no signature on any staff agreement for academic year `year` (two queries)."""
    signed = set(AgreementSignature.objects.filter(
        version__school=school, version__audience=Audience.STAFF, version__academic_year=year,
    ).values_list("staff_id", flat=True))
    return [user for user, _ in staff_of(school) if user.id not in signed]


def unsigned_pupils(school, year):
    """I2: pupils on roll with no signature on any pupil agreement for `year`, as a queryset."""
    from schools.models import Pupil

    signed = AgreementSignature.objects.filter(version__school=school, version__audience=Audience.PUPILS,
                                               version__academic_year=year, pupil__isnull=False).values("pupil_id")
    return Pupil.objects.filter(school=school).on_roll().exclude(id__in=signed)


# I4: images of pupils who have left ----------------------------------------------------------

def leavers_due(school, today, *, within_days=0):
    """I4: pupils who left at least 7 years before `today` (plus `within_days`), whose images are not yet
    recorded as deleted, oldest first."""
    from schools.models import Pupil

    cutoff = periods.add_months(date.fromordinal(today.toordinal() + within_days),
                                -12 * periods.LEAVER_IMAGES_YEARS)
    deleted = LeaverImagesDeletion.objects.filter(school=school).values("pupil_id")
    return (Pupil.objects.filter(school=school, left_on__isnull=False, left_on__lte=cutoff)
            .exclude(id__in=deleted).order_by("left_on", "id"))


# I5: training --------------------------------------------------------------------------------

@dataclass
class TrainingStatus:
    person: object
    roles: set
    latest: dict = field(default_factory=dict)  # kind → date
    overdue: list = field(default_factory=list)  # reasons


def training_status(school, today):
    """I5: each member of staff, their latest training of each kind, and why they are overdue (two queries)."""
    latest = {}
    for person_id, kind, last in (TrainingRecord.objects.filter(school=school).values("person_id", "kind")
                                  .annotate(last=Max("completed_on")).values_list("person_id", "kind", "last")):
        latest.setdefault(person_id, {})[kind] = last
    rows = []
    for user, roles in staff_of(school):
        row = TrainingStatus(user, roles, latest.get(user.id, {}))
        for need in periods.TRAINING_REQUIREMENTS:
            if not roles & need.roles:
                continue
            dates = [row.latest[k] for k in (need.kind, *need.also_counts) if k in row.latest]
            if not dates:
                row.overdue.append(need.missing)
            elif need.every_months and periods.add_months(max(dates), need.every_months) < today:
                row.overdue.append(need.expired)
        rows.append(row)
    return rows


# I6: filtering and monitoring ----------------------------------------------------------------

def filtering_status(school, today):
    """I6: the current holder of each named role, the latest review, and what is missing (two queries)."""
    holders = {r.role: r for r in FilteringRole.objects.filter(school=school, is_current=True)}
    latest = FilteringReview.objects.filter(school=school).select_related("recorded_by").first()
    roles = nations.in_nation_words(FilteringRole.Role.choices, school)  # J8: the lead, as the nation names them
    missing = [label for role, label in roles if role not in holders]
    return {
        "holders": [(label, holders.get(role)) for role, label in roles],
        "missing_roles": missing,
        "latest_review": latest,
        "review_overdue": latest is None or latest.next_due < today,
    }


def breach_log(school):
    """I6, A5: filtering and monitoring breaches reported as concerns at `school`, newest first."""
    from concerns.models import Concern, IncidentType

    return (Concern.objects.filter(school=school, incident_type=IncidentType.FILTERING_BREACH)
            .select_related("reported_by", "case").order_by("-created_at"))
