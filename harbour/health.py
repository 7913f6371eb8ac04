"""What /healthz checks (harbour/views.py says what each field of its answer means).

Each check answers a small dict whose "ok" says whether that part is healthy; a check that cannot run (the
database is away) answers ok False with its figure None rather than raising.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from harbour import heartbeat

# Once every migration this code knows is applied, it stays so for the life of the process (new migrations come
# with new code, and so with a restart): the check, which reads every migration file, then runs once.
_all_applied = False


def database():
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return {"ok": cursor.fetchone() == (1,)}
    except DatabaseError:
        return {"ok": False}


def migrations():
    global _all_applied
    if not _all_applied:
        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            _all_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            return {"ok": False}
    return {"ok": _all_applied}


def _seconds_since(moment, now):
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def worker(now):
    try:
        seen = _seconds_since(heartbeat.last_seen(), now)
    except DatabaseError:
        return {"ok": False, "seen_seconds_ago": None}
    return {"ok": seen is not None and seen <= settings.HARBOUR_HEALTH_WORKER_SECONDS, "seen_seconds_ago": seen}


def queue(now):
    """The longest any job due to run has waited for a worker: since it was queued, or since the time it was to
    run after. Jobs set to run later are not waiting yet."""
    try:
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        unscheduled = waiting.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
        scheduled = waiting.filter(run_after__lte=now).aggregate(at=Min("run_after"))["at"]
    except DatabaseError:
        return {"ok": False, "oldest_waiting_seconds": None}
    oldest = min((at for at in (unscheduled, scheduled) if at is not None), default=None)
    age = _seconds_since(oldest, now)
    return {"ok": age is None or age <= settings.HARBOUR_HEALTH_QUEUE_SECONDS, "oldest_waiting_seconds": age}


def report(*, web_only=False):
    """The checks, and whether all passed. `web_only`: the parts a web server needs (database, migrations)."""
    checks = {"database": database()}
    checks["migrations"] = migrations() if checks["database"]["ok"] else {"ok": False}
    if not web_only:
        now = timezone.now()
        checks["worker"] = worker(now)
        checks["queue"] = queue(now)
    return all(check["ok"] for check in checks.values()), checks
