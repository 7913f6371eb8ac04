"""The trust administrator's API token page: make a token (shown once), see when each was last used,
revoke one. Access: MANAGE_PEOPLE at the current school, or the same 404 as a missing page (H3)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from api import actions
from api.models import ApiToken
from api.scopes import Scope
from audit.log import Action, record
from schools.access import require
from schools.current import current_school


def token_list(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    values, errors, secret, made = {"name": "", "scopes": []}, {}, None, None
    if request.method == "POST":
        values = {"name": request.POST.get("name", ""), "scopes": request.POST.getlist("scopes")}
        try:
            made, secret = actions.create_token(user=request.user, school=school, name=values["name"],
                                                scopes=values["scopes"])
            values = {"name": "", "scopes": []}
        except actions.TokenError as exc:
            errors = exc.errors
    tokens = list(ApiToken.objects.filter(school=school).select_related("created_by", "revoked_by"))
    record(actor=request.user, action=Action.VIEW, object_type="api_token_list", school=school,
           detail={"shown": len(tokens)})
    return render(request, "api/tokens.html", {
        "school": school, "tokens": tokens, "values": values, "errors": errors, "secret": secret, "made": made,
        "scope_labels": dict(Scope.choices),
        "scope_items": [{"value": v, "text": label, "checked": v in values["scopes"]} for v, label in Scope.choices],
        "error_items": [{"text": text, "href": "#" + ("scopes" if field == "scopes" else "name")}
                        for field, text in errors.items()],
    }, status=422 if errors else 200)


@require_POST
def revoke(request, token_id):
    token = actions.get_token_to_manage(request.user, token_id)
    actions.revoke_token(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” has been revoked. It stopped working at once.")
    return redirect("integrations:tokens")
