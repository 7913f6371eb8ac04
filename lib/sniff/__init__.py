"""Decide what an uploaded file really is, from its bytes alone (rule A3).

Harbour must never accept, store or display an image, a video or an archive.
Attachments are written statements only: PDF, Word (.docx) or plain text, with no
pictures inside. A file's name and declared type are chosen by whoever sends it, so
they are never consulted here: `classify` looks only at the content, and anything it
cannot positively recognise as a picture-free statement is refused.

A picture written as text (base64, hex, a data: address, a MIME part...) is a picture
too: `find_encoded_imagery` (lib/sniff/encoded/) finds it in any text, decodes it and
judges the bytes with `classify`. Plain-text statements, the words inside Word and PDF
statements, and (through `lib.imagery`) every form field and API field use it.
"""

from __future__ import annotations

from lib.i18n import lead_sentence
from lib.sniff.encoded import Finding, describe, find_encoded_imagery
from lib.sniff.magic import _is_mpeg_ts, _sniff_magic
from lib.sniff.office import _check_zip
from lib.sniff.pdf import _check_pdf
from lib.sniff.text import _check_text
from lib.sniff.verdict import (
    ARCHIVE,
    DOCUMENT_WITH_IMAGES,
    IMAGE,
    STATEMENT,
    TOO_LARGE,
    UNKNOWN,
    VIDEO,
    Verdict,
    _refuse,
)

__all__ = [
    "ARCHIVE",
    "DOCUMENT_WITH_IMAGES",
    "IMAGE",
    "STATEMENT",
    "TOO_LARGE",
    "UNKNOWN",
    "VIDEO",
    "Verdict",
    "classify",
    "explanation",
    "describe",
    "find_encoded_imagery",
    "Finding",
]


def classify(data: bytes) -> Verdict:
    """Say what `data` is and whether Harbour may keep it, judging by content alone (rule A3).

    Why this order: formats with a fixed signature are recognised first, then PDF
    and Word are opened and searched for pictures (and their words for pictures
    written as text), then plain text; whatever is left is refused. Never raises:
    a file that cannot be checked is refused.
    """
    return _classify(data)


def _classify(data: bytes, depth: int = 0, budget=None) -> Verdict:
    """`classify`, also for bytes decoded from text (`depth` counts how deep, `budget` bounds the work)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return _refuse("unknown", UNKNOWN)
    try:
        data = bytes(data)
        if not data.strip():
            return _refuse("empty", UNKNOWN)
        verdict = _sniff_magic(data)
        if verdict is not None:
            return _check_zip(data, depth, budget) if data.startswith(b"PK\x03\x04") else verdict
        if b"%PDF-" in data[:1024]:
            return _check_pdf(data, depth, budget)
        verdict = _check_text(data, depth, budget)
        if verdict is not None:
            return verdict
        if _is_mpeg_ts(data):
            return _refuse("mpeg-ts", VIDEO)
        return _refuse("unknown", UNKNOWN)
    except Exception:  # noqa: BLE001 - a file we cannot check is a file we refuse
        return _refuse("unreadable", UNKNOWN)


# J8: each sentence naming the safeguarding lead is whole, in the words of the reader's school's nation
# (lib.i18n.lead_sentence; schools/nations.py holds them).
_PICTURE_ADVICE = (
    "If it might show a child, the law does not allow anyone to copy, save or send it on, and that "
    "includes uploading it here. Please do not try again in another format."
)
_NOT_YOUR_FAULT = "You have not done anything wrong by trying."
_KEPT = "Everything else you typed has been kept."


def _picture_advice() -> str:
    return f"{_PICTURE_ADVICE} {lead_sentence('picture_file_instead')} {_NOT_YOUR_FAULT}"


_EXPLANATIONS = {
    STATEMENT: "This file is a written statement that Harbour can accept.",
    IMAGE: lambda: f"This file is a picture, so Harbour cannot accept it. {_picture_advice()} {_KEPT}",
    VIDEO: lambda: f"This file is a video, so Harbour cannot accept it. {_picture_advice()} {_KEPT}",
    ARCHIVE: lambda: (
        "This file is a compressed folder or archive (such as a .zip file). Archives can contain "
        "pictures or videos that Harbour has no safe way to check, so it cannot accept them. Please "
        "upload the written statement on its own as a PDF, a Word document (.docx) or a plain text "
        f"file, or paste the words into the form. {lead_sentence('archive_tell_lead')} {_KEPT}"
    ),
    DOCUMENT_WITH_IMAGES: lambda: (
        "This document contains pictures or other embedded items, and Harbour can only accept "
        "written statements. Please remove the pictures and save it again, or copy the text and paste "
        f"it into the form. {lead_sentence('document_pictures_tell_lead')} {_KEPT}"
    ),
    UNKNOWN: (
        "Harbour can only accept written statements saved as a PDF, a Word document (.docx) or plain "
        "text, and it could not recognise this file as one of those. Please save the statement in one "
        "of those formats, or paste the text into the form. " + _KEPT
    ),
    TOO_LARGE: (
        "This file is larger than the 10 MB Harbour allows for a statement, so it was not kept. Written "
        "statements are usually much smaller; a large file often means it contains pictures. Please "
        "save a version with only the text, or paste the words into the form. " + _KEPT
    ),
}
_EMPTY = (
    "This file is empty, so there was nothing to attach. Please choose the file again, or paste the "
    "words into the form. " + _KEPT
)
_UNCHECKABLE = (
    "Harbour could not check what is inside this file: it may be password-protected, an older Office "
    "format (such as .doc) or saved in an unusual way. Please save it again without a password as a "
    "PDF or a Word document (.docx), or paste the text into the form. " + _KEPT
)


_TOO_MUCH_ENCODED = (
    "This file holds so much text that looks like encoded data that Harbour cannot check it for pictures, "
    "so it was not kept. Please attach the written statement on its own, or paste the words into the form. "
    + _KEPT
)


def explanation(verdict: Verdict) -> str:
    """Plain words for the member of staff who tried to upload the file.

    Why: the person is often dealing with something upsetting. They need to know
    calmly what to do next, including what the law asks of them for pictures of
    children, and that nothing they typed was lost. No blame, no jargon.
    """
    if verdict.kind == "empty":
        return _EMPTY
    if verdict.kind == "too-much-encoded-text":
        return _TOO_MUCH_ENCODED
    if verdict.encoding and verdict.category in (IMAGE, VIDEO, ARCHIVE, DOCUMENT_WITH_IMAGES):
        what = describe(Finding(verdict.encoding, verdict.category, verdict.kind, 0))
        return f"This file contains {what}, so Harbour cannot accept it. {_picture_advice()} {_KEPT}"
    if verdict.kind in ("ole", "unreadable", "pdf-encrypted") or verdict.kind.endswith("-unreadable"):
        return _UNCHECKABLE
    found = _EXPLANATIONS.get(verdict.category, _EXPLANATIONS[UNKNOWN])
    return found() if callable(found) else found
