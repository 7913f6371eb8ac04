"""Turning each way of writing bytes as text back into bytes: base64 (either alphabet, any wrapping), %-escapes,
C and Python escapes, uuencode. Each decoder takes what a finder matched and never reads past it."""

from __future__ import annotations

import base64
import binascii
import re

_URLSAFE = str.maketrans("-_", "+/")
WHITESPACE = re.compile(r"\s+")


def b64decode(run: str) -> bytes:
    chars = WHITESPACE.sub("", run).rstrip("=").translate(_URLSAFE)
    chars = chars[: len(chars) - len(chars) % 4] if len(chars) % 4 == 1 else chars
    return base64.b64decode(chars + "=" * (-len(chars) % 4))


def unpercent(text: str) -> bytes:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(text)


_C_ESCAPE = re.compile(rb"\\(?:[xX]([0-9A-Fa-f]{2})|([\\'\"])|([nrt0]))")
_C_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"0": b"\x00"}


def unescape_c(text: str) -> bytes:
    def one(m):
        if m.group(1):
            return bytes([int(m.group(1), 16)])
        return m.group(2) or _C_SIMPLE[m.group(3)]

    return _C_ESCAPE.sub(one, text.encode("utf-8", "surrogateescape"))


def uudecode(body: str) -> bytes:
    out = bytearray()
    for line in body.splitlines():
        if not line.strip() or line.strip() in ("`", "end"):
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            break
    return bytes(out)
