from django.contrib.auth.decorators import login_not_required
from django.urls import path

from api import views
from api.endpoints import api


def api_urls():
    """The API's URL patterns. They pass LoginRequiredMiddleware because each call carries its own token
    (checked by api.endpoints.TokenAuth), and CSRF because Ninja exempts them: a session cookie grants
    nothing here. Only these patterns are opened; every other URL stays as it was."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name != "api-root":  # Ninja's root only answers 404: it stays behind the sign-in gate
            login_not_required(pattern.callback)
    return patterns, app_name, namespace


app_name = "integrations"
urlpatterns = [
    path("api-tokens/", views.token_list, name="tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
    path("monitoring-users/", views.monitoring_users, name="monitoring_users"),
    path("monitoring-users/<int:monitoring_user_id>/", views.match_monitoring_user, name="match_monitoring_user"),
]
