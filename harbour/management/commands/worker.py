"""`manage.py worker`: Harbour's background worker. It is django-tasks' `db_worker` (same options) that also
records, every HARBOUR_WORKER_HEARTBEAT_SECONDS, that it is alive, so that /healthz can say whether a worker runs.
Run this rather than `db_worker`: a worker started as `db_worker` does its work but /healthz counts it as down."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from harbour import heartbeat


class Command(DatabaseWorker):
    help = ("Run Harbour's background worker: django-tasks' db_worker, recording that it is alive for /healthz. "
            "Stops cleanly on SIGTERM or Ctrl-C.")

    def handle(self, *args, **options):
        reloading = options["reload"] and not options["batch"]
        # With --reload the parent process only watches files; the child that works beats.
        if not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            heartbeat.start(options["worker_id"])
        return super().handle(*args, **options)
