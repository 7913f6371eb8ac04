from django.urls import path

from registers import views

app_name = "registers"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/new/", views.policy_new, name="policy_new"),
    path("policies/<int:policy_id>/", views.policy_detail, name="policy"),
    path("policies/<int:policy_id>/review/", views.policy_review, name="policy_review"),
    path("policies/<int:policy_id>/bring-forward/", views.policy_bring_forward, name="policy_bring_forward"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/not-signed/", views.agreement_unsigned, name="agreement_unsigned"),
    path("agreements/<int:version_id>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:version_id>/signatures/", views.agreement_sign, name="agreement_sign"),
    path("photo-consent/", views.photo_search, name="photo_search"),
    path("photo-consent/pupils/<int:pupil_id>/", views.photo_pupil, name="photo_pupil"),
    path("photo-consent/pupils/<int:pupil_id>/record/", views.photo_record, name="photo_record"),
    path("leavers-images/", views.leavers, name="leavers"),
    path("leavers-images/responsible-person/", views.leavers_keeper, name="leavers_keeper"),
    path("leavers-images/<int:pupil_id>/deleted/", views.leavers_deleted, name="leavers_deleted"),
    path("training/", views.training, name="training"),
    path("training/new/", views.training_new, name="training_new"),
    path("training.csv", views.training_csv, name="training_csv"),
    path("filtering/", views.filtering, name="filtering"),
    path("filtering/roles/new/", views.filtering_role, name="filtering_role"),
    path("filtering/reviews/new/", views.filtering_review, name="filtering_review"),
]
