"""The bench's WSGI entry point: Harbour itself, plus two baselines that exist ONLY here.

    gunicorn bench.wsgi:application

- /__bench/wsgi: a bare WSGI "hello" (no Django at all), the ceiling of the server;
- /__bench/django: a Django "hello" view served through Harbour's whole middleware stack
  (sessions, CSP, CSRF, authentication, the second-factor gate...), the baseline every
  page is compared with.

Everything else goes to Harbour unchanged. harbour/urls.py never routes /__bench/: the bench
sets its own URLconf (bench/urls.py, Harbour's patterns plus the hello view) in this process only.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")

import django

django.setup()

from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "bench.urls"
harbour = get_wsgi_application()
HELLO = b"Hello, world"


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/__bench/wsgi":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(HELLO)))])
        return [HELLO]
    return harbour(environ, start_response)
