"""Plain-text statements: UTF-8 with no picture in it, whether a text picture format (SVG, XPM, XBM,
Netpbm, FITS, Radiance), a saved email with a picture part, or a picture written as text (base64, hex...)."""

from __future__ import annotations

import email
import email.policy
import re

from lib.sniff.verdict import (
    IMAGE,
    STATEMENT,
    UNKNOWN,
    Verdict,
    _refuse,
)

# --- Picture formats that are text -------------------------------------------------------------------

_SEP = r"(?:[ \t\r\n\f\v]|#[^\n]*+\n)++"  # Netpbm: whitespace and comments between header fields
_TEXT_IMAGES = (
    ("svg", re.compile(r"<(?:[\w.-]+:)?svg\b|www\.w3\.org/2000/svg", re.I)),
    ("xpm", re.compile(r"/\*[ \t]*XPM2?[ \t]*\*/|^! XPM2\b", re.M)),
    # XBM: a width and a height for the same name, one after the other (C code with one #define is not a picture)
    ("xbm", re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w*)_width[ \t]+\d++[ \t]*\r?\n"
                       r"[ \t]*#[ \t]*define[ \t]+\1_height[ \t]+\d", re.M)),
    # Netpbm with a text header: P4-P6 carry binary pixels after it (text when every byte is below 128);
    # P1-P3 are numbers throughout, so the pixels must start right after the header.
    ("pnm", re.compile(r"^[ \t]*P[25]" + _SEP + r"[1-9]\d*+" + _SEP + r"[1-9]\d*+" + _SEP + r"\d++[ \t\r\n]"
                       r"|^[ \t]*P6" + _SEP + r"[1-9]\d*+" + _SEP + r"[1-9]\d*+" + _SEP + r"\d++[ \t\r\n]"
                       r"|^[ \t]*P4" + _SEP + r"[1-9]\d*+" + _SEP + r"[1-9]\d*+[ \t\r\n]", re.M)),
    ("pnm", re.compile(r"^[ \t]*P[1-3]" + _SEP + r"[1-9]\d*+" + _SEP + r"[1-9]\d*+" + _SEP + r"\d++"
                       + _SEP + r"\d++(?:" + _SEP + r"\d++)?+(?:\s|\Z)", re.M)),
    ("pam", re.compile(r"^[ \t]*P7[ \t]*\r?\n(?:[ \t]*#[^\n]*+\n)*+[ \t]*(?:WIDTH|HEIGHT|DEPTH|MAXVAL|TUPLTYPE)\b",
                       re.M)),
    ("fits", re.compile(r"^SIMPLE  = {1,30}T\b|^XTENSION= {0,20}'(?:IMAGE|BINTABLE)", re.M)),
    ("radiance", re.compile(r"^#\?(?:RADIANCE|RGBE)\b", re.M)),
)


def text_image(text: str) -> tuple[str, int] | None:
    """(kind, where) if `text` holds a picture in a format that is plain text, else None.

    Why each pattern is anchored to a line start (except SVG and XPM's marker): these formats begin a
    line, and a sentence such as "P3 2 4 pupils said" must not look like one.
    """
    if not _MAYBE_TEXT_IMAGE.search(text):
        return None
    for kind, pattern in _TEXT_IMAGES:
        found = pattern.search(text)
        if found:
            return kind, found.start()
    return None


# One cheap pass first: every pattern above needs one of these.
_MAYBE_TEXT_IMAGE = re.compile(r"[sS][vV][gG]|XPM|define|^[ \t]*P[1-7]|SIMPLE|XTENSION|#\?", re.M)


# --- Saved emails --------------------------------------------------------------------------------------

_EMAIL_HEAD = re.compile(r"\A(?:[!-9;-~]++:[^\n]*+\n(?:[ \t][^\n]*+\n)*+){1,200}?\r?\n", re.S)
_MIME_HEADER = re.compile(r"^(?:mime-version|content-type|content-transfer-encoding):", re.I | re.M)


def _check_email(data: bytes, text: str, depth: int, budget) -> Verdict | None:
    """A saved email (.eml) with MIME parts: each part is decoded and judged like a file of its own.

    Why: an email's attachments are files, written as text; a photo attached to it is a photo.
    """
    head = _EMAIL_HEAD.match(text.replace("\r\n", "\n")[:65536])
    if head is None or not _MIME_HEADER.search(head.group()):
        return None
    from lib.sniff import _classify
    from lib.sniff.encoded import REFUSED_CATEGORIES

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if not payload:
            continue
        verdict = _classify(payload, depth=depth + 1, budget=budget)
        if verdict.category in REFUSED_CATEGORIES or verdict.kind in ("pdf-encrypted", "pdf-unreadable",
                                                                       "docx-unreadable", "ole"):
            category = verdict.category if verdict.category in REFUSED_CATEGORIES else "document-with-images"
            return Verdict(False, f"email-with-{verdict.kind}", category, "an email attachment")
    return None


# --- Plain text ------------------------------------------------------------------------------------------


def _check_text(data: bytes, depth: int = 0, budget=None) -> Verdict | None:
    """Accept UTF-8 text, unless it is or holds a picture, a video or an archive.

    Returns None when `data` is not text, so the caller can go on to refuse it as unknown.
    """
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return _refuse("empty", UNKNOWN)
    verdict = _check_email(data, text, depth, budget)
    if verdict is not None:
        return verdict
    from lib.sniff.encoded import UNCHECKABLE, find_encoded_imagery

    found = find_encoded_imagery(text, _depth=depth, _budget=budget)
    if found is not None:
        if found.category == UNCHECKABLE:
            return _refuse("too-much-encoded-text", UNKNOWN)
        if found.encoding in ("svg", "text image"):
            return _refuse(found.kind, IMAGE)
        return Verdict(False, f"{found.kind}-as-text", found.category, found.encoding)
    stripped = text.lstrip()
    if stripped[:5].lower() == "{\\rtf":
        return _refuse("rtf", UNKNOWN)
    if stripped.startswith("%!"):
        return _refuse("postscript", UNKNOWN)
    return Verdict(True, "text", STATEMENT)
