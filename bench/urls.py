"""The bench-only URLconf (used by bench/wsgi.py and bench/queries.py, never by Harbour itself)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from harbour.urls import handler400, handler403, handler404, handler500  # noqa: F401 - Django reads the error handlers from the URLconf
from harbour.urls import urlpatterns as harbour_urlpatterns


@login_not_required
def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("__bench/django", hello)] + harbour_urlpatterns
