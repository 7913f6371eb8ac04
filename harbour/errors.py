from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # Render without the request context: the failure may be in what the layout needs.
    return render(None, "errors/500.html", status=500)
