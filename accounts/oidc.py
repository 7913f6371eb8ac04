"""Signing in with a school account: the trust's Microsoft Entra ID or Google Workspace, through OpenID Connect.

The protocol is Authlib's (its Django client): the authorisation request carries a random `state`, a `nonce` and a
PKCE challenge (S256), all kept in Harbour's session; the answer's `state` must match, the code is exchanged with
the verifier, and the ID token's signature (the provider's published keys), issuer, audience, expiry and nonce are
checked before anything else is read. Harbour then decides, in this order (`person_for`):

- the email address the token gives must end in one of the trust's allowed domains;
- it must be a Harbour account's address (compared without regard to case) in a school of this trust, or a trust
  role there: signing in never creates an account;
- the account must be open: deactivation in Harbour wins over the provider;
- django-axes' lockout applies to the address as it does to a password; each refusal counts as a failed sign-in.

Rule S1 still holds after the provider: Harbour's own code is asked next (as after a password), unless the trust
chose to accept the provider's second factor and the ID token's `amr` says one was used (`mfa`).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from requests import RequestException

from accounts.models import Membership, SchoolAccountProvider, TrustMembership, User
from lib.sealed import SecretsKeyMissing, unseal

SCOPE = "openid email profile"
# A second factor at the provider, by the value its ID token's `amr` carries (RFC 8176): Entra ID says "mfa".
SECOND_FACTOR_AMR = {"mfa"}
HTTP_TIMEOUT_SECONDS = 10

# What the person reads for each refusal: what happened in their terms, and what to do next. Never a protocol word.
START_AGAIN = "Go back to the sign-in page and choose your school account again."
MESSAGES = {
    "state": ("This sign-in link has already been used or has expired. " + START_AGAIN),
    "nonce": ("This sign-in could not be confirmed as the one you started here. " + START_AGAIN),
    "expired": ("Your school account's sign-in took too long or has expired. " + START_AGAIN),
    "audience": ("Your school account signed you in for a different service, not Harbour. " + START_AGAIN
                 + " If it happens again, tell your trust administrator."),
    "issuer": ("The sign-in came from a different Microsoft or Google organisation than your trust's. "
               "Tell your trust administrator; meanwhile sign in with your Harbour password."),
    "invalid_token": ("Harbour could not confirm the sign-in from your school account. " + START_AGAIN
                      + " If it happens again, tell your trust administrator."),
    "provider_refused": ("Your school account did not sign you in. " + START_AGAIN),
    "unavailable": ("Harbour could not reach your school account's sign-in service. Try again in a few minutes, "
                    "or sign in with your Harbour password."),
    "not_configured": ("Signing in with your school account is not working at the moment. Sign in with your "
                       "Harbour password, and tell your trust administrator."),
    "domain": ("That school account is not one your trust uses with Harbour. Sign in with your work account, or "
               "with your Harbour password."),
    "no_account": ("Harbour has no account for that email address. Ask your school office or trust administrator to "
                   "add you; signing in with a school account does not create one."),
    "deactivated": "This account has been closed. Ask your school's office or trust administrator.",
}


# The ID token's claim that failed its check → the refusal the person reads.
CLAIM_REFUSALS = {"aud": "audience", "azp": "audience", "iss": "issuer", "nonce": "nonce", "exp": "expired"}


class SignInRefused(Exception):
    def __init__(self, reason, email=""):
        super().__init__(reason)
        self.reason = reason
        self.email = email

    @property
    def message(self):
        return MESSAGES[self.reason]


@dataclass
class SignedIn:
    user: User
    email: str
    provider_second_factor: bool


def domain_of(email):
    return email.rpartition("@")[2].strip().lower()


def offered_kinds():
    """The kinds of school account some trust has connected ("microsoft", "google"), for the sign-in page's buttons.
    An installation where no trust has connected one shows none."""
    kinds = set(SchoolAccountProvider.objects.filter(enabled=True).values_list("kind", flat=True))
    return [(k, label) for k, label in SchoolAccountProvider.Kind.choices if k in kinds]


def form_action_origins():
    """Where the sign-in page's form may lead: its "Sign in with …" buttons post to Harbour, which redirects to the
    provider, and the page's Content-Security-Policy (form-action) covers every redirect of a form. The providers'
    sign-in pages are at their issuers' origins (login.microsoftonline.com, accounts.google.com)."""
    origins = set()
    for issuer in SchoolAccountProvider.objects.filter(enabled=True).values_list("issuer", flat=True):
        parts = urlsplit(issuer)
        if parts.scheme and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def allow_providers(response):
    """Let the sign-in page's form lead to the connected providers (see `form_action_origins`)."""
    origins = form_action_origins()
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def provider_for(email, kind):
    """The connected provider of this kind whose allowed domains hold `email`'s domain, or None."""
    domain = domain_of(email)
    if not domain:
        return None
    for provider in SchoolAccountProvider.objects.filter(kind=kind, enabled=True).select_related("trust"):
        if domain in provider.domain_list:
            return provider
    return None


def client(provider):
    """Authlib's client for `provider`; its name keys the state kept in the session (one per provider)."""
    try:
        secret = unseal(provider.secret_sealed, provider.secret_key_id)
    except SecretsKeyMissing:
        raise SignInRefused("not_configured") from None
    oauth = OAuth()
    return oauth.register(
        name=f"harbour_provider_{provider.pk}",
        client_id=provider.client_id,
        client_secret=secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": HTTP_TIMEOUT_SECONDS},
    )


def authorize_redirect(request, provider, *, redirect_uri, email):
    """The redirect to the provider's sign-in page, with `email` as the login hint (nobody types it twice)."""
    app = client(provider)
    extra = {"login_hint": email}
    if provider.kind == SchoolAccountProvider.Kind.GOOGLE:
        extra["hd"] = domain_of(email)  # Google shows only accounts of that Workspace domain
    try:
        return app.authorize_redirect(request, redirect_uri, **extra)
    except (RequestException, ValueError, OAuthError):
        raise SignInRefused("unavailable", email) from None


def _token(request, provider):
    """Exchange the code the provider sent back for a checked ID token's claims. SignInRefused says why not."""
    app = client(provider)
    try:
        token = app.authorize_access_token(
            # Authlib checks the audience only through `azp`: the client id is required here as the issuer is.
            request, claims_options={"iss": {"essential": True, "values": [provider.issuer]},
                                     "aud": {"essential": True, "values": [provider.client_id]}})
    except MismatchingStateError:
        raise SignInRefused("state") from None
    except ExpiredTokenError:
        raise SignInRefused("expired") from None
    except ClaimError as error:
        raise SignInRefused(CLAIM_REFUSALS.get(error.claim, "invalid_token")) from None
    except JoseError:
        raise SignInRefused("invalid_token") from None
    except OAuthError:
        raise SignInRefused("provider_refused") from None
    except RequestException:
        raise SignInRefused("unavailable") from None
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused("invalid_token")
    claims = dict(claims)
    if not claims.get("email") and token.get("access_token"):
        # A provider may keep the address for its UserInfo endpoint (OpenID Connect Core 5.4): asked with the access
        # token, and believed only when it speaks of the same person as the checked ID token (`sub`, 5.3.2).
        try:
            more = app.userinfo(token=token)
        except (OAuthError, RequestException, ValueError):
            raise SignInRefused("unavailable") from None
        if more.get("sub") == claims.get("sub"):
            claims["email"] = more.get("email") or ""
            claims["email_verified"] = more.get("email_verified", claims.get("email_verified"))
    return claims


def _email(claims, provider):
    email = claims.get("email") or ""
    if not email and provider.kind == SchoolAccountProvider.Kind.MICROSOFT:
        email = claims.get("preferred_username") or ""  # Entra ID's sign-in name, the work address in schools
    if provider.kind == SchoolAccountProvider.Kind.GOOGLE and claims.get("email_verified") is False:
        return ""
    return email.strip().lower()


def person_for(provider, email):
    """The open Harbour account of `provider`'s trust with this work email address. SignInRefused otherwise."""
    if not email or domain_of(email) not in provider.domain_list:
        raise SignInRefused("domain", email)
    user = User.objects.filter(email__iexact=email).first()
    in_trust = user is not None and (
        Membership.objects.filter(user=user, school__trust_id=provider.trust_id).exists()
        or TrustMembership.objects.filter(user=user, trust_id=provider.trust_id).exists())
    if not in_trust:
        raise SignInRefused("no_account", email)
    if not user.is_active:
        raise SignInRefused("deactivated", email)
    return user


def finish(request, provider):
    """Check the provider's answer and find the person. Returns SignedIn; raises SignInRefused."""
    claims = _token(request, provider)
    email = _email(claims, provider)
    user = person_for(provider, email)
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    second = provider.accept_provider_mfa and bool(SECOND_FACTOR_AMR & set(amr))
    return SignedIn(user=user, email=email, provider_second_factor=second)


def issuer_allowed(issuer):
    """An issuer must be https; plain http only on this machine's loopback address, and only in tests."""
    if issuer.startswith("https://"):
        return True
    loopback = issuer.startswith(("http://127.0.0.1:", "http://localhost:"))
    return loopback and settings.HARBOUR_OIDC_ALLOW_LOOPBACK_HTTP
