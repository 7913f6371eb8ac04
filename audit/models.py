"""The append-only, hash-chained audit trail (rules H2, S3)."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing someone did or saw. Never updated or deleted (database triggers refuse it).

    `mac` is HMAC-SHA256, keyed from the environment, over the previous event's mac and
    this event's canonical content (audit.chain.canonical), so an edit, an inserted or
    deleted event or a reordering breaks the chain at a sequence number `verify_audit` names.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Removed"
        SIGN = "sign", "Signed"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"
        DENIED = "denied", "Denied"

    seq = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    # History is never cascaded away: the actor may be deactivated, the row stays.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_roles = models.JSONField(default=list)
    school = models.ForeignKey(
        "schools.School", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    changed_fields = models.JSONField(default=list)
    # Small, non-identifying facts only (a reason code, a count). Never a narrative.
    detail = models.JSONField(default=dict)
    mac = models.CharField(max_length=64)
    # The id of the audit key that sealed this event (audit.chain.key_id), covered by `mac`. Empty (NULL) on events
    # sealed before key ids existed.
    key_id = models.CharField(max_length=16, null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_time"),
            models.Index(fields=["school", "occurred_at"], name="audit_school_time"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.actor_name or 'system'} {self.action} {self.object_type} {self.object_id}"
