"""The DSL's case: one incident, however many concerns were reported about it.

This is the start of the case; procedures, chronology, decisions and clocks come with
the procedures-and-case work (rules B, E, F, G).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from concerns.models import IncidentType, Route


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="cases")
    incident_type = models.CharField(max_length=32, choices=IncidentType.choices)
    # Who may see it follows the concern it was opened from (A4: allegations stay with the
    # headteacher or the chair, never the DSL queue).
    route = models.CharField(max_length=16, choices=Route.choices)
    subject_staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="case_status_valid"),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="case_route_valid"),
        ]
        indexes = [models.Index(fields=["school", "status", "opened_at"], name="case_school_status")]

    def __str__(self):
        return f"Case {self.reference}"

    @property
    def reference(self):
        return f"K{self.id:06d}"
