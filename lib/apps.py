import sys

from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "lib"
    verbose_name = "Plain helpers"

    def ready(self):
        # The background worker (`manage.py worker`, or django-tasks' own `db_worker`) loads WeasyPrint when it
        # starts, as the web server does (harbour/wsgi.py), so that a PDF made by a task is not the one that pays
        # for the import (20.9).
        if sys.argv[1:2] in (["worker"], ["db_worker"]):
            from lib.pdf import warm_up

            warm_up()
