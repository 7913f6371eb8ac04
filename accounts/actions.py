"""Writes to accounts: each checks, saves, and audits in one transaction."""

import re

from django.db import transaction
from django.utils import timezone

from accounts.models import SchoolAccountProvider, User
from audit.log import Action, record
from lib.errors import ActionError
from lib.sealed import can_seal, seal


@transaction.atomic
def deactivate_user(*, user: User, by: User):
    """Close an account. Its sessions stop working at once; its history stays."""
    if not user.is_active:
        return user
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    record(actor=by, action=Action.UPDATE, object_type="user", object_id=user.id,
           changed_fields=["is_active", "deactivated_at"])
    return user


@transaction.atomic
def choose_language(*, user: User, language: str):
    """J8: the language someone reads Harbour in at a school in Wales, remembered on their account (any computer
    they sign in on). Only they choose it; `language` is "cy" or "en-gb" (checked by LanguageForm)."""
    if language not in ("cy", "en-gb"):
        raise ActionError("Choose English or Cymraeg.")
    if user.preferred_language == language:
        return user
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    record(actor=user, action=Action.UPDATE, object_type="user", object_id=user.id,
           changed_fields=["preferred_language"], detail={"language": language})
    return user


class SchoolAccountError(ActionError):
    pass


DOMAIN = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Entra ID's shared issuers stand for any organisation: a trust connects its own tenant.
SHARED_MICROSOFT_ISSUERS = ("/common/", "/organizations/", "/consumers/", "{tenantid}")


def _domains(text):
    return sorted({d.strip().lstrip("@").lower() for d in re.split(r"[\s,;]+", text or "") if d.strip()})


@transaction.atomic
def connect_school_accounts(*, user, trust_id, kind, issuer, client_id, client_secret, domains,
                            accept_provider_mfa, enabled):
    """Connect (or change) a trust's Microsoft or Google accounts for signing in. The client secret is sealed
    (lib.sealed) and never shown again; left blank on a change, the one saved before is kept. Audited without it."""
    from accounts.oidc import issuer_allowed

    existing = SchoolAccountProvider.objects.select_for_update().filter(trust_id=trust_id, kind=kind).first()
    issuer, client_id = (issuer or "").strip().rstrip("/"), (client_id or "").strip()
    if kind == SchoolAccountProvider.Kind.GOOGLE:
        accept_provider_mfa = False  # Google's ID tokens do not say whether 2-Step Verification was used
    wanted = _domains(domains)
    errors = {}
    if not issuer:
        errors["issuer"] = "Enter the issuer: the address your provider gives for your organisation."
    elif not issuer_allowed(issuer):
        errors["issuer"] = "Enter the issuer as the provider gives it: it starts with https://."
    elif kind == SchoolAccountProvider.Kind.MICROSOFT and any(s in issuer + "/" for s in SHARED_MICROSOFT_ISSUERS):
        errors["issuer"] = ("Use your own tenant’s issuer, https://login.microsoftonline.com/ then your tenant ID "
                            "then /v2.0, so that only your trust’s accounts can sign in.")
    if not client_id:
        errors["client_id"] = "Enter the client ID (Microsoft calls it the application ID)."
    if not client_secret and existing is None:
        errors["client_secret"] = "Enter the client secret your provider showed when you made it."  # nosec B105 - a message
    elif client_secret and not can_seal():
        errors["client_secret"] = (  # nosec B105 - a message beside the box, not a secret
            "Harbour cannot keep a secret on this server yet: ask whoever runs Harbour to set HARBOUR_SECRETS_KEY, "
            "then enter the secret again.")
    bad = [d for d in wanted if not DOMAIN.match(d)]
    taken = sorted({d for other in SchoolAccountProvider.objects.filter(kind=kind).exclude(trust_id=trust_id)
                    for d in other.domain_list if d in wanted})
    if not wanted:
        errors["domains"] = "Enter at least one email domain, like riverside.sch.uk."
    elif bad:
        errors["domains"] = f"‘{bad[0]}’ is not an email domain. Enter domains like riverside.sch.uk, one on each line."
    elif taken:
        errors["domains"] = f"{taken[0]} is already connected by another trust. Each domain belongs to one trust."
    if errors:
        raise SchoolAccountError(errors)
    provider = existing or SchoolAccountProvider(trust_id=trust_id, kind=kind)
    before = {f: getattr(provider, f) for f in ("issuer", "client_id", "domains", "accept_provider_mfa", "enabled")}
    provider.issuer, provider.client_id, provider.domains = issuer, client_id, "\n".join(wanted)
    provider.accept_provider_mfa, provider.enabled = bool(accept_provider_mfa), bool(enabled)
    changed = [f for f, value in before.items() if getattr(provider, f) != value or existing is None]
    if client_secret:
        provider.secret_sealed, provider.secret_key_id = seal(client_secret)
        changed.append("client_secret")
    provider.updated_at, provider.updated_by = timezone.now(), user
    provider.save()
    record(actor=user, action=Action.CREATE if existing is None else Action.UPDATE,
           object_type="school_account_provider", object_id=provider.pk, changed_fields=changed,
           detail={"kind": kind, "trust": trust_id})
    return provider, bool(changed)
