"""A school's own wording of an advice script, one row per version.

The scripts themselves are files (scripts/*.toml). What a school rewords is stored here.
Rows are never edited: every change is a new row with the next version number, so a
letter can say which words it used.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AdviceOverrideQuerySet(models.QuerySet):
    def for_school(self, school):
        """The school's rows, newest first, with their authors."""
        return self.filter(school=school).select_related("created_by").order_by("script_id", "-version")


class AdviceOverride(models.Model):
    script_id = models.CharField(max_length=64)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="advice_overrides")
    version = models.PositiveIntegerField()
    # The shipped version the school's words were written against: when the file moves
    # on, the page can say the school's wording was based on an older version.
    shipped_version = models.PositiveIntegerField()
    paragraphs = models.JSONField()
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = AdviceOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["script_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["script_id", "school", "version"], name="advice_override_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="advice_override_version_positive"),
            # Every change has a reason.
            models.CheckConstraint(condition=~Q(reason=""), name="advice_override_reason_given"),
            models.CheckConstraint(condition=~Q(script_id=""), name="advice_override_script_given"),
        ]

    def __str__(self):
        return f"{self.script_id} v{self.version} for school {self.school_id}"
