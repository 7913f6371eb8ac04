from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("pupil/<int:pupil_id>/new/", views.start, name="start"),
    path("<int:transfer_id>/", views.detail, name="detail"),
    path("<int:transfer_id>/receipt/", views.receipt, name="receipt"),
    path("<int:transfer_id>/package.harbour", views.package, name="package"),
    path("<int:transfer_id>/file.pdf", views.pdf, name="pdf"),
    path("receive/", views.receive, name="incoming"),
    path("received/<int:received_id>/", views.received, name="received"),
    path("received/new/", views.arrival, name="arrival"),
    path("key-card/", views.key_card, name="key_card"),
    path("key-card.txt", views.key_card_file, name="key_card_file"),
]
