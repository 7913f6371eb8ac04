from django.urls import path

from communications import views

app_name = "communications"
urlpatterns = [
    path("<int:case_id>/messages/", views.case_messages, name="case"),
    path("<int:case_id>/messages/new/<slug:template_id>/", views.new_message, name="new"),
    path("<int:case_id>/messages/<int:communication_id>/", views.message_detail, name="detail"),
    path("<int:case_id>/messages/<int:communication_id>.pdf", views.message_pdf, name="pdf"),
]
