"""API tokens and the monitoring alerts received through them."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A per-school API token. Only the SHA-256 of the secret is kept; the secret is shown once.

    Each token has its own account (a User that cannot sign in: no usable password, no
    membership), so that what the token does is recorded like anyone else's action:
    a concern it reports is "reported by" that account, and the audit trail names it.
    """

    # Made by Harbour from a random secret, never typed (harbour/imagery.py skips them).
    MACHINE_TEXT_FIELDS = ("prefix", "token_hash")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The first characters of the secret, shown in lists so people can tell tokens apart.
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                                   | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                                   name="api_token_revoked_by_matches"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    def has_scope(self, scope):
        return str(scope) in self.scopes


class MonitoringAlert(models.Model):
    """One alert from a filtering or monitoring service (A5), kept so a repeat is recognised."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # The service's name as sent, lower-cased: the same alert id from two services is two alerts.
    source = models.CharField(max_length=60)
    alert_id = models.CharField(max_length=200)
    concern = models.OneToOneField("concerns.Concern", on_delete=models.PROTECT, related_name="monitoring_alert")
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="alerts")
    received_at = models.DateTimeField()
    # The user the service named, lower-cased, so a concern made before the DSL matched them can be given the child.
    login = models.CharField(max_length=200, blank=True)
    # P7: the text the service matched, trimmed and lower-cased, so alerts about one term can be gathered.
    term = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "source", "alert_id"], name="monitoring_alert_once"),
        ]


class MonitoringUser(models.Model):
    """A user a monitoring service named (A5), and the pupil they are, once known.

    A login the pupil import gave (Pupil.network_login, Pupil.school_email) needs no row. A login it did not give is
    kept here, unmatched, for the DSL team to match once; every later alert naming it is then about that pupil.
    """

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    login = models.CharField(max_length=200)  # lower-cased, as the service sent it
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    alerts = models.PositiveIntegerField(default=0)
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint(fields=["school", "login"], name="monitoring_user_once")]

    def __str__(self):
        return self.login
