from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/school-account/", views.school_account_start, name="school_account"),
    path("sign-in/school-account/return/", views.school_account_return, name="school_account_return"),
    path("sign-out/", views.sign_out, name="logout"),
    path("language/", views.choose_language, name="language"),
    path("two-factor/set-up/", views.setup, name="setup"),
    path("two-factor/check/", views.verify, name="verify"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("welcome/<uidb64>/<token>/", views.welcome, name="welcome"),
    path("password/forgotten/", views.forgotten_password, name="forgotten_password"),
]
