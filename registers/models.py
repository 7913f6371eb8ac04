"""The registers a school keeps (rules I1–I6): policies, acceptable use agreements, photo consent,
images of leavers, training, and filtering and monitoring. Metadata only: no file is ever stored."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from registers import periods

_USER = settings.AUTH_USER_MODEL


def _doc_or_link():
    return ~Q(link="") | ~Q(document_reference="")


class PolicyQuerySet(models.QuerySet):
    def overdue(self, today):
        return self.filter(next_review_on__lt=today)

    def due_soon(self, today):
        return self.filter(next_review_on__gte=today, next_review_on__lte=today + timedelta(days=periods.DUE_SOON_DAYS))


class Policy(models.Model):
    """I1: a policy's owner, approval and review dates, and where to read it (a link or a reference)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="policies")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    approved_by = models.CharField(max_length=200)
    approved_on = models.DateField()
    link = models.URLField(max_length=500, blank=True)
    document_reference = models.CharField(max_length=200, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField()
    # Blank for the annual review; otherwise the significant change that brought it forward.
    next_review_reason = models.CharField(max_length=500, blank=True)
    # The review date whose overdue alert has been sent: one alert per overdue review.
    alerted_for = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["next_review_on", "title"]
        constraints = [
            models.CheckConstraint(condition=_doc_or_link(), name="policy_has_link_or_reference"),
            models.UniqueConstraint(fields=["school", "title"], name="policy_title_unique_in_school"),
        ]

    def __str__(self):
        return self.title

    def state(self, today):
        if self.next_review_on < today:
            return "overdue"
        if self.next_review_on <= today + timedelta(days=periods.DUE_SOON_DAYS):
            return "due_soon"
        return "current"


class PolicyReview(models.Model):
    """I1: one review of a policy, and the next review date it set (with the reason if brought forward)."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField("what changed")
    next_review_on = models.DateField()
    next_review_reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(next_review_on__gt=models.F("reviewed_on")),
                                              name="policy_review_next_after_review")]


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    PUPILS = "pupils", "Pupils"
    PARENTS = "parents", "Parents and carers (on admission)"
    VISITORS = "visitors", "Visitors"
    EXTERNAL = "external", "External organisations"


class KeyStage(models.TextChoices):
    KS1 = "ks1", "Early years and key stage 1 (ages 4 to 7)"
    KS2 = "ks2", "Key stage 2 (ages 7 to 11)"
    KS3 = "ks3", "Key stage 3 (ages 11 to 14)"
    KS4 = "ks4", "Key stage 4 (ages 14 to 16)"
    KS5 = "ks5", "Sixth form (ages 16 to 18)"


class AgreementVersion(models.Model):
    """I2: one version of an acceptable use agreement, for one audience (pupils: one key stage) and year."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="agreement_versions")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    key_stage = models.CharField(max_length=3, choices=KeyStage.choices, blank=True)
    academic_year = models.PositiveSmallIntegerField()  # the calendar year it starts in
    version = models.CharField(max_length=40)
    link = models.URLField(max_length=500, blank=True)
    document_reference = models.CharField(max_length=200, blank=True)
    published_on = models.DateField()
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-academic_year", "audience", "key_stage", "-published_on"]
        constraints = [
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="agreement_audience_valid"),
            models.CheckConstraint(condition=Q(audience="pupils", key_stage__in=KeyStage.values)
                                   | ~Q(audience="pupils") & Q(key_stage=""), name="agreement_key_stage_for_pupils"),
            models.CheckConstraint(condition=_doc_or_link(), name="agreement_has_link_or_reference"),
            models.UniqueConstraint(fields=["school", "audience", "key_stage", "academic_year", "version"],
                                    name="agreement_version_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        audience = self.get_key_stage_display() if self.key_stage else self.get_audience_display()
        return f"{audience}, {periods.academic_year_label(self.academic_year)}, version {self.version}"


class AgreementSignature(models.Model):
    """I2: who signed which version, and when. Staff and pupils are linked; others are named."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="signatures")
    staff = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signer_name = models.CharField(max_length=200, blank=True)  # a parent, visitor or organisation
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False, pupil__isnull=True, signer_name="")
                | Q(staff__isnull=True, pupil__isnull=False, signer_name="")
                | Q(staff__isnull=True, pupil__isnull=True) & ~Q(signer_name=""),
                name="agreement_signature_one_signer"),
            models.UniqueConstraint(fields=["version", "staff"], condition=Q(staff__isnull=False),
                                    name="agreement_signature_staff_once"),
            models.UniqueConstraint(fields=["version", "pupil"], condition=Q(pupil__isnull=False),
                                    name="agreement_signature_pupil_once"),
        ]

    @property
    def signer(self):
        return self.staff.full_name if self.staff_id else self.pupil.display_name if self.pupil_id else self.signer_name


class Place(models.TextChoices):
    """I3: the places a pupil's photograph may be used, each consented to separately."""

    WEBSITE = "website", "School website or blog"
    SOCIAL_MEDIA = "social_media", "School social media"
    LEARNING_PLATFORM = "learning_platform", "Learning platform"
    PROSPECTUS = "prospectus", "Prospectus and printed promotion"
    DISPLAY_IN_SCHOOL = "display_in_school", "Displays in school"
    DISPLAY_OFF_SITE = "display_off_site", "Displays off site"
    VIDEO_CONFERENCE = "video_conference", "Video or webcam in an educational conference"


class PhotoConsent(models.Model):
    """I3: one answer from a parent or carer for one pupil and one place. Never changed: a withdrawal
    or a renewal is a new record, and the latest record is the answer."""

    class Decision(models.TextChoices):
        GIVEN = "given", "Consent given"
        REFUSED = "refused", "Consent refused"
        WITHDRAWN = "withdrawn", "Consent withdrawn"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="photo_consents")
    place = models.CharField(max_length=20, choices=Place.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    academic_year = models.PositiveSmallIntegerField()  # the year the answer was given in
    on = models.DateField()
    by_whom = models.CharField("parent or carer", max_length=200)
    in_writing = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(place__in=Place.values), name="photo_consent_place_valid"),
            models.CheckConstraint(condition=Q(decision__in=["given", "refused", "withdrawn"]),
                                   name="photo_consent_decision_valid"),
            # Withdrawal is in writing (I3).
            models.CheckConstraint(condition=~Q(decision="withdrawn") | Q(in_writing=True),
                                   name="photo_consent_withdrawal_in_writing"),
        ]
        indexes = [models.Index(fields=["pupil", "place", "on"], name="photo_consent_lookup")]


class LeaverImagesKeeper(models.Model):
    """I4: the person named to delete images of pupils who have left."""

    school = models.OneToOneField("schools.School", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    named_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField()


class LeaverImagesDeletion(models.Model):
    """I4: the images of one pupil who left were deleted (they were never in Harbour), by whom and when."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    pupil = models.OneToOneField("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    deleted_on = models.DateField()
    deleted_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-deleted_on", "-id"]


class TrainingRecord(models.Model):
    """I5: one piece of online-safety training a member of staff completed."""

    class Kind(models.TextChoices):
        INDUCTION = "induction", "Online-safety induction"
        ANNUAL_UPDATE = "annual_update", "Annual online-safety update"
        YPSI = "ypsi", "Youth-produced sexual imagery (YPSI)"
        DSL = "dsl", "Designated safeguarding lead training"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    completed_on = models.DateField()
    provider = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["induction", "annual_update", "ypsi", "dsl"]),
                                              name="training_kind_valid")]
        indexes = [models.Index(fields=["school", "person", "kind"], name="training_lookup")]


class FilteringRole(models.Model):
    """I6: who holds each named role for filtering and monitoring. A change adds a new current holder."""

    class Role(models.TextChoices):
        SENIOR_LEADER = "senior_leader", "Responsible senior leader"
        DSL = "dsl", "Designated safeguarding lead"
        TECHNICAL_LEAD = "technical_lead", "Technical lead"
        PROVIDER = "provider", "Filtering and monitoring provider"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices)
    name = models.CharField("name, or organisation", max_length=200)
    contact = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=True)
    named_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField()

    class Meta:
        ordering = ["role", "-named_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["senior_leader", "dsl", "technical_lead", "provider"]),
                                   name="filtering_role_valid"),
            models.UniqueConstraint(fields=["school", "role"], condition=Q(is_current=True),
                                    name="filtering_role_one_current"),
        ]


class FilteringReview(models.Model):
    """I6, J6: the yearly review of filtering and monitoring against the DfE standards: when, who, each point
    of the standards, the outcome and what will change, and when the next one is due.

    Reviews recorded before J6 have the standards' points blank (and `illegal_content_blocked` unknown)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    reviewed_by = models.CharField("who carried it out", max_length=300)
    # J6: the senior leader named as responsible for filtering and monitoring, as at the review.
    senior_leader = models.CharField(max_length=200, blank=True)
    # J6: illegal content (the IWF and counter-terrorism lists) is blocked, and no one at school can switch it off.
    illegal_content_blocked = models.BooleanField(null=True)
    illegal_content_notes = models.TextField(blank=True)
    generative_ai = models.TextField("generative AI tools", blank=True)
    send = models.TextField("pupils with special educational needs or disabilities", blank=True)
    eal = models.TextField("pupils learning English as an additional language", blank=True)
    byod = models.TextField("devices pupils and staff bring in", blank=True)
    findings = models.TextField("outcome")
    actions = models.TextField("what will change, by whom", blank=True)
    next_due = models.DateField()
    # The due date whose overdue alert has been sent: one alert per overdue review (as for policies, I1).
    alerted_for = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(next_due__gt=models.F("reviewed_on")),
                                              name="filtering_review_next_after_review")]
