"""What `classify` decides: a Verdict, its categories, and the limits every check shares."""

from __future__ import annotations

from dataclasses import dataclass

STATEMENT = "statement"
IMAGE = "image"
VIDEO = "video"
ARCHIVE = "archive"
DOCUMENT_WITH_IMAGES = "document-with-images"
UNKNOWN = "unknown"
TOO_LARGE = "too-large"  # decided by lib.uploads, which knows the size cap

# A 10 MB statement unpacks to far less than this; anything bigger is refused unchecked.
_MAX_UNPACKED = 64 * 1024 * 1024
# Bytes a ZIP may carry outside its entries (extra fields and comments).
_MAX_ZIP_SPARE = 4096


@dataclass(frozen=True)
class Verdict:
    """What a file is (`kind`, `category`) and whether Harbour may keep it.

    `encoding` says how a picture was written as text ("base64", "hex dump"...), when it was.
    """

    allowed: bool
    kind: str
    category: str
    encoding: str = ""


def _refuse(kind: str, category: str) -> Verdict:
    """Build a refusal; kept short because nearly every branch ends in one."""
    return Verdict(False, kind, category)
