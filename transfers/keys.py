"""Each school's transfer keys, and the key card another Harbour installation registers.

A school has an Ed25519 key pair (it signs every file it sends) and an X25519 key pair (files sent to it
are encrypted to it). Both are made the first time they are needed. The private halves are stored wrapped
with PyNaCl's SecretBox (XSalsa20-Poly1305) under HARBOUR_TRANSFER_KEY, which lives only in the environment,
so a copy of the database alone cannot open or forge a transfer. That key does nothing else (the audit trail
has its own). Each wrapped key records the id of the key that wrapped it (`key_id`), so the key can be
rotated: the old one goes in HARBOUR_TRANSFER_RETIRED_KEYS, `manage.py rewrap_transfer_keys` wraps every
school's keys under the new one, and then the old one can be destroyed. The schools' own key pairs, their
fingerprints and the key cards other installations hold do not change.

A key card is a short text file with the school's name and both public keys; its fingerprint (20 hex
characters in groups of four) is what two DSLs read to each other on the phone before trusting it.

The keys are libsodium's (PyNaCl: `nacl.signing.SigningKey`, `nacl.public.PrivateKey`). Their raw bytes are the
standard Ed25519 seed and X25519 scalar, the same bytes earlier versions stored through `cryptography`, so keys
already made, their fingerprints and the key cards already exchanged are unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

import nacl.bindings
import nacl.exceptions
import nacl.public
import nacl.secret
import nacl.signing
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from transfers.models import SchoolKeys

CARD_HEADER = "HARBOUR SCHOOL KEY CARD v1"


class CardRefused(ValueError):
    pass


class TransferKeyMissing(RuntimeError):
    """A school's keys were wrapped with a transfer key this installation is not configured with."""


class TransferKeyMismatch(RuntimeError):
    """A wrapped private key does not belong to the public keys stored beside it (moved between rows)."""


def key_id(key: bytes) -> str:
    """A short, stable name for a wrapping key, stored beside what it wrapped. It reveals nothing of the key."""
    return hashlib.sha256(b"harbour-transfer-key-id\n" + key).hexdigest()[:16]


def _keyring() -> dict:
    """{key id: key}: the current HARBOUR_TRANSFER_KEY and any retired ones kept for rewrapping."""
    ring = {key_id(k): k for k in settings.HARBOUR_TRANSFER_RETIRED_KEYS}
    ring[key_id(settings.HARBOUR_TRANSFER_KEY)] = settings.HARBOUR_TRANSFER_KEY
    return ring


def current_key_id() -> str:
    return key_id(settings.HARBOUR_TRANSFER_KEY)


def wrap(private: bytes) -> tuple[bytes, str]:
    """(wrapped private keys, id of the key that wrapped them), under the current HARBOUR_TRANSFER_KEY."""
    box = nacl.secret.SecretBox(settings.HARBOUR_TRANSFER_KEY)
    return bytes(box.encrypt(private)), current_key_id()


def unwrap(row) -> bytes:
    """The private keys of a SchoolKeys row, checked against its public keys."""
    key = _keyring().get(row.wrap_key_id)
    if key is None:
        raise TransferKeyMissing(
            f"The transfer keys of school {row.school_id} were wrapped with key {row.wrap_key_id or '(none)'}, "
            f"which this installation does not have. Put that key in HARBOUR_TRANSFER_RETIRED_KEYS and run "
            f"`manage.py rewrap_transfer_keys` (docs/keys.md, Rotating the transfer key).")
    try:
        private = nacl.secret.SecretBox(key).decrypt(bytes(row.sealed_private))
    except nacl.exceptions.CryptoError:
        raise TransferKeyMismatch(f"The wrapped transfer keys of school {row.school_id} are damaged.") from None
    signer, opener = _private_keys(private)
    if bytes(signer.verify_key) != bytes(row.sign_public) or bytes(opener.public_key) != bytes(row.box_public):
        raise TransferKeyMismatch(f"The wrapped transfer keys of school {row.school_id} belong to another school.")
    return private


def _private_keys(private: bytes) -> tuple[nacl.signing.SigningKey, nacl.public.PrivateKey]:
    """The stored 64 bytes: the Ed25519 seed, then the X25519 private key."""
    return nacl.signing.SigningKey(private[:32]), nacl.public.PrivateKey(private[32:])


def private_bytes(keys: "Keys") -> bytes:
    return bytes(keys.signer) + bytes(keys.opener)


def fingerprint(sign_public: bytes, box_public: bytes) -> str:
    digest = hashlib.sha256(b"harbour-key-card" + sign_public + box_public).hexdigest()[:20].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 20, 4))


@dataclass
class Keys:
    school_id: int
    sign_public: bytes
    box_public: bytes
    signer: nacl.signing.SigningKey | None = None
    opener: nacl.public.PrivateKey | None = None

    @property
    def fingerprint(self):
        return fingerprint(self.sign_public, self.box_public)

    @classmethod
    def generate(cls, school_id=0) -> "Keys":
        """A new pair of key pairs (for a school of this installation, or in tests one of another Harbour)."""
        signer, opener = nacl.signing.SigningKey.generate(), nacl.public.PrivateKey.generate()
        return cls(school_id, bytes(signer.verify_key), bytes(opener.public_key), signer, opener)


def _unseal(row) -> Keys:
    return Keys(row.school_id, bytes(row.sign_public), bytes(row.box_public), *_private_keys(unwrap(row)))


def keys_for(school) -> Keys:
    """This school's keys, made on first use."""
    row = SchoolKeys.objects.filter(school_id=school.id).first()
    if row is None:
        new = Keys.generate(school.id)
        sealed, wrapped_by = wrap(private_bytes(new))
        try:
            with transaction.atomic():
                row = SchoolKeys.objects.create(
                    school_id=school.id, sign_public=new.sign_public, box_public=new.box_public,
                    sealed_private=sealed, wrap_key_id=wrapped_by, created_at=timezone.now())
        except IntegrityError:  # made at the same moment by another request
            row = SchoolKeys.objects.get(school_id=school.id)
    return _unseal(row)


def rewrap_all(*, now=None) -> int:
    """Wrap every school's private keys under the current HARBOUR_TRANSFER_KEY; return how many changed.

    Each row is its own transaction, with its audit event; a row already under the current key is left alone,
    so running it twice changes nothing. TransferKeyMissing if a row's key is not configured."""
    from audit.log import Action, record

    current, changed = current_key_id(), 0
    for row_id in SchoolKeys.objects.exclude(wrap_key_id=current).values_list("id", flat=True):
        with transaction.atomic():
            row = SchoolKeys.objects.select_for_update().get(id=row_id)
            if row.wrap_key_id == current:
                continue
            old = row.wrap_key_id
            row.sealed_private, row.wrap_key_id = wrap(unwrap(row))
            row.save(update_fields=["sealed_private", "wrap_key_id"])
            record(actor=None, action=Action.UPDATE, object_type="school_keys", object_id=row.id,
                   school=row.school_id, changed_fields=["sealed_private"],
                   detail={"from_key": old, "to_key": current})
            changed += 1
    return changed


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
        _check_public_keys(sign, box)
        name = str(body["school"]).strip()[:200]
    except (ValueError, KeyError, TypeError, nacl.exceptions.CryptoError):
        raise CardRefused("This key card is damaged. Ask the other school to send it again.") from None
    if not name:
        raise CardRefused("This key card has no school name.")
    return {"name": name, "sign_public": sign, "box_public": box, "fingerprint": fingerprint(sign, box)}


def _check_public_keys(sign: bytes, box: bytes):
    """ValueError or CryptoError unless libsodium accepts both as public keys: the signing key a point of the
    curve that is not of small order, and the box key one a file can be sealed to (not of small order)."""
    if len(sign) != 32 or not nacl.bindings.crypto_core_ed25519_is_valid_point(sign):
        raise ValueError("not an Ed25519 public key")
    nacl.public.SealedBox(nacl.public.PublicKey(box)).encrypt(b"")
