from django.urls import include, path

from api.urls import api_urls
from harbour import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("healthz/web", views.health_web, name="health_web"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("account/", include("accounts.urls")),
    path("", include("schools.urls")),
    path("concerns/", include("concerns.urls")),
    path("tell/", include("concerns.tell_urls")),  # P1: the pupils' pages, open without an account
    path("cases/", include("cases.urls")),
    path("cases/", include("evidence.urls")),
    path("notifications/", include("notifications.urls")),
    path("procedures/", include("procedures.urls")),
    path("advice/", include("advice.urls")),
    path("messages/", include("communications.urls")),
    path("registers/", include("registers.urls")),
    path("reports/", include("reports.urls")),
    path("records/", include("records.urls")),
    path("api/v1/", api_urls()),
    path("integrations/", include("api.urls")),
    path("imports/", include("imports.urls")),
    path("transfers/", include("transfers.urls")),
]

handler400 = "harbour.errors.bad_request"
handler404 = "harbour.errors.not_found"
handler500 = "harbour.errors.server_error"
handler403 = "harbour.errors.forbidden"
