"""The trust administrator connects the trust's Microsoft Entra ID or Google Workspace, so that staff sign in with
their school account (accounts/oidc.py; how to register Harbour with each provider: docs/sign-in.md).

Access: MANAGE_PEOPLE at the current school (the trust administrator's), for that school's trust; anyone else gets
the same 404 as a missing page (H3)."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts import actions
from accounts.capabilities import Capability
from accounts.models import SchoolAccountProvider
from lib.errors import ActionError
from lib.forms import Form, posted
from lib.sealed import can_seal
from schools.access import require
from schools.current import current_school

KINDS = dict(SchoolAccountProvider.Kind.choices)
# What each provider's issuer looks like, shown as the box's hint.
ISSUER_HINTS = {
    "microsoft": "https://login.microsoftonline.com/ then your tenant ID, then /v2.0",
    "google": "https://accounts.google.com",
}


class SchoolAccountForm(Form):
    issuer = forms.CharField(max_length=300, required=False)
    client_id = forms.CharField(max_length=200, required=False)
    client_secret = forms.CharField(max_length=500, required=False, strip=True)
    domains = forms.CharField(max_length=2000, required=False)
    accept_provider_mfa = forms.BooleanField(required=False)
    enabled = forms.BooleanField(required=False)
    anchors = {"accept_provider_mfa": "accept_provider_mfa", "enabled": "enabled"}


def _trust_school(request):
    school = current_school(request)
    require(request.user, Capability.MANAGE_PEOPLE, school)
    return school


def overview(request):
    school = _trust_school(request)
    providers = {p.kind: p for p in SchoolAccountProvider.objects.filter(trust_id=school.trust_id)}
    return render(request, "schools/school_accounts.html", {
        "school": school, "trust": school.trust, "kinds": list(KINDS.items()), "providers": providers,
        "saved": KINDS.get(request.GET.get("saved", "")),
        "redirect_uri": request.build_absolute_uri(reverse("accounts:school_account_return")),
    })


def connect(request, kind):
    school = _trust_school(request)
    if kind not in KINDS:
        raise Http404("Not found")
    provider = SchoolAccountProvider.objects.filter(trust_id=school.trust_id, kind=kind).first()
    initial = ({"issuer": provider.issuer, "client_id": provider.client_id, "domains": provider.domains,
                "accept_provider_mfa": provider.accept_provider_mfa, "enabled": provider.enabled}
               if provider else {"issuer": "https://accounts.google.com" if kind == "google" else "", "enabled": True})
    form = SchoolAccountForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            actions.connect_school_accounts(user=request.user, trust_id=school.trust_id, kind=kind,
                                            **form.cleaned_data)
        except ActionError as exc:
            form.refuse(exc)
        else:
            return redirect(reverse("schools:school_accounts") + f"?saved={kind}")
    return render(request, "schools/school_account.html", {
        "school": school, "trust": school.trust, "kind": kind, "label": KINDS[kind], "form": form,
        "provider": provider, "issuer_hint": ISSUER_HINTS[kind], "can_seal": can_seal(),
        "checked": {name: bool(form.shown(name)) for name in ("accept_provider_mfa", "enabled")},
        "redirect_uri": request.build_absolute_uri(reverse("accounts:school_account_return")),
    }, status=422 if form.errors else 200)
