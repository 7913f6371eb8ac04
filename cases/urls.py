from django.urls import path

from cases.views import answers, decisions, imagery, lists, page, versions, work

app_name = "cases"
urlpatterns = [
    path("", lists.case_list, name="list"),
    path("search/", lists.search, name="search"),
    path("procedure-versions/", versions.waiting_list, name="versions"),
    path("<int:case_id>/procedure-version/", versions.case_version, name="version"),
    path("<int:case_id>/", page.case_detail, name="detail"),
    path("<int:case_id>/answers/", answers.assess, name="assess"),
    path("<int:case_id>/answers/implied/", answers.implied_answer, name="implied"),
    path("<int:case_id>/classification/", answers.classification, name="classification"),
    path("<int:case_id>/initial-review/", answers.review, name="review"),
    path("<int:case_id>/decisions/new/", decisions.decision, name="decision"),
    path("<int:case_id>/advice/new/", decisions.advice, name="advice"),
    path("<int:case_id>/decision-not-to-refer/", decisions.no_referral, name="no_referral"),
    path("<int:case_id>/sign-off/<int:decision_id>/", decisions.sign_off, name="sign_off"),
    path("<int:case_id>/referrals/new/", decisions.referral, name="referral"),
    path("<int:case_id>/referrals/<int:referral_id>/answer/", decisions.referral_answer, name="referral_answer"),
    path("<int:case_id>/referrals/not-made/", decisions.not_referred, name="not_referred"),
    path("<int:case_id>/outcome/", decisions.outcome, name="outcome"),
    path("<int:case_id>/tasks/<int:task_id>/", work.task, name="task"),
    path("<int:case_id>/review-date/", work.review_date, name="review_date"),
    path("<int:case_id>/tasks/done/", work.complete_steps, name="complete_steps"),
    path("<int:case_id>/people/", work.people, name="people"),
    path("<int:case_id>/staff-shown/", imagery.depicted_staff, name="depicted_staff"),
    path("<int:case_id>/staff-shown/clear/", imagery.clear_depicted_staff, name="depicted_staff_clear"),
    path("<int:case_id>/takedown/", imagery.takedown, name="takedown"),
    path("<int:case_id>/takedown/<int:pupil_id>/", imagery.takedown_child, name="takedown_child"),
    path("<int:case_id>/notes/", work.note, name="note"),
    path("<int:case_id>/close/", work.close, name="close"),
    path("<int:case_id>/reopen/", work.reopen, name="reopen"),
]
