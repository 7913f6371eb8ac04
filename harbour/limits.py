"""What one form may send, and a kind answer when it sends more: never Django's bare "Bad Request (400)", and
never the loss of what was typed where Harbour can keep it (rule A3: "keep everything else the user typed").

Two levels (the numbers are in settings):

1. The limits: `HARBOUR_MAX_TEXT_BYTES` of text (2.5 MB) and `HARBOUR_MAX_FILES` files (5). `FormLimitsMiddleware`
   measures every form posted to a page, after the sign-in, second-factor and CSRF checks. Over a limit, a view
   marked `@shows_its_form_when_too_large` runs with `request.too_large` (what was too large, in sentences) and
   shows its form again with everything typed; any other view is not run, and the person gets the "too large"
   page instead. Files past the limit are never held (`lib.uploads`).
2. Django's hard caps, four times as much, past which it stops reading (`RequestDataTooBig`, `TooManyFilesSent`,
   `TooManyFieldsSent`). These reach `harbour.errors.bad_request`, which gives the same page. Nothing that was
   sent can be shown again then; the report page's draft, saved as the person typed, can: the page says when it
   was last saved and links back to it.

A request made by htmx in the background (the report page's autosave) gets the same sentences as plain text, so
the page can say "not saved" beside the form while everything typed is still on screen.

The API has its own answer (413 in JSON, `api.body`) and is not measured here. The measuring itself, and the mark
a view wears, are plain helpers in lib/limits.py.
"""

from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from harbour.input import API_PREFIX
from lib.limits import measure
from lib.urls import safe_next


class FormLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.path_info.startswith(API_PREFIX):
            return None
        request.too_large = measure(request)
        if not request.too_large or getattr(view_func, "shows_its_form_when_too_large", False):
            return None
        return refused(request, request.too_large)


def refused(request, too_large):
    """The answer to a form that was too large: plain text for htmx, otherwise the page."""
    if request.headers.get("HX-Request"):
        text = "Not saved. " + " ".join(p.sentence for p in too_large) + " Make it shorter."
        return _protected(HttpResponse(text, status=413, content_type="text/plain; charset=utf-8"))
    report = request.path_info == reverse("concerns:report")
    user = getattr(request, "user", None)
    if user is None:  # Django stopped reading before the sign-in middleware ran
        user = get_user(request)
        request.user = AnonymousUser()  # the page is drawn as for someone signed out: it shows nothing of theirs
    return _protected(render(request, "errors/too_large.html", {
        "too_large": [p.sentence for p in too_large], "report": report, "draft": _draft_saved(user) if report else None,
        "back": safe_next(request, request.META.get("HTTP_REFERER"), "home"),  # the page the form was on
    }, status=413))


def _draft_saved(user):
    """When this person's report draft was last saved, as words; None if there is none."""
    if not user.is_authenticated:
        return None
    from concerns.models import Draft

    draft = Draft.objects.filter(user=user).order_by("-updated_at").only("updated_at").first()
    if draft is None:
        return None
    saved = timezone.localtime(draft.updated_at)
    at = saved.strftime("%-I:%M%p").lower()
    return f"at {at} today" if saved.date() == timezone.localdate() else f"on {saved:%-d %B} at {at}"


def _protected(response):
    # Django's hard caps are met before the middleware that adds these has run.
    response["Cache-Control"] = "no-store"
    response["X-Frame-Options"] = "DENY"
    return response
