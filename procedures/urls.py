from django.urls import path

from procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<slug:procedure_id>/", views.procedure_detail, name="detail"),
    path("<slug:procedure_id>/adapt/", views.adapt_for_school, name="adapt_school"),
    path("<slug:procedure_id>/adapt/trust/", views.adapt_for_trust, name="adapt_trust"),
]
