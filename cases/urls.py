from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("from-concern/<int:concern_id>/", views.open_from_concern, name="open"),
    path("from-concern/<int:concern_id>/attach/", views.attach_concern, name="attach"),
]
