"""Disposal of records past their retention date (H4), and subject access releases (H6).

A disposal request names the record by type and id, not by a foreign key: the record is
gone once the request is approved, and the request and its tombstone stay.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class RecordType(models.TextChoices):
    CASE = "case", "Case, with its concerns"


class DisposalRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=DisposalRequest.State.PENDING)


class DisposalRequest(models.Model):
    """H4: one person asks for a record to be disposed of, with the reason; a different person approves."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved: the record was disposed of"
        DECLINED = "declined", "Declined"

    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=16)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)  # the retention rule id, from records/retention.toml
    retention_date = models.DateField()
    # Names of the people in the record are taken out of the reason when the record is disposed of.
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    objects = DisposalRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(record_type__in=["case"]), name="disposal_record_type_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="disposal_has_reason"),
            models.UniqueConstraint(fields=["record_type", "record_id"], condition=Q(state="pending"),
                                    name="disposal_one_pending_per_record"),
            models.UniqueConstraint(fields=["record_type", "record_id"], condition=Q(state="approved"),
                                    name="disposal_approved_once"),
            models.CheckConstraint(
                condition=Q(state="pending", decided_by__isnull=True, decided_at__isnull=True)
                | Q(state="approved", decided_by__isnull=False, decided_at__isnull=False)
                & ~Q(decided_by=F("requested_by"))
                | Q(state="declined", decided_by__isnull=False, decided_at__isnull=False) & ~Q(decline_reason=""),
                name="disposal_two_people",
            ),
        ]
        indexes = [models.Index(fields=["school", "state"], name="disposal_school_state")]


class Tombstone(models.Model):
    """What is left of a disposed record: what it was, under which rule, and who decided. Never a name."""

    request = models.OneToOneField(DisposalRequest, on_delete=models.PROTECT, related_name="tombstone")
    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    record_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=16)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40)
    retention_date = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()

    class Meta:
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="tombstone_once_per_record"),
            models.CheckConstraint(condition=~Q(approved_by=F("requested_by")), name="tombstone_two_people"),
        ]

    @property
    def rule_label(self):
        from records.retention import rule_by_id

        rule = rule_by_id(self.rule)
        return rule["label"] if rule else self.rule


class StaffBirthDate(models.Model):
    """A member of staff's date of birth, held only to work out when an allegation may be disposed of (H4)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date_of_birth = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()


class SubjectAccessRelease(models.Model):
    """H6: an export released to the person it is about, after the DSL reviewed it. The hash says which."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "Given in person"
        SECURE_EMAIL = "secure_email", "Sent by secure email"
        POST = "post", "Sent by recorded post"

    class Kind(models.TextChoices):
        PUPIL = "pupil", "Pupil"
        CARER = "carer", "Parent or carer"
        STAFF = "staff", "Member of staff"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    subject_kind = models.CharField(max_length=8, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    method = models.CharField(max_length=16, choices=Method.choices)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField()

    class Meta:
        ordering = ["-released_at"]
        constraints = [
            models.CheckConstraint(condition=Q(subject_kind__in=["pupil", "carer", "staff"]),
                                   name="release_kind_valid"),
            models.CheckConstraint(condition=Q(method__in=["in_person", "secure_email", "post"]),
                                   name="release_method_valid"),
        ]
