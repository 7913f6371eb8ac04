from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("search/", views.search, name="search"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/answers/", views.assess, name="assess"),
    path("<int:case_id>/classification/", views.classification, name="classification"),
    path("<int:case_id>/initial-review/", views.review, name="review"),
    path("<int:case_id>/decisions/new/", views.decision, name="decision"),
    path("<int:case_id>/advice/new/", views.advice, name="advice"),
    path("<int:case_id>/decision-not-to-refer/", views.no_referral, name="no_referral"),
    path("<int:case_id>/sign-off/<int:decision_id>/", views.sign_off, name="sign_off"),
    path("<int:case_id>/referrals/new/", views.referral, name="referral"),
    path("<int:case_id>/referrals/<int:referral_id>/answer/", views.referral_answer, name="referral_answer"),
    path("<int:case_id>/outcome/", views.outcome, name="outcome"),
    path("<int:case_id>/tasks/<int:task_id>/", views.task, name="task"),
    path("<int:case_id>/review-date/", views.review_date, name="review_date"),
    path("<int:case_id>/people/", views.people, name="people"),
    path("<int:case_id>/notes/", views.note, name="note"),
    path("<int:case_id>/close/", views.close, name="close"),
    path("<int:case_id>/reopen/", views.reopen, name="reopen"),
    path("from-concern/<int:concern_id>/", views.open_from_concern, name="open"),
    path("from-concern/<int:concern_id>/attach/", views.attach_concern, name="attach"),
]
