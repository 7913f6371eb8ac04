from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.school_dashboard, name="dashboard"),
    path("trust/", views.trust_dashboard, name="trust"),
    path("schools/<int:school_id>/<slug:key>/", views.measure_list, name="list"),
    path("trends/", views.trends, name="trends"),
    path("governor-report/", views.governor_report, name="governor"),
    path("governor-report.pdf", views.governor_report, {"as_pdf": True}, name="governor_pdf"),
    path("termly-pack/", views.termly_pack, name="pack"),
    path("termly-pack.pdf", views.termly_pack, {"as_pdf": True}, name="pack_pdf"),
]
