from django.urls import path

from schools import digest, views

app_name = "schools"
urlpatterns = [
    path("switch-school/", views.switch_school, name="switch"),
    path("pupils/", views.pupil_list, name="pupil_list"),
    path("pupils/<int:pupil_id>/", views.pupil_detail, name="pupil_detail"),
    # Staff accounts at this school (the addresses they had as accounts' pages).
    path("account/people/", views.people, name="people"),
    path("account/people/<int:user_id>/invite/", views.invite, name="invite"),
    path("account/digest-times/", digest.digest_times, name="digest_times"),
    path("account/school/", views.school_details, name="details"),
    path("account/schools/add/", views.add_school, name="add"),
]
