import time

import qrcode
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from qrcode.image.svg import SvgPathImage

from accounts import actions, invitations, mfa, oidc
from accounts.decorators import mfa_not_required
from accounts.forms import CodeForm, ForgottenPasswordForm, LanguageForm, NextForm, SchoolAccountForm, SignInForm
from accounts.models import ProviderSecondFactor, SchoolAccountProvider
from accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from audit.log import Action, record, record_refusal
from lib.urls import safe_next


def _second_factor_passed(request, device):
    """Mark the session verified with `device` and give it a new key, as Django's login() does after the password.

    Whoever saw or planted the password-only session key (a shared computer, a fixation attack) must not
    inherit the fully signed-in session: the old key is deleted from the store, the data moves to a new one,
    and the CSRF secret is replaced too."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)


def _next_url(request):
    form = NextForm(request.POST)
    posted_next = form.cleaned_data["next"] if form.is_valid() else ""
    return safe_next(request, posted_next or request.GET.get("next"), settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        now = int(time.time())
        self.request.session[SIGNED_IN_AT] = now
        self.request.session[LAST_SEEN] = now
        record(actor=form.get_user(), action=Action.SIGN_IN, object_type="session", detail={"factor": "password"})
        return response

    def form_invalid(self, form):
        record_refusal(actor=None, object_type="session", reason="bad_password")
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["welcome"] = self.request.GET.get("welcome") == "1"
        context["school_accounts"] = oidc.offered_kinds()
        return context  # in demo mode the demo sign-ins come from harbour.context_processors


def _sign_in(request, *args, **kwargs):
    return oidc.allow_providers(SignInView.as_view()(request, *args, **kwargs))


sign_in = mfa_not_required(login_not_required(_sign_in))


@require_POST
@mfa_not_required
def sign_out(request):
    if request.user.is_authenticated:
        record(actor=request.user, action=Action.SIGN_OUT, object_type="session")
    return auth_views.LogoutView.as_view()(request)


@require_POST
def choose_language(request):
    """J8: English or Cymraeg, remembered on the account; back to the page it was chosen on."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        actions.choose_language(user=request.user, language=form.cleaned_data["language"])
    return redirect(safe_next(request, form.cleaned_data.get("next"), "home"))


@mfa_not_required
def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then prove it works."""
    if request.user.is_verified() or mfa.has_confirmed_device(request.user):
        return redirect("accounts:verify")
    device = mfa.pending_totp_device(request.user)
    form = CodeForm(request.POST or None, check=lambda code: device if device.verify_token(code) else None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_totp(user=request.user, device=device)
        _second_factor_passed(request, device)
        request.session["harbour_new_recovery_codes"] = codes
        return redirect(reverse("accounts:recovery_codes") + "?next=" + _next_url(request))
    # Inline SVG without the XML declaration a standalone .svg file starts with: HTML has no place for it.
    qr_svg = qrcode.make(device.config_url, image_factory=SvgPathImage).to_string(encoding="unicode")
    key = _b32(device)
    return render(request, "accounts/setup.html", {
        "form": form,
        "qr_svg": qr_svg,
        "key_groups": [key[i:i + 4] for i in range(0, len(key), 4)],
        "demo_code": mfa.demo_code(request, device),
        "next": _next_url(request),
    })


def _b32(device):
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


@mfa_not_required
def verify(request):
    """Second step of signing in: a code from the app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not mfa.has_confirmed_device(request.user):
        return redirect(reverse("accounts:setup") + "?next=" + _next_url(request))
    form = CodeForm(request.POST or None, check=lambda code: mfa.match_token(request.user, code))
    if request.method == "POST":
        if form.is_valid():
            _second_factor_passed(request, form.device)
            record(actor=request.user, action=Action.SIGN_IN, object_type="session",
                   detail={"factor": "recovery_code" if form.device.__class__.__name__ == "StaticDevice" else "totp"})
            return redirect(_next_url(request))
        record_refusal(actor=request.user, object_type="session", reason="bad_code")
    demo_code = mfa.demo_code(request, mfa.totp_device(request.user)) if settings.HARBOUR_DEMO_MODE else None
    return render(request, "accounts/verify.html", {"form": form, "demo_code": demo_code, "next": _next_url(request)})


def recovery_codes(request):
    """Show newly issued recovery codes once; or issue a fresh set on request (POST)."""
    if request.method == "POST":
        request.session["harbour_new_recovery_codes"] = mfa.replace_recovery_codes(user=request.user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop("harbour_new_recovery_codes", None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


def locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this when an email address is locked at this IP address."""
    record_refusal(actor=None, object_type="session", reason="locked_out")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The link from the invitation email. Django's view moves the token into the session and redirects to a
    URL without it, so the token never sits in the address bar or a Referer header."""

    template_name = "accounts/welcome.html"
    post_reset_login = False

    def get_success_url(self):
        return reverse("accounts:login") + "?welcome=1"

    def form_valid(self, form):
        response = super().form_valid(form)
        record(actor=form.user, action=Action.UPDATE, object_type="user", object_id=form.user.id,
               changed_fields=["password"], detail={"why": "invitation"})
        return response


welcome = mfa_not_required(login_not_required(WelcomeView.as_view()))


@mfa_not_required
@login_not_required
def forgotten_password(request):
    """"Forgotten your password?": a link to choose a new one is emailed to the account's address. The answer is the
    same whether or not the address has an account (accounts/invitations.py says how the timing is kept the same)."""
    form = ForgottenPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        invitations.ask_for_reset_link(form.cleaned_data["email"])
        return render(request, "accounts/forgotten_password_sent.html",
                      {"email": form.cleaned_data["email"], "days": invitations.LINK_DAYS,
                       "minutes": int(invitations.RESET_EVERY.total_seconds() // 60)})
    return render(request, "accounts/forgotten_password.html", {"form": form})


# Signing in with a school account (accounts/oidc.py). The provider and the page to go on to are kept in the session
# between the two requests; the state, nonce and PKCE verifier are kept there by Authlib.
OIDC_PROVIDER = "harbour_oidc_provider"
OIDC_EMAIL = "harbour_oidc_email"
OIDC_NEXT = "harbour_oidc_next"


def _school_account_refused(request, reason, email="", *, status=403, message=None):
    """The sign-in page again, with what went wrong in the person's terms and what to do next. A refusal is audited
    and counts towards django-axes' lockout of the address, as a wrong password does."""
    record_refusal(actor=None, object_type="session", reason=f"school_account_{reason}")
    if email:
        user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    return oidc.allow_providers(render(request, "accounts/sign_in.html", {
        "form": SignInForm(request), "next": _next_url(request), "school_accounts": oidc.offered_kinds(),
        "school_account_error": message or oidc.MESSAGES[reason],
    }, status=status))


@require_POST
@mfa_not_required
@login_not_required
def school_account_start(request):
    """"Sign in with Microsoft" or "with Google": the email address typed tells which trust's account to use."""
    form = SchoolAccountForm(request.POST)
    if not form.is_valid():
        return _school_account_refused(request, "domain", status=422, message=form.first_error())
    email, kind = form.cleaned_data["username"], form.cleaned_data["provider"]
    provider = oidc.provider_for(email, kind)
    if provider is None:
        label = dict(SchoolAccountProvider.Kind.choices)[kind]
        return _school_account_refused(request, "domain", status=422, message=(
            f"Your trust has not connected {label} accounts ending in @{oidc.domain_of(email)} to Harbour. "
            "Sign in with your Harbour password, or choose your school's other account if it has one."))
    if not AxesProxyHandler.is_allowed(request, credentials={"username": email}):
        return locked_out(request, None)
    request.session[OIDC_PROVIDER] = provider.pk
    request.session[OIDC_EMAIL] = email
    request.session[OIDC_NEXT] = _next_url(request)
    redirect_uri = request.build_absolute_uri(reverse("accounts:school_account_return"))
    try:
        return oidc.authorize_redirect(request, provider, redirect_uri=redirect_uri, email=email)
    except oidc.SignInRefused as refusal:
        return _school_account_refused(request, refusal.reason, status=503)


@require_GET
@mfa_not_required
@login_not_required
def school_account_return(request):
    """Where the provider sends the person back. Everything is checked (accounts/oidc.py) before anyone is signed in;
    then the second factor is asked as after a password, unless the trust accepts the provider's (S1)."""
    typed = request.session.get(OIDC_EMAIL, "")
    provider = SchoolAccountProvider.objects.filter(pk=request.session.get(OIDC_PROVIDER), enabled=True).first()
    if provider is None:
        return _school_account_refused(request, "state", typed)
    try:
        signed = oidc.finish(request, provider)
    except oidc.SignInRefused as refusal:
        return _school_account_refused(request, refusal.reason, refusal.email or typed)
    if not AxesProxyHandler.is_allowed(request, credentials={"username": signed.email}):
        return locked_out(request, None)
    next_url = request.session.pop(OIDC_NEXT, None) or settings.LOGIN_REDIRECT_URL
    for key in (OIDC_PROVIDER, OIDC_EMAIL):
        request.session.pop(key, None)
    login(request, signed.user, backend="django.contrib.auth.backends.ModelBackend")
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    record(actor=signed.user, action=Action.SIGN_IN, object_type="session", detail={"factor": provider.kind})
    if signed.provider_second_factor:
        device, _ = ProviderSecondFactor.objects.get_or_create(
            user=signed.user, kind=provider.kind,
            defaults={"name": f"{provider.get_kind_display()} second factor", "confirmed": True})
        _second_factor_passed(request, device)
        record(actor=signed.user, action=Action.SIGN_IN, object_type="session",
               detail={"factor": f"{provider.kind}_second_factor"})
    return redirect(safe_next(request, next_url, settings.LOGIN_REDIRECT_URL))
