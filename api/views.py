"""The trust administrator's API token page: make a token (shown once), see when each was last used,
revoke one. Access: MANAGE_PEOPLE at the current school, or the same 404 as a missing page (H3)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from api import actions
from api.forms import TokenForm
from api.models import ApiToken
from api.scopes import Scope
from audit.log import Action, record
from lib.errors import ActionError
from lib.forms import posted
from schools.access import require
from schools.current import current_school


def token_list(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    form, secret, made = TokenForm(posted(request)), None, None
    if form.is_bound and form.is_valid():
        try:
            made, secret = actions.create_token(user=request.user, school=school, **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            form = TokenForm()  # the next token starts empty
    tokens = list(ApiToken.objects.filter(school=school).select_related("created_by", "revoked_by"))
    record(actor=request.user, action=Action.VIEW, object_type="api_token_list", school=school,
           detail={"shown": len(tokens)})
    chosen = form.shown("scopes") or []
    return render(request, "api/tokens.html", {
        "school": school, "tokens": tokens, "form": form, "secret": secret, "made": made,
        "scope_labels": dict(Scope.choices),
        "scope_items": [{"value": v, "text": label, "checked": v in chosen} for v, label in Scope.choices],
    }, status=422 if form.errors else 200)


@require_POST
def revoke(request, token_id):
    token = actions.get_token_to_manage(request.user, token_id)
    actions.revoke_token(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” has been revoked. It stopped working at once.")
    return redirect("integrations:tokens")
