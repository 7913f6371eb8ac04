"""The worker's heartbeat: `manage.py worker` writes it from a thread of its own, /healthz reads it.

Written with queryset updates and bulk inserts, so no model signal runs (there is nothing in it to judge: a random
worker id and a time). A worker that stops cleanly removes its row at once; one that is killed stops beating and
is counted as down after HARBOUR_HEALTH_WORKER_SECONDS. Rows not seen for a day are removed by any worker's beat.
"""

import atexit
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django.utils import timezone

from harbour.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id, now=None):
    """Record that worker `worker_id` is alive now."""
    now = now or timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.bulk_create([WorkerHeartbeat(worker_id=worker_id, seen_at=now)],
                                            ignore_conflicts=True)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def forget(worker_id):
    """The worker stopped cleanly: it is no longer counted."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def last_seen():
    """When any worker was last seen alive, or None."""
    return WorkerHeartbeat.objects.aggregate(at=Max("seen_at"))["at"]


def start(worker_id, interval=None):
    """Beat every `interval` seconds from a daemon thread until the process exits, then forget the worker.
    Returns the function that stops it (also run at exit)."""
    interval = interval or settings.HARBOUR_WORKER_HEARTBEAT_SECONDS
    stopped = threading.Event()

    def run():
        while not stopped.is_set():
            try:
                beat(worker_id)
            except DatabaseError:  # the database is away: /healthz says so; keep trying
                logger.warning("worker heartbeat not recorded: the database did not answer")
            finally:
                connection.close()  # this thread's own connection; one is opened again at the next beat
            stopped.wait(interval)

    thread = threading.Thread(target=run, name="harbour-worker-heartbeat", daemon=True)

    def stop():
        if stopped.is_set():
            return
        stopped.set()
        thread.join(timeout=10)  # a beat under way finishes first, so it cannot bring the row back
        try:
            forget(worker_id)
        except DatabaseError:
            logger.warning("worker heartbeat not removed at exit: the database did not answer")

    thread.start()
    atexit.register(stop)
    return stop
