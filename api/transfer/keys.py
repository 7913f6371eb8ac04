"""Each school's transfer keys, and the key card another Harbour installation registers.

A school has an Ed25519 key pair (it signs every file it sends) and an X25519 key pair (files sent to it
are encrypted to it). Both are made the first time they are needed. The private halves are stored sealed
with AES-256-GCM under a key derived (HKDF-SHA256) from HARBOUR_AUDIT_KEY, which lives only in the
environment; so a copy of the database alone cannot open or forge a transfer. Rotating HARBOUR_AUDIT_KEY
therefore also means new transfer keys (and new key cards for other installations).

A key card is a short text file with the school's name and both public keys; its fingerprint (20 hex
characters in groups of four) is what two DSLs read to each other on the phone before trusting it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import SchoolKeys

CARD_HEADER = "HARBOUR SCHOOL KEY CARD v1"
RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
RAW_PRIVATE = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


class CardRefused(ValueError):
    pass


def _secret() -> bytes:
    key = settings.HARBOUR_AUDIT_KEY
    return key if isinstance(key, bytes) else key.encode()


def _wrapping_key():
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"harbour-transfer-keys",
                info=b"seal school private keys v1").derive(_secret())


def fingerprint(sign_public: bytes, box_public: bytes) -> str:
    digest = hashlib.sha256(b"harbour-key-card" + sign_public + box_public).hexdigest()[:20].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 20, 4))


@dataclass
class Keys:
    school_id: int
    sign_public: bytes
    box_public: bytes
    signer: Ed25519PrivateKey | None = None
    opener: X25519PrivateKey | None = None

    @property
    def fingerprint(self):
        return fingerprint(self.sign_public, self.box_public)

    def verifier(self):
        return Ed25519PublicKey.from_public_bytes(self.sign_public)

    def box(self):
        return X25519PublicKey.from_public_bytes(self.box_public)


def _unseal(row) -> Keys:
    sealed = bytes(row.sealed_private)
    private = AESGCM(_wrapping_key()).decrypt(sealed[:12], sealed[12:], str(row.school_id).encode())
    return Keys(row.school_id, bytes(row.sign_public), bytes(row.box_public),
                Ed25519PrivateKey.from_private_bytes(private[:32]), X25519PrivateKey.from_private_bytes(private[32:]))


def keys_for(school) -> Keys:
    """This school's keys, made on first use."""
    row = SchoolKeys.objects.filter(school_id=school.id).first()
    if row is None:
        signer, opener = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        private = signer.private_bytes(*RAW_PRIVATE) + opener.private_bytes(*RAW_PRIVATE)
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(_wrapping_key()).encrypt(nonce, private, str(school.id).encode())
        try:
            with transaction.atomic():
                row = SchoolKeys.objects.create(
                    school_id=school.id, sign_public=signer.public_key().public_bytes(*RAW),
                    box_public=opener.public_key().public_bytes(*RAW), sealed_private=sealed,
                    created_at=timezone.now())
        except IntegrityError:  # made at the same moment by another request
            row = SchoolKeys.objects.get(school_id=school.id)
    return _unseal(row)


def public_keys_for(school) -> Keys:
    return keys_for(school)


def key_card(school) -> str:
    return card_text(school.name, keys_for(school))


def card_text(name, keys: Keys) -> str:
    """The key card for a school called `name` with these keys."""
    body = {"school": name, "sign": base64.b64encode(keys.sign_public).decode(),
            "box": base64.b64encode(keys.box_public).decode()}
    # No fingerprint on the card: the receiving DSL must hear it by phone from the school, not read it off a
    # card that may have been swapped on the way (a card made before this still has one; it is ignored).
    return f"{CARD_HEADER}\n{json.dumps(body, sort_keys=True)}\n"


def normalise_fingerprint(text) -> str:
    """A fingerprint as typed (any case, spaces or dashes) in the form Harbour shows it, or "" if it is not one."""
    digits = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(digits) != 20 or any(ch not in "0123456789ABCDEF" for ch in digits):
        return ""
    return " ".join(digits[i:i + 4] for i in range(0, 20, 4))


def read_key_card(text: str) -> dict:
    """The school name and public keys on a key card, or CardRefused with the reason."""
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    if len(lines) < 2 or lines[0] != CARD_HEADER:
        raise CardRefused("This is not a Harbour key card. Ask the other school for the file Harbour made for them.")
    try:
        body = json.loads(lines[1])
        sign, box = base64.b64decode(body["sign"], validate=True), base64.b64decode(body["box"], validate=True)
        Ed25519PublicKey.from_public_bytes(sign)
        X25519PublicKey.from_public_bytes(box)
        name = str(body["school"]).strip()[:200]
    except (ValueError, KeyError, TypeError):
        raise CardRefused("This key card is damaged. Ask the other school to send it again.") from None
    if not name:
        raise CardRefused("This key card has no school name.")
    return {"name": name, "sign_public": sign, "box_public": box, "fingerprint": fingerprint(sign, box)}
