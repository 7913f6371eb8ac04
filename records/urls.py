from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("disposal/", views.queue, name="queue"),
    path("disposal/case/<int:case_id>/", views.request_disposal, name="request"),
    path("disposal/case/<int:case_id>/date-of-birth/", views.staff_birth_date, name="staff_birth_date"),
    path("disposal/requests/<int:request_id>/", views.approve, name="approve"),
    path("disposal/requests/<int:request_id>/decline/", views.decline, name="decline"),
    path("subject-access/", views.subject_access_search, name="subject_access"),
    path("subject-access/<str:kind>/<int:subject_id>/", views.subject_access_preview, name="subject_access_preview"),
    path("subject-access/<str:kind>/<int:subject_id>/export.<str:fmt>", views.subject_access_download,
         name="subject_access_download"),
    path("subject-access/<str:kind>/<int:subject_id>/release/", views.subject_access_release,
         name="subject_access_release"),
]
