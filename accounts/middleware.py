import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


from accounts import mfa

LAST_SEEN = "harbour_last_seen"
SIGNED_IN_AT = "harbour_signed_in_at"
# Refresh the idle clock at most once a minute, so that reading pages does not write
# the session on every request.
TOUCH_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    """End a session after an idle period (default 30 minutes) and after an absolute one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(LAST_SEEN, now)
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            idle = now - last_seen > settings.HARBOUR_IDLE_TIMEOUT_MINUTES * 60
            too_long = now - signed_in_at > settings.HARBOUR_ABSOLUTE_TIMEOUT_MINUTES * 60
            if idle or too_long:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after "
                    + (f"{settings.HARBOUR_IDLE_TIMEOUT_MINUTES} minutes without activity"
                       if idle else "the longest time a session may last")
                    + ". Sign in again to carry on: drafts are kept.",
                )
            elif now - last_seen >= TOUCH_EVERY_SECONDS or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


class MFARequiredMiddleware:
    """A password-only session reaches nothing but second-factor enrolment and checking (S1).

    Accounts that can read case records must enrol; anyone who has enrolled must verify.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "mfa_required", True) or not getattr(view_func, "login_required", True):
            return None
        if mfa.has_confirmed_device(user):
            return redirect_to_login(request.get_full_path(), "accounts:verify")
        if user.access.requires_second_factor:
            return redirect_to_login(request.get_full_path(), "accounts:setup")
        return None


