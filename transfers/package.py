"""The child protection file as a package (H5): sealed to the receiving school, signed by the sending one.

Only libsodium's own constructions are used (PyNaCl), none assembled here from primitives:

- the file is a `SealedBox` (libsodium's `crypto_box_seal`: X25519 with a one-off key pair, XSalsa20-Poly1305)
  to the receiving school's X25519 public key, so only that school can open it;
- the envelope around it is signed with the sending school's Ed25519 key (`nacl.signing`), so any change to
  any byte of it, header included, is seen before anything is opened.

Format (plain text, so it survives email and secure-transfer services, and is never mistaken for an image):

    HARBOUR CHILD PROTECTION FILE v2
    <the envelope: base64, in lines of 76>
    END

The envelope (bytes) is

    b"HCPF" and the format version (one byte, 2)
    the header's length (2 bytes, big-endian), then the header: canonical JSON {"id", "from", "to"}
    the sealed box
    the sending school's Ed25519 signature (64 bytes) over everything before it

- `id` is the transfer's UUID; `from` and `to` are the two schools' key fingerprints (transfers.keys).
- Inside the sealed box: canonical JSON {"manifest": …, "file": …}. The manifest (package id, both schools,
  when it was made, the receipt code) must agree with the signed header: a sealed box cannot be lifted into
  an envelope signed by someone else, because its manifest still names the school that made it.
- A package of format v1 (X25519, HKDF and AES-GCM composed by Harbour itself) is refused as an old format.
"""

from __future__ import annotations

import base64
import json
import secrets
import struct
import uuid
from dataclasses import dataclass

import nacl.exceptions
import nacl.public
import nacl.signing

from transfers.keys import Keys, fingerprint

FORMAT = 2
TITLE = "HARBOUR CHILD PROTECTION FILE"
MAGIC = f"{TITLE} v{FORMAT}"  # the first line of the text
ENVELOPE_MAGIC = b"HCPF" + bytes([FORMAT])  # the first bytes of the signed envelope
SIGNATURE_BYTES = 64
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
                "open it. Ask the sending school to send it again, and tell your safeguarding team: a changed file "
                "can be a sign of interference.",
    "already_opened": "This file has already been received here. Look for it in the files received for this school.",
    "old_format": "This file was made by an earlier version of Harbour, in a format this version no longer opens. "
                  "Ask the sending school to send the child’s file again once their Harbour is up to date: they "
                  "start a new transfer from the child’s record.",
    "newer_format": "This file was made by a newer version of Harbour than this one, so it cannot be opened yet. "
                    "Ask whoever looks after your Harbour to update it, then open the file again.",
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


def seal(*, sender: Keys, sender_name, recipient_sign_public, recipient_box_public, recipient_name, file: dict,
         created_at: str, code: str, package_id=None) -> tuple[str, str]:
    """Return (package text, package id)."""
    package_id = str(package_id or uuid.uuid4())
    to_fp = fingerprint(recipient_sign_public, recipient_box_public)
    manifest = {"id": package_id, "from": {"school": sender_name, "fingerprint": sender.fingerprint},
                "to": {"school": recipient_name, "fingerprint": to_fp}, "created_at": created_at,
                "receipt_code": code, "rules": ["H5"]}
    sealed = nacl.public.SealedBox(nacl.public.PublicKey(recipient_box_public)).encrypt(
        _canonical({"manifest": manifest, "file": file}))
    header = _canonical({"id": package_id, "from": sender.fingerprint, "to": to_fp})
    envelope = ENVELOPE_MAGIC + struct.pack(">H", len(header)) + header + sealed
    signed = envelope + sender.signer.sign(envelope).signature
    body = base64.b64encode(signed).decode()
    lines = [MAGIC] + [body[i:i + 76] for i in range(0, len(body), 76)] + ["END"]
    return "\n".join(lines) + "\n", package_id


@dataclass
class Header:
    """The outside of a package, read before anything is trusted: `envelope` is what `signature` covers."""
    envelope: bytes
    signature: bytes
    id: str
    sender: str
    recipient: str
    sealed: bytes


def read_header(data: bytes) -> Header:
    """Parse the outside of a package without opening it. PackageRefused('not_a_package', 'old_format',
    'newer_format' or 'tampered')."""
    try:
        text = data.decode("ascii")
    except (UnicodeDecodeError, AttributeError):
        refuse("not_a_package")
    lines = [line.strip() for line in text.strip().splitlines()]
    title, _, version = (lines[0] if lines else "").rpartition(" v")
    if title != TITLE or not version.isdigit():
        refuse("not_a_package")
    if int(version) < FORMAT:
        refuse("old_format")
    if int(version) > FORMAT:
        refuse("newer_format")
    if len(lines) < 3 or lines[-1] != "END":
        refuse("tampered")  # cut short
    try:
        signed = base64.b64decode("".join(lines[1:-1]), validate=True)
        envelope, signature = signed[:-SIGNATURE_BYTES], signed[-SIGNATURE_BYTES:]
        (size,) = struct.unpack_from(">H", envelope, len(ENVELOPE_MAGIC))
        start = len(ENVELOPE_MAGIC) + 2
        header = json.loads(envelope[start:start + size])
        package_id, sender, recipient = str(uuid.UUID(header["id"])), header["from"], header["to"]
        sealed = envelope[start + size:]
    except (ValueError, KeyError, TypeError, struct.error):
        refuse("tampered")
    if (not envelope.startswith(ENVELOPE_MAGIC) or set(header) != {"id", "from", "to"} or not sealed
            or not isinstance(sender, str) or not isinstance(recipient, str)):
        refuse("tampered")
    return Header(envelope, signature, package_id, sender, recipient, sealed)


def open_package(header: Header, *, recipient: Keys, sender_sign_public: bytes) -> dict:
    """Verify, then decrypt. Returns the payload {"manifest", "file"}; PackageRefused otherwise.

    The signature is checked first, over the whole envelope, so a changed header (a package readdressed to
    this school, say) is named as changed. Only a package the sender signed for this school is opened."""
    try:
        nacl.signing.VerifyKey(sender_sign_public).verify(header.envelope, header.signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        refuse("tampered")
    if header.recipient != recipient.fingerprint:
        refuse("wrong_school")
    try:
        payload = json.loads(nacl.public.SealedBox(recipient.opener).decrypt(header.sealed))
        manifest = payload["manifest"]
        agrees = (manifest["id"] == header.id and manifest["from"]["fingerprint"] == header.sender
                  and manifest["to"]["fingerprint"] == header.recipient and isinstance(payload["file"], dict))
    except (nacl.exceptions.CryptoError, ValueError, KeyError, TypeError):
        refuse("tampered")
    if not agrees:
        refuse("tampered")
    return payload
