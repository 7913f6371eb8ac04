"""Plain-text statements: UTF-8 without hidden pictures (SVG, data URIs, MIME parts)."""

from __future__ import annotations

import re

from lib.sniff.verdict import (
    IMAGE,
    STATEMENT,
    UNKNOWN,
    VIDEO,
    Verdict,
    _refuse,
)

# --- Plain text ------------------------------------------------------------------

_MIME_MEDIA = re.compile(r"^content-type:\s*(?:image|video)/", re.MULTILINE)
_TEXT_IMAGE = re.compile(
    r"P[1-3](?:[\s\d]|#[^\n]*(?:\n|\Z))*\Z"  # plain Netpbm: nothing but numbers
    r"|P[56](?:\s|#[^\n]*\n)+\d+(?:\s|#[^\n]*\n)+\d+(?:\s|#[^\n]*\n)+\d+\s"
    r"|P4(?:\s|#[^\n]*\n)+\d+(?:\s|#[^\n]*\n)+\d+\s"
    r"|P7\s+WIDTH"
    r"|/\* XPM \*/"
    r"|#define\s+\w*_width\s+\d+"
)


def _check_text(data: bytes) -> Verdict | None:
    """Accept UTF-8 text, unless it is a picture written as text (SVG, data URIs...).

    Why: SVG, XPM and Netpbm images are plain text, and a data URI or a MIME part
    carries a whole picture inside text. Returns None when `data` is not text.
    """
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return _refuse("empty", UNKNOWN)
    lowered = text.lower()
    if "<svg" in lowered or "www.w3.org/2000/svg" in lowered:
        return _refuse("svg", IMAGE)
    if re.search(r"data:\s*image/", lowered):
        return _refuse("data-uri-image", IMAGE)
    if re.search(r"data:\s*video/", lowered):
        return _refuse("data-uri-video", VIDEO)
    if _MIME_MEDIA.search(lowered):
        return _refuse("mime-media", IMAGE)
    stripped = text.lstrip()
    if _TEXT_IMAGE.match(stripped):
        return _refuse("text-image", IMAGE)
    if lowered.lstrip().startswith("{\\rtf"):
        return _refuse("rtf", UNKNOWN)
    if stripped.startswith("%!"):
        return _refuse("postscript", UNKNOWN)
    return Verdict(True, "text", STATEMENT)
