"""Small secrets Harbour must keep but never show again (a trust's client secret for its school accounts), sealed
with PyNaCl's SecretBox (XSalsa20-Poly1305, a random nonce each time) under HARBOUR_SECRETS_KEY.

That key lives only in the environment, so a copy of the database alone cannot read a sealed secret, and it seals
nothing else (transfers and the audit trail have their own keys). Each sealed value is stored beside the id of the
key that sealed it (`key_id`), so the key can be rotated: the old one goes in HARBOUR_SECRETS_RETIRED_KEYS until
every secret has been sealed again under the new one.
"""

import hashlib

import nacl.exceptions
import nacl.secret
from django.conf import settings


class SecretsKeyMissing(RuntimeError):
    """HARBOUR_SECRETS_KEY is not set, or a secret was sealed under a key this installation no longer has."""


def key_id(key: bytes) -> str:
    """A short, stable name for a sealing key, stored beside what it sealed. It reveals nothing of the key."""
    return hashlib.sha256(b"harbour-secrets-key-id\n" + key).hexdigest()[:16]


def can_seal() -> bool:
    return settings.HARBOUR_SECRETS_KEY is not None


def seal(secret: str) -> tuple[bytes, str]:
    """(sealed bytes, id of the key that sealed them), under the current HARBOUR_SECRETS_KEY."""
    if not can_seal():
        raise SecretsKeyMissing("HARBOUR_SECRETS_KEY is not set: Harbour cannot keep a secret (docs/sign-in.md).")
    box = nacl.secret.SecretBox(settings.HARBOUR_SECRETS_KEY)
    return bytes(box.encrypt(secret.encode())), key_id(settings.HARBOUR_SECRETS_KEY)


def unseal(sealed: bytes, sealed_with: str) -> str:
    """The secret `seal` returned `sealed` for; SecretsKeyMissing when the key that sealed it is not configured."""
    ring = {key_id(k): k for k in settings.HARBOUR_SECRETS_RETIRED_KEYS}
    if settings.HARBOUR_SECRETS_KEY is not None:
        ring[key_id(settings.HARBOUR_SECRETS_KEY)] = settings.HARBOUR_SECRETS_KEY
    key = ring.get(sealed_with)
    if key is None:
        raise SecretsKeyMissing(f"A secret was sealed with key {sealed_with}, which this installation does not have.")
    try:
        return nacl.secret.SecretBox(key).decrypt(bytes(sealed)).decode()
    except nacl.exceptions.CryptoError:
        raise SecretsKeyMissing("A sealed secret is damaged: save it again.") from None
