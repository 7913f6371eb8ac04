"""Making and checking API tokens. The secret is shown once; only its SHA-256 is stored.

Why SHA-256 and not a password hash: the secret is 256 random bits, so there is
nothing to guess, and a fast hash lets each call find its token by an indexed lookup.
The final comparison is constant-time all the same.
"""

import hashlib
import hmac
import secrets

from django.utils import timezone

from accounts.capabilities import Capability
from api.scopes import capabilities_of

PREFIX = "hbr_"


def new_secret():
    """A fresh secret: "hbr_" and 43 URL-safe characters (32 random bytes)."""
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class TokenAccess:
    """Stands in for `UserAccess` on a token's account: the token's school, its scopes, nothing else.

    Lets actions written for people (`submit_concern`, `audit.log.record`) run for a token
    unchanged: `can()` answers from the scopes, and `snapshot()` names the token in the trail.
    """

    def __init__(self, token):
        self.token = token
        self.capabilities = capabilities_of(token.scopes) if token.is_active else frozenset()

    def _school_id(self, school):
        return school if isinstance(school, int) else getattr(school, "id", None)

    def roles_in(self, school):
        return frozenset()

    def capabilities_in(self, school):
        return self.capabilities if self._school_id(school) == self.token.school_id else frozenset()

    def can(self, capability, school):
        return Capability(capability) in self.capabilities_in(school)

    def school_ids(self):
        return [self.token.school_id]

    def school_ids_with(self, capability):
        return [s for s in self.school_ids() if self.can(capability, s)]

    requires_second_factor = False

    def snapshot(self):
        return [f"API token {self.token.id} (school {self.token.school_id}): " + ", ".join(sorted(self.token.scopes))]


def authenticate(secret):
    """Return the active token for `secret`, its account ready to act, or None. Marks it used."""
    from api.models import ApiToken

    if not isinstance(secret, str) or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    wanted = digest(secret)
    token = (ApiToken.objects.active().select_related("school", "account")
             .filter(token_hash=wanted, account__is_active=True).first())
    if token is None or not hmac.compare_digest(token.token_hash, wanted):
        return None
    now = timezone.now()
    ApiToken.objects.filter(id=token.id).update(last_used_at=now)
    token.last_used_at = now
    token.account.__dict__["access"] = TokenAccess(token)  # replaces the cached_property's value
    return token
