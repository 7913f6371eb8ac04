"""The trust administrator's API token page: make a token (shown once), see when each was last used,
revoke one. Access: MANAGE_PEOPLE at the current school, or the same 404 as a missing page (H3).

The DSL team's monitoring users page (A5): the logins a monitoring service named that no pupil has, each matched
to a pupil once. Access: RECEIVE_CONCERNS at the current school, or the same 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.capabilities import Capability
from api import actions, monitoring
from api.forms import MatchForm, TokenForm
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


def monitoring_users(request):
    school = current_school(request)
    monitoring.require_matcher(request.user, school)
    waiting, done = list(monitoring.unmatched(school)), list(monitoring.matched(school))
    record(actor=request.user, action=Action.VIEW, object_type="monitoring_user_list", school=school,
           detail={"unmatched": len(waiting), "matched": len(done)})
    return render(request, "api/monitoring_users.html", {"school": school, "waiting": waiting, "done": done})


def match_monitoring_user(request, monitoring_user_id):
    found = monitoring.get_user_to_match(request.user, monitoring_user_id)
    school = found.school
    form = MatchForm(posted(request))
    choices = []
    if form.is_bound:
        choices = monitoring.candidates(school, form["query"].value())
        form.fields["pupil"].set_objects(choices, label_of=lambda p: p.display_name)
    if form.is_bound and form.is_valid() and form.cleaned_data["match"]:
        try:
            given = monitoring.match_user(user=request.user, school=school, monitoring_user=found,
                                          pupil=form.cleaned_data["pupil"])
        except ActionError as exc:
            form.refuse(exc)
        else:
            pupil = form.cleaned_data["pupil"]
            messages.success(request, f"“{found.login}” is {pupil.display_name}: later alerts naming this login "
                                      "will name them" + (f", and {len(given)} open concern"
                                                          f"{'s' if len(given) != 1 else ''} now name"
                                                          f"{'' if len(given) != 1 else 's'} them." if given else "."))
            return redirect("integrations:monitoring_users")
    record(actor=request.user, action=Action.VIEW, object_type="monitoring_user", object_id=found.id, school=school)
    return render(request, "api/match_monitoring_user.html", {
        "school": school, "found": found, "form": form, "choices": choices,
        "searched": form.is_bound and bool(form.shown("query")),
    }, status=422 if form.errors else 200)
