"""A trust's or school's adaptation of a shipped procedure, one row per version.

The definitions themselves are files (definitions/*.toml). What a trust or school
changes is stored here as an override document (see overrides.py), and applied in the
order shipped → trust → school. Rows are never edited: every change, an undo included,
is a new row with the next version number, so a case can name the version it followed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProcedureOverrideQuerySet(models.QuerySet):
    def for_school(self, school):
        """Rows that apply at `school`: its own and its trust's, newest first, with their authors. A school read
        without its trust (schools.current reads only what the header shows) costs no query of its own."""
        if "trust_id" in school.get_deferred_fields():
            from schools.models import School

            trust = models.Subquery(School.objects.filter(pk=school.pk).values("trust_id"))
        else:
            trust = school.trust_id
        return (self.filter(Q(school=school) | Q(trust_id=trust))
                .select_related("created_by").order_by("procedure_id", "-version", "-id"))


class ProcedureOverride(models.Model):
    procedure_id = models.CharField(max_length=64)
    trust = models.ForeignKey("schools.Trust", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="procedure_overrides")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="procedure_overrides")
    version = models.PositiveIntegerField()
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = ProcedureOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["procedure_id", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trust__isnull=False, school__isnull=True) | Q(trust__isnull=True, school__isnull=False),
                name="procedure_override_one_owner",
            ),
            models.UniqueConstraint(fields=["procedure_id", "trust", "version"], condition=Q(trust__isnull=False),
                                    name="procedure_override_trust_version_unique"),
            models.UniqueConstraint(fields=["procedure_id", "school", "version"], condition=Q(school__isnull=False),
                                    name="procedure_override_school_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="procedure_override_version_positive"),
            # Every decision has a reason.
            models.CheckConstraint(condition=~Q(reason=""), name="procedure_override_reason_given"),
            models.CheckConstraint(condition=~Q(procedure_id=""), name="procedure_override_procedure_given"),
        ]

    def __str__(self):
        return f"{self.procedure_id} v{self.version} for {self.owner}"

    @property
    def owner(self):
        """The trust or school this version belongs to (reads the relation: one query unless selected)."""
        return self.school if self.school_id else self.trust
