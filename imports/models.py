"""A trust's own job titles, added to the ones Harbour knows (imports/vocabulary.toml)."""

from django.conf import settings
from django.db import models

from accounts.capabilities import Role


class JobTitle(models.Model):
    """A job title as the trust's MIS writes it, and the Harbour role it gives when imported."""

    trust = models.ForeignKey("schools.Trust", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=100)  # as typed; matched without regard to case or punctuation
    normalised = models.CharField(max_length=100)
    role = models.CharField(max_length=40, choices=Role.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["trust", "normalised"], name="job_title_once_per_trust")]

    def __str__(self):
        return f"{self.title} → {self.get_role_display()}"
