from django.urls import path

from schools import digest, school_accounts, views

app_name = "schools"
urlpatterns = [
    path("switch-school/", views.switch_school, name="switch"),
    path("pupils/", views.pupil_list, name="pupil_list"),
    path("pupils/<int:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    # Staff accounts at this school (the addresses they had as accounts' pages).
    path("account/people/", views.people, name="people"),
    path("account/people/<int:user_id>/invite/", views.invite, name="invite"),
    path("account/people/<int:user_id>/reset-second-factor/", views.reset_second_factor, name="reset_second_factor"),
    path("account/digest-times/", digest.digest_times, name="digest_times"),
    path("account/school/", views.school_details, name="details"),
    path("account/schools/add/", views.add_school, name="add"),
    # The trust's Microsoft or Google accounts, for signing in (trust administrator).
    path("account/school-accounts/", school_accounts.overview, name="school_accounts"),
    path("account/school-accounts/<slug:kind>/", school_accounts.connect, name="school_account"),
]
