from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop  # J8: translated where shown


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice. Says what is needed, on which reference, by when and where; never what happened to whom."""

    class Kind(models.TextChoices):
        # In the order the notices page shows them.
        CONCERN = "concern", gettext_noop("New concerns")
        REFERRAL = "referral", gettext_noop("Referrals needed now")
        SIGN_OFF = "sign_off", gettext_noop("Waiting for your sign-off")
        OVERDUE = "overdue", gettext_noop("Overdue steps")
        OTHER = "other", gettext_noop("Other notices")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER, db_default=Kind.OTHER)
    # Emailed at once (what cannot wait); otherwise it goes into the person's next digest.
    urgent = models.BooleanField(default=False, db_default=False)
    reference = models.CharField(max_length=20, blank=True, default="", db_default="")  # C000123 or K000123
    due_at = models.DateTimeField(null=True, blank=True)  # by when what is asked is needed
    # The columns above have database defaults so that bulk loaders naming only the older columns still work
    # (demo/management/commands/seed_scale.py).
    # What the notice is about ("overdue:K000123"): a newer notice with the same key replaces an unread one.
    key = models.CharField(max_length=80, blank=True, default="", db_default="")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]


class DigestTimes(models.Model):
    """When a school's staff get their digest email: times of day on school days (weekdays, not bank holidays).

    A school with no row uses settings.HARBOUR_DIGEST_TIMES (07:30 and 15:30 unless set)."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="+")
    times = models.JSONField(default=list)  # ["07:30", "15:30"]
    last_sent_at = models.DateTimeField(null=True, blank=True)  # the slot most recently sent
