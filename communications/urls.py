from django.urls import path

from communications import views

app_name = "communications"
urlpatterns = [
    path("", views.template_list, name="templates"),
    path("case/<int:case_id>/", views.case_messages, name="case"),
    path("case/<int:case_id>/new/<slug:template_id>/", views.new_message, name="new"),
    path("case/<int:case_id>/<int:communication_id>/", views.message_detail, name="detail"),
    path("case/<int:case_id>/<int:communication_id>.pdf", views.message_pdf, name="pdf"),
    path("<slug:template_id>/", views.template_detail, name="template"),
    path("<slug:template_id>/edit/", views.template_edit, name="template_edit"),
]
