"""The child protection file as a package (H5): signed by the sending school, encrypted to the receiving one.

Format (plain text, so it survives email and secure-transfer services, and is never mistaken for an image):

    HARBOUR CHILD PROTECTION FILE v1
    <header: base64 of JSON {v, id, from, to, eph, nonce}>
    <ciphertext: base64, in lines of 76>
    END

- `from` and `to` are the two schools' key fingerprints (transfers.keys).
- The content key comes from X25519 between a one-off key pair (`eph`) and the receiving school's box key,
  through HKDF-SHA256; the content is AES-256-GCM with the header bytes as associated data, so a changed
  header, a changed byte of ciphertext, or a package for another school fails to open.
- Inside: {"payload": …, "signature": …}: the payload (a manifest naming package id, both schools, when it
  was made and the receipt code, plus the file itself) is signed with the sending school's Ed25519 key,
  and the manifest must agree with the header.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from transfers.keys import RAW, Keys

MAGIC = "HARBOUR CHILD PROTECTION FILE v1"
RECEIPT_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B


class PackageRefused(ValueError):
    """The package cannot be opened; `code` says why (for the audit trail), the message says what to do."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


REFUSALS = {
    "not_a_package": "This is not a Harbour child protection file. Ask the sending school for the file Harbour made.",
    "wrong_school": "This file was made for a different school, so it cannot be opened here. Tell the sending "
                    "school: they may have chosen the wrong school.",
    "unknown_sender": "This file comes from a school whose key card is not registered here. Register their key "
                      "card first, after checking its fingerprint with them by phone.",
    "tampered": "This file has been changed since the sending school made it, or is damaged, so Harbour will not "
                "open it. Ask the sending school to send it again, and tell your DSL: a changed file can be a "
                "sign of interference.",
    "already_opened": "This file has already been received here. Look for it in the files received for this school.",
    "revoked_sender": "This file comes from a school whose key card your trust has revoked, so Harbour will not open "
                      "it. Look on the Key cards page for why it was revoked. If the school has a new key card, "
                      "register it (checking its fingerprint with them by phone) and ask them to send the file "
                      "again.",
}


def refuse(code):
    raise PackageRefused(code, REFUSALS[code])


def receipt_code():
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def normalise_code(text):
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _content_key(shared, eph_public, box_public):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_public + box_public,
                info=b"harbour child protection file v1").derive(shared)


def seal(*, sender: Keys, sender_name, recipient_sign_public, recipient_box_public, recipient_name, file: dict,
         created_at: str, code: str, package_id=None) -> tuple[str, str]:
    """Return (package text, package id)."""
    from transfers.keys import fingerprint

    package_id = str(package_id or uuid.uuid4())
    to_fp = fingerprint(recipient_sign_public, recipient_box_public)
    manifest = {"id": package_id, "from": {"school": sender_name, "fingerprint": sender.fingerprint},
                "to": {"school": recipient_name, "fingerprint": to_fp}, "created_at": created_at,
                "receipt_code": code, "rules": ["H5"]}
    payload = {"manifest": manifest, "file": file}
    inner = _canonical({"payload": payload,
                        "signature": base64.b64encode(sender.signer.sign(_canonical(payload))).decode()})
    eph = X25519PrivateKey.generate()
    eph_public = eph.public_key().public_bytes(*RAW)
    nonce = os.urandom(12)
    header = _canonical({"v": 1, "id": package_id, "from": sender.fingerprint, "to": to_fp,
                         "eph": base64.b64encode(eph_public).decode(), "nonce": base64.b64encode(nonce).decode()})
    key = _content_key(eph.exchange(X25519PublicKey.from_public_bytes(recipient_box_public)), eph_public,
                       recipient_box_public)
    body = base64.b64encode(AESGCM(key).encrypt(nonce, inner, header)).decode()
    lines = [MAGIC, base64.b64encode(header).decode()] + [body[i:i + 76] for i in range(0, len(body), 76)] + ["END"]
    return "\n".join(lines) + "\n", package_id


@dataclass
class Header:
    raw: bytes
    id: str
    sender: str
    recipient: str
    eph: bytes
    nonce: bytes
    body: bytes


def read_header(data: bytes) -> Header:
    """Parse the outside of a package without opening it. PackageRefused('not_a_package' or 'tampered')."""
    try:
        text = data.decode("ascii")
    except (UnicodeDecodeError, AttributeError):
        refuse("not_a_package")
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 4 or lines[0] != MAGIC:
        refuse("not_a_package")
    if lines[-1] != "END":
        refuse("tampered")  # cut short
    try:
        raw = base64.b64decode(lines[1], validate=True)
        header = json.loads(raw)
        body = base64.b64decode("".join(lines[2:-1]), validate=True)
        return Header(raw, str(uuid.UUID(header["id"])), header["from"], header["to"],
                      base64.b64decode(header["eph"], validate=True), base64.b64decode(header["nonce"], validate=True),
                      body)
    except (ValueError, KeyError, TypeError, AttributeError):
        refuse("tampered")


def open_package(header: Header, *, recipient: Keys, sender_sign_public: bytes) -> dict:
    """Decrypt and verify. Returns the payload {"manifest", "file"}; PackageRefused otherwise."""
    if header.recipient != recipient.fingerprint:
        refuse("wrong_school")
    try:
        key = _content_key(recipient.opener.exchange(X25519PublicKey.from_public_bytes(header.eph)), header.eph,
                           recipient.box_public)
        inner = json.loads(AESGCM(key).decrypt(header.nonce, header.body, header.raw))
        payload, signature = inner["payload"], base64.b64decode(inner["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(sender_sign_public).verify(signature, _canonical(payload))
        manifest = payload["manifest"]
        if (manifest["id"] != header.id or manifest["from"]["fingerprint"] != header.sender
                or manifest["to"]["fingerprint"] != header.recipient):
            refuse("tampered")
    except (InvalidTag, InvalidSignature, ValueError, KeyError, TypeError):
        refuse("tampered")
    return payload
