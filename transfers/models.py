"""Child protection file transfer (H5): each school's keys, the schools on other Harbours it trusts, the files it
sent and the files it received."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SchoolKeys(models.Model):
    """A school's transfer keys: Ed25519 to sign what it sends, X25519 to open what it is sent.
    The private halves are wrapped under HARBOUR_TRANSFER_KEY (transfers.keys); `wrap_key_id` names the key
    that wrapped them, so that key can be rotated."""

    school = models.OneToOneField("schools.School", on_delete=models.PROTECT, related_name="transfer_keys")
    sign_public = models.BinaryField()
    box_public = models.BinaryField()
    sealed_private = models.BinaryField()
    wrap_key_id = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField()


class KnownSchoolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class KnownSchool(models.Model):
    """A school on another Harbour installation, registered from its key card by a DSL of this trust, after they
    typed back the fingerprint the other school's DSL read to them by phone. A revoked card stays (its history
    does), but nothing is sent to it and no file from it is opened."""

    # Computed from the card's keys (harbour/imagery.py skips it).
    MACHINE_TEXT_FIELDS = ("fingerprint",)

    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, related_name="known_schools")
    name = models.CharField(max_length=200)
    sign_public = models.BinaryField()
    box_public = models.BinaryField()
    fingerprint = models.CharField(max_length=64)
    # The card named a school that is on this installation: shown wherever the card is, as a warning.
    name_clash = models.BooleanField(default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoke_reason = models.TextField(blank=True)

    objects = KnownSchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "fingerprint"], name="known_school_once"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                                   | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                                   name="known_school_revoked_by_matches"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.revoked_at is None


class Transfer(models.Model):
    """A child's child protection file, sent to their new school (H5): due within 5 working days."""

    class Method(models.TextChoices):
        HARBOUR = "harbour", "Through Harbour, to a school of this trust"
        PACKAGE = "package", "As an encrypted package, to a school on another Harbour"
        PDF = "pdf", "As a PDF, sent securely to a school not on Harbour"

    # The package is ciphertext Harbour made from records already checked, and the receipt's hash is computed
    # (harbour/imagery.py skips both).
    MACHINE_TEXT_FIELDS = ("package", "receipt_hash")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="transfers_out")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="transfers")
    method = models.CharField(max_length=10, choices=Method.choices)
    to_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="transfers_in")
    to_known = models.ForeignKey(KnownSchool, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_name = models.CharField(max_length=200)
    package_id = models.UUIDField(unique=True)
    receipt_hash = models.CharField(max_length=64, blank=True)
    # The sealed package, kept so it can be downloaded again; only the receiving school can open it.
    package = models.TextField(blank=True)
    started_on = models.DateField()  # the child started at the new school, or the new school asked
    due_at = models.DateTimeField()
    sent_how = models.CharField(max_length=300, blank=True)  # for a PDF: how it was sent securely
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    received_by_name = models.CharField(max_length=200, blank=True)
    receipt_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "received_at", "due_at"], name="transfer_awaiting")]

    def __str__(self):
        return f"Transfer {self.package_id}"

    @property
    def awaiting(self):
        return self.received_at is None


class ReceivedFile(models.Model):
    """A child protection file that arrived at this school: opened from a Harbour package (its contents
    kept, as sent) or recorded as paper or a PDF kept outside Harbour."""

    class Method(models.TextChoices):
        HARBOUR = "harbour", "Through Harbour"
        PACKAGE = "package", "Encrypted package from another Harbour"
        PAPER = "paper", "On paper"
        PDF = "pdf", "As a PDF or secure email"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="received_files")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="received_files")
    method = models.CharField(max_length=10, choices=Method.choices)
    from_name = models.CharField(max_length=200)
    package_id = models.UUIDField(null=True, blank=True)  # a package is opened once by each school (see Meta)
    contents = models.JSONField(null=True, blank=True)
    receipt_code = models.CharField(max_length=20, blank=True)  # from the package, to give the sender
    where_kept = models.CharField(max_length=300, blank=True)
    arrived_on = models.DateField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]
        # Per receiving school: an id used at another school (by chance, or to block this one) changes nothing.
        constraints = [models.UniqueConstraint(fields=["school", "package_id"], name="received_package_once")]
