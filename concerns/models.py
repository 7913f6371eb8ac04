"""Concerns reported by any member of staff (rules A1–A7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop  # J8: labels in the catalogue; translated where shown

from lib import choices


class IncidentType(models.TextChoices):
    NUDES_SHARING = "nudes-sharing", gettext_noop("Sharing nudes or semi-nudes")
    SEXTORTION = "sextortion", gettext_noop("Sextortion (threats to share images, often for money)")
    ONLINE_SEXUAL_ABUSE = "online-sexual-abuse", gettext_noop("Online grooming or sexual abuse")
    IIOC = "iioc", gettext_noop("Indecent images of children found")
    UPSKIRTING = "upskirting", gettext_noop("Upskirting")
    DEEPFAKE = "deepfake", gettext_noop("Deepfake or AI-made image of a child")
    CYBERBULLYING = "cyberbullying", gettext_noop("Cyberbullying")
    ONLINE_HATE = "online-hate", gettext_noop("Online hate")
    RADICALISATION = "radicalisation", gettext_noop("Radicalisation or extremism")
    MISINFORMATION = "misinformation", gettext_noop("Misinformation, disinformation or conspiracy theories")
    FILTERING_BREACH = "filtering-breach", gettext_noop("Filtering or monitoring breach")
    STAFF_ALLEGATION = "staff-allegation", gettext_noop("Concern about a member of staff")
    OTHER = "other", gettext_noop("Other online-safety concern")


IMAGERY_TYPES = {IncidentType.NUDES_SHARING, IncidentType.SEXTORTION, IncidentType.IIOC, IncidentType.UPSKIRTING,
                 IncidentType.DEEPFAKE}


class ChildRole(models.TextChoices):
    PICTURED = "pictured", gettext_noop("Pictured in the imagery")
    SENT = "sent", gettext_noop("Sent it")
    RECEIVED = "received", gettext_noop("Received it")
    SHARED_ONWARD = "shared_onward", gettext_noop("Shared it onward")
    CREATED = "created", gettext_noop("Created it")
    HARMED = "harmed", gettext_noop("Was bullied, targeted or harmed")
    HARMED_OTHERS = "harmed_others", gettext_noop("Bullied, targeted or harmed others")
    WITNESS = "witness", gettext_noop("Saw it or was told about it")
    DISCLOSED = "disclosed", gettext_noop("Told a member of staff")
    OTHER = "other", gettext_noop("Other or not yet known")


class DeviceIsolation(models.TextChoices):
    """Rule A2: flight mode is preferred; switched off if that is not possible."""

    FLIGHT_MODE = "flight_mode", gettext_noop("Put in flight mode (kept switched on)")
    SWITCHED_OFF = "switched_off", gettext_noop("Switched off (flight mode was not possible)")
    NOT_ISOLATED = "not_isolated", gettext_noop("Not isolated yet")


class Route(models.TextChoices):
    """Who a concern goes to (rule A4)."""

    DSL = "dsl", gettext_noop("Safeguarding team")
    HEADTEACHER = "headteacher", gettext_noop("Headteacher")
    CHAIR = "chair", gettext_noop("Chair of governors")


class ConcernQuerySet(models.QuerySet):
    def reported_by(self, user):
        return self.filter(reported_by=user)

    def awaiting_acknowledgement(self):
        return self.filter(status=Concern.Status.RECEIVED)


class Concern(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="concerns")
    # None for a concern a pupil sent from the school's pupil page (P1): it has no account behind it.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_concerns", null=True, blank=True
    )
    incident_type = models.CharField(max_length=32, choices=IncidentType.choices)
    # For a concern about a member of staff (A4): that person never sees it.
    subject_staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="concerns_about")
    route = models.CharField(max_length=16, choices=Route.choices)
    occurred_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField("where it happened", max_length=300, blank=True)
    # Rule A6: the child's own words, facts not opinion, with when and to whom.
    account = models.TextField("what the child said or what you saw")
    disclosed_to = models.CharField(max_length=200, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    actions_taken = models.TextField(blank=True)
    # Rule A2.
    device_confiscated = models.BooleanField(default=False)
    device_isolation = models.CharField(max_length=16, choices=DeviceIsolation.choices, blank=True)
    device_location = models.CharField("where the device is kept", max_length=300, blank=True)
    dsl_told_in_person = models.BooleanField(default=False)
    # Rule A5: filtering or monitoring breaches.
    breach_url = models.CharField(max_length=2000, blank=True)
    breach_device_or_user = models.CharField(max_length=200, blank=True)
    breach_seen = models.TextField("what was blocked or seen", blank=True)
    provider_told = models.BooleanField(null=True)
    parents_told = models.BooleanField(null=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Several reports of one incident become one case.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns")
    # A double click or a retried request makes one concern, not two.
    idempotency_key = models.UUIDField(unique=True)
    # P7: a monitoring alert gathered with others about the same matched term, triaged as one inbox item.
    alert_group = models.ForeignKey("concerns.AlertGroup", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="concerns")

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(incident_type__in=IncidentType.values), name="concern_type_valid"),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="concern_route_valid"),
            models.CheckConstraint(
                condition=Q(status="received", acknowledged_at__isnull=True)
                | Q(status__in=["acknowledged", "closed"], acknowledged_at__isnull=False),
                name="concern_acknowledged_at_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(incident_type="staff-allegation") | Q(subject_staff__isnull=False),
                name="concern_staff_allegation_names_subject",
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "created_at"], name="concern_inbox")]

    def __str__(self):
        return f"Concern {self.reference}"

    # What the reporter is shown (A7; issue 20.6): "Received" read as if someone had read it, when it means only
    # that the report arrived. Sent, then picked up by the person it went to, then closed.
    REPORTER_STATUS = {"received": "Sent, not picked up yet", "acknowledged": "Picked up", "closed": "Closed"}

    @property
    def status_for_reporter(self):
        return self.REPORTER_STATUS[self.status]

    @property
    def reference(self):
        return f"C{self.id:06d}"

    @property
    def reporter_name(self):
        """Who reported it, as staff read it: a member of staff's name, or "a pupil" for one sent from the pupils'
        page (P3), which names no one unless the pupil chose to."""
        return self.reported_by.full_name if self.reported_by_id else PUPIL_REPORTER


PUPIL_REPORTER = "A pupil, from the pupils’ page"


class AlertGroup(models.Model):
    """P7: monitoring alerts with the same matched term about several pupils within an hour (a class researching a
    topic), triaged as one inbox item. The alerts stay concerns, each naming its pupil; while the group is open they
    are listed in the inbox under it, not one by one. The DSL team splits it (each alert back on its own), closes it
    with a reason (B10), or opens cases for some or all of its pupils."""

    class Status(models.TextChoices):
        OPEN = "open", "To triage"
        SPLIT = "split", "Split into single concerns"
        CLOSED = "closed", "Closed"
        DONE = "done", "Cases opened"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="alert_groups")
    term = models.CharField("matched term", max_length=200)
    created_at = models.DateTimeField()
    last_alert_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "split", "closed", "done"]),
                                   name="alert_group_status_valid"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(reason=""),
                                   name="alert_group_closed_with_reason"),
        ]
        indexes = [models.Index(fields=["school", "status", "term"], name="alert_group_open_by_term")]

    @property
    def reference(self):
        return f"G{self.id:06d}"


class ConcernChild(models.Model):
    """One child in a concern, with their own role: roles never bleed from one child to another."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="children")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="concern_links")
    role = models.CharField(max_length=16, choices=ChildRole.choices)
    get_role_display = choices.display("role")  # twice a child on the case page: a map built once (lib/choices.py)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["concern", "pupil"], name="concern_child_once"),
            models.CheckConstraint(condition=Q(role__in=ChildRole.values), name="concern_child_role_valid"),
        ]


class Statement(models.Model):
    """A written statement attached to a concern: PDF, DOCX or text, checked for imagery (A3).

    Kept in the database, never in a media folder.
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="statements")
    filename = models.CharField(max_length=200)
    kind = models.CharField(max_length=16)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()


class Draft(models.Model):
    """What someone has typed into the report page so far, saved as they type."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "school"], name="one_draft_per_person_per_school")]


class EncompassNotice(models.Model):
    """J4: an Operation Encompass notice from the police, received as a concern (of the kind "other").

    The notice says only that the police attended a domestic abuse incident a child was part of: the children are
    the concern's children. A key adult is named before the next school day starts (`key_adult_due`)."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="encompass")
    received_at = models.DateTimeField()
    police_reference = models.CharField(max_length=60)
    key_adult_due = models.DateTimeField()
    key_adult = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    key_adult_named_at = models.DateTimeField(null=True, blank=True)
    key_adult_named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(key_adult__isnull=True, key_adult_named_at__isnull=True)
                                   | Q(key_adult__isnull=False, key_adult_named_at__isnull=False),
                                   name="encompass_key_adult_named_with_time"),
        ]


# -- P1–P5: pupils tell the school themselves ----------------------------------------------------------------------


class PupilKind(models.TextChoices):
    """What a pupil chooses on the pupils' page, in their words (P1): no pictures, no procedure names."""

    PICTURES = "pictures", gettext_noop("Someone is asking me for pictures")
    THREATS = "threats", gettext_noop("Someone is threatening me")
    UPSETTING = "upsetting", gettext_noop("I saw something upsetting")
    UNKIND = "unkind", gettext_noop("Someone is being unkind online")
    OTHER = "other", gettext_noop("Something else")


class PupilReport(models.Model):
    """What a pupil sent from the pupils' page (P1), beside the concern the safeguarding team works from (P3).

    The pupil holds receipt codes (`PupilReceipt`), never an account (P4); the team's reply is kept here. A report
    the same device or network sends again while this one is open is gathered onto it (`PupilNote.repeated`, P5).
    """

    # A hash Harbour computes (harbour/imagery.py skips it).
    MACHINE_TEXT_FIELDS = ("words_hash",)

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="pupil_report")
    kind = models.CharField(max_length=16, choices=PupilKind.choices)
    pupil_name = models.CharField("name, if the pupil gave it", max_length=100, blank=True)
    pupil_class = models.CharField("class, if the pupil gave it", max_length=60, blank=True)
    # A hash of the words, to gather the same report sent again (P5): never the words themselves a second time.
    words_hash = models.CharField(max_length=64)
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    # B10: closing one as needing no action takes a reason.
    closed_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PupilKind.values), name="pupil_report_kind_valid"),
            models.CheckConstraint(condition=Q(reply="", replied_at__isnull=True)
                                   | (~Q(reply="") & Q(replied_at__isnull=False)),
                                   name="pupil_report_reply_has_time"),
        ]


class PupilReceipt(models.Model):
    """A receipt code a pupil was shown once (P4). Only its SHA-256 is kept: the code is 80 random bits, so a
    hash cannot be reversed by trying codes, and a stolen database gives no one a way in."""

    # A hash Harbour computes (harbour/imagery.py skips it).
    MACHINE_TEXT_FIELDS = ("code_hash",)

    report = models.ForeignKey(PupilReport, on_delete=models.PROTECT, related_name="receipts")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()


class PupilNote(models.Model):
    """More words a pupil added with their receipt code, or the same report sent again and gathered (P5)."""

    report = models.ForeignKey(PupilReport, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField()
    repeated = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]


class PupilLimitHit(models.Model):
    """One use of the pupils' page by a device or a network, counted by the limiter (P5, `concerns/limits.py`).

    `bucket` is a keyed hash of what was done and by which device or network: no address or device is kept. A
    report's hits also name it and a keyed hash of its words, so the same words sent again are gathered onto it.
    Rows older than the longest window are deleted as new ones come."""

    # Keyed hashes Harbour computes (harbour/imagery.py skips them).
    MACHINE_TEXT_FIELDS = ("bucket", "words_hash")

    bucket = models.CharField(max_length=64)
    at = models.DateTimeField()
    report = models.ForeignKey(PupilReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    words_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["bucket", "at"], name="pupil_limit_bucket_at"),
                   models.Index(fields=["at"], name="pupil_limit_at")]
