from django.shortcuts import render


def bad_request(request, exception=None):
    """Never Django's bare "Bad Request (400)". A form past Django's hard caps gets the "too large" page."""
    from harbour import limits
    from harbour.input import API_PREFIX
    from lib.limits import HARD_CAPS, beyond_the_caps

    if request.path_info.startswith(API_PREFIX):  # the API answers JSON to everything (docs/api.md)
        from django.http import JsonResponse

        too_large = isinstance(exception, HARD_CAPS)
        detail = "The request is too large." if too_large else "The request could not be read."
        return JsonResponse({"detail": detail, "errors": []}, status=413 if too_large else 400)
    if isinstance(exception, HARD_CAPS):
        return limits.refused(request, [beyond_the_caps(exception)])
    if not hasattr(request, "user"):  # stopped before the sign-in middleware: drawn as for someone signed out
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    response = render(request, "errors/400.html", status=400)
    response["Cache-Control"] = "no-store"
    response["X-Frame-Options"] = "DENY"
    return response


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A form whose CSRF check failed (often a page left open for hours) gets Harbour's own page, not Django's."""
    return forbidden(request)


def server_error(request):
    # Render without the request context: the failure may be in what the layout needs.
    return render(None, "errors/500.html", status=500)
