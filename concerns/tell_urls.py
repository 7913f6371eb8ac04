"""P1: the pupils' pages, open without an account (concerns/tell_views.py)."""

from django.urls import path

from concerns import tell_views

app_name = "tell"
urlpatterns = [
    path("<str:school_code>/", tell_views.start, name="start"),
    path("<str:school_code>/check/", tell_views.check, name="check"),
]
