from django.db import models


class ScheduledJob(models.Model):
    """When a scheduled job last started, so that two servers' timers firing together run it once (lib/scheduling.py).

    One row per job, locked while a run is claimed. It holds no personal data."""

    name = models.CharField(max_length=60, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_host = models.CharField(max_length=255, blank=True, default="")
    last_outcome = models.CharField(max_length=20, blank=True, default="")

    def __str__(self):
        return self.name
