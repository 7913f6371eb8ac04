"""What the running service knows about itself: whether a background worker is alive (for /healthz)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running worker (`manage.py worker`), refreshed every HARBOUR_WORKER_HEARTBEAT_SECONDS and
    removed when the worker stops cleanly. Holds nothing about anyone: a random worker id and a time."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seen_at"], name="heartbeat_seen_at")]
