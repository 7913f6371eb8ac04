from django.urls import path

from evidence import views

app_name = "evidence"
urlpatterns = [
    path("<int:case_id>/devices/new/", views.device_new, name="device_new"),
    path("<int:case_id>/devices/<int:device_id>/move/", views.device_move, name="device_move"),
    path("<int:case_id>/devices/<int:device_id>/release/", views.device_release, name="device_release"),
    path("<int:case_id>/parents/new/", views.parents_new, name="parents_new"),
    path("<int:case_id>/deletion/new/", views.deletion_new, name="deletion_new"),
    path("<int:case_id>/deletion/<int:deletion_id>/", views.deletion_confirm, name="deletion_confirm"),
]
urlpatterns += [
    path("<int:case_id>/viewing/new/", views.viewing_new, name="viewing_new"),
    path("<int:case_id>/viewing/<int:viewing_id>/sign/", views.viewing_sign, name="viewing_sign"),
    path("<int:case_id>/evidence/new/", views.evidence_new, name="evidence_new"),
]
