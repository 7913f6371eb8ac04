from django.urls import path

from advice import views

app_name = "advice"
urlpatterns = [
    path("", views.script_list, name="list"),
    path("resources/", views.resource_list, name="resources"),
    path("case/<int:case_id>/", views.case_advice, name="case"),
    path("case/<int:case_id>/letter/<slug:script_id>/<int:pupil_id>.pdf", views.letter, name="letter"),
    path("<slug:script_id>/", views.script_detail, name="detail"),
    path("<slug:script_id>/edit/", views.script_edit, name="edit"),
]
