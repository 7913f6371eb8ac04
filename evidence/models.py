"""Evidence without imagery: devices and their custody (C5, C9), parents told or not (D1, D2),
and deletion agreed with a child (C7). Descriptions and metadata only: never a file of imagery (A3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Device(models.Model):
    """A phone, tablet or computer taken into safe keeping. Its holder is its latest custody step."""

    class Isolation(models.TextChoices):
        FLIGHT_MODE = "flight_mode", "Flight mode (kept switched on)"
        WIFI_DATA_OFF = "wifi_data_off", "Wi-Fi and mobile data off"
        SWITCHED_OFF = "switched_off", "Switched off"
        NOT_ISOLATED = "not_isolated", "Not isolated"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="devices")
    owner = models.CharField("whose device it is", max_length=200)
    staff_device = models.BooleanField(default=False)
    make = models.CharField("make and model", max_length=200)
    isolation = models.CharField(max_length=16, choices=Isolation.choices)
    # C9: a staff device that may hold indecent images stays quarantined until the police advise.
    quarantined = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(isolation__in=["flight_mode", "wifi_data_off",
                                                                          "switched_off", "not_isolated"]),
                                              name="device_isolation_valid")]

    @property
    def current(self):
        return self.custody.filter(is_current=True).first()


class CustodyStep(models.Model):
    """C5: one move in the chain of custody, with who, when and where."""

    class Holder(models.TextChoices):
        SECURE_PLACE = "secure_place", "Kept in a secure place at school"
        STAFF = "staff", "Held by a member of staff"
        POLICE = "police", "Handed to the police"
        PARENT = "parent", "Returned to a parent or carer"
        OWNER = "owner", "Returned to its owner"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="custody")
    holder = models.CharField(max_length=16, choices=Holder.choices)
    where_or_who = models.CharField(max_length=300)
    police_reference = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            # A device always has exactly one current holder (with `Device` created with its first step).
            models.UniqueConstraint(fields=["device"], condition=Q(is_current=True), name="custody_one_current"),
            models.CheckConstraint(condition=~Q(holder="police") | ~Q(police_reference=""),
                                   name="custody_police_reference"),
        ]


class QuarantineRelease(models.Model):
    """C9: the police advice that ended a staff device's quarantine: who gave it, when, what they advised, and
    why the device may now leave safe keeping. One per device; the quarantine never starts again."""

    device = models.OneToOneField(Device, on_delete=models.PROTECT, related_name="release")
    adviser = models.CharField("who gave the advice", max_length=200)
    police_reference = models.CharField(max_length=100, blank=True)
    advised_at = models.DateTimeField("when the police advised")
    advice = models.TextField("what the police advised")
    reason = models.TextField("why the device can be released")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(adviser="") & ~Q(advice="") & ~Q(reason=""),
                                   name="quarantine_release_advice_recorded"),
        ]


class ParentContact(models.Model):
    """D1, D2: parents or carers told (when, by whom, how the child took part),
    or not, and with whom that was agreed."""

    class Agency(models.TextChoices):
        CSC = "csc", "Children's social care"
        POLICE = "police", "Police"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="parent_contacts")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    informed = models.BooleanField()
    informed_at = models.DateTimeField(null=True, blank=True)
    how = models.CharField(max_length=200, blank=True)
    child_involvement = models.TextField(blank=True)
    agreed_with = models.CharField(max_length=8, choices=Agency.choices, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(informed=True, informed_at__isnull=False)
            | Q(informed=False, agreed_with__in=["csc", "police"]) & ~Q(reason=""),
            name="parent_contact_complete")]


class Deletion(models.Model):
    """C7: deletion agreed with a child, only when there is no referral."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Asked to delete"
        CONFIRMED = "confirmed", "Deletion confirmed"
        NOT_CONFIRMED = "not_confirmed", "Not confirmed"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="deletions")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, related_name="+")
    illegal_reminder_given = models.BooleanField()
    consequence_explained = models.BooleanField()
    scope = models.JSONField()  # devices, cloud, social media
    deadline = models.DateTimeField()
    task = models.OneToOneField("cases.Task", on_delete=models.PROTECT, related_name="deletion")
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_how = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(illegal_reminder_given=True, consequence_explained=True),
                                              name="deletion_reminders_given")]


class Viewing(models.Model):
    """C1–C3, C6: a record of imagery being viewed: why (one of the three lawful reasons only), who
    was consulted, who viewed, who witnessed, where, and what was done. Complete once both sign."""

    class Reason(models.TextChoices):
        DECIDE_AGENCIES = "decide_agencies", "It was the only way to decide whether to involve other agencies"
        REPORT_REMOVAL = ("report_removal",
                          "It was needed to report it for removal, or to help a child or parent report it")
        UNAVOIDABLE = "unavoidable", "It was unavoidable: shown to staff, or found on school devices or networks"

    class State(models.TextChoices):
        AWAITING = "awaiting", "Waiting for signatures"
        SIGNED = "signed", "Signed by viewer and witness"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="viewings")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    no_distress = models.BooleanField()  # viewing would not cause a child significant distress or harm
    consulted = models.CharField("senior roles consulted first", max_length=500)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    place = models.CharField(max_length=200)
    same_sex = models.BooleanField()
    not_same_sex_reason = models.TextField(blank=True)
    result = models.TextField("what was done as a result")
    already_copied = models.BooleanField()
    viewed_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.AWAITING)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["viewed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=["decide_agencies", "report_removal", "unavoidable"]),
                                   name="viewing_lawful_reason"),
            models.CheckConstraint(condition=~Q(viewer=models.F("witness")), name="viewing_witness_differs"),
            models.CheckConstraint(condition=Q(same_sex=True) | ~Q(not_same_sex_reason=""),
                                   name="viewing_same_sex_or_reason"),
            models.CheckConstraint(condition=Q(no_distress=True), name="viewing_no_distress"),
        ]


class ViewingSignature(models.Model):
    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        WITNESS = "witness", "Witness"

    viewing = models.ForeignKey(Viewing, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=8, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["viewing", "role"], name="viewing_signature_once")]


class EvidenceItem(models.Model):
    """One entry in the evidence register: what and where, never the material itself (A3).

    A web address, an account or profile, a phone number, a message and when it was sent, payment
    details demanded in an extortion case, or where physical evidence is held.
    """

    class Kind(models.TextChoices):
        WEB_ADDRESS = "web_address", "Web address"
        ACCOUNT = "account", "Username or profile"
        PHONE = "phone", "Phone number"
        MESSAGE = "message", "Message (who, when, what it said in words)"
        PAYMENT = "payment", "Payment details demanded"
        PHYSICAL = "physical", "Physical evidence and where it is held"
        OTHER = "other", "Something else"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence_items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    platform = models.CharField("platform or app", max_length=120, blank=True)
    value = models.CharField(max_length=500)  # the address, username, number, payment account or location
    seen_at = models.DateTimeField(null=True, blank=True)  # when the message was sent or the page was seen
    description = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["web_address", "account", "phone", "message", "payment",
                                                         "physical", "other"]), name="evidence_item_kind_valid"),
            models.CheckConstraint(condition=~Q(value=""), name="evidence_item_has_value"),
        ]
