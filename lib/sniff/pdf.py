"""PDF statements: refused if any picture, media or unreadable stream could be inside."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from lib.sniff.magic import _EMBEDDED_MEDIA
from lib.sniff.verdict import (
    _MAX_UNPACKED,
    DOCUMENT_WITH_IMAGES,
    STATEMENT,
    UNKNOWN,
    Verdict,
    _refuse,
)

# --- PDF ---------------------------------------------------------------------------

_DELIMITERS = rb"\s\x00()<>\[\]{}/%"
_ESCAPED_NAME = re.compile(rb"/[^" + _DELIMITERS + rb"]*#[^" + _DELIMITERS + rb"]*")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Two patterns rather than one: each starts with a literal, which keeps the search fast.
_PDF_MEDIA_NAMES = re.compile(
    rb"/(?:Image|Thumb|DCTDecode|DCT|JPXDecode|JBIG2Decode|CCITTFaxDecode|CCF|EmbeddedFiles?"
    rb"|FileAttachment|RichMedia|Movie|Sound|Screen|3D)(?![^" + _DELIMITERS + rb"])"
)
_PDF_INLINE_IMAGE = re.compile(rb"BI(?<![^\s\x00()<>\[\]{}]..)[\s\x00]*/[\x00-\xff]{0,4096}?[\s\x00]ID[\s\x00]")
_ENCRYPT = re.compile(rb"/Encrypt(?![^" + _DELIMITERS + rb"])")
_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
_LENGTH = re.compile(rb"/Length[\s\x00]+(\d+)(?:[\s\x00]+(\d+)[\s\x00]+R)?")
_FILTER = re.compile(rb"/Filter[\s\x00]*(\[[^\]]*\]|/[^" + _DELIMITERS + rb"]+)?")
_PREDICTOR = re.compile(rb"/Predictor[\s\x00]+(\d+)")
_XREF = re.compile(rb"/Type[\s\x00]*/XRef")


def _check_pdf(data: bytes) -> Verdict:
    """Allow a PDF only if no part of it, compressed or not, holds a picture or media.

    Why: images hide in compressed streams and object streams, so every stream is
    unpacked and searched. A PDF that cannot be fully unpacked (encrypted, unusual
    filters, damaged streams) cannot be checked, so it is refused.
    """
    if _has_pdf_media(data):
        return _refuse("pdf-with-images", DOCUMENT_WITH_IMAGES)
    if _ENCRYPT.search(_decode_names(data)):
        return _refuse("pdf-encrypted", UNKNOWN)
    budget = _MAX_UNPACKED
    for dictionary, body in _pdf_streams(data):
        decoded = None if dictionary is None else _decode_stream(dictionary, body, budget)
        if decoded is None:
            return _refuse("pdf-unreadable", UNKNOWN)
        budget -= len(decoded)
        if _has_pdf_media(decoded):
            return _refuse("pdf-with-images", DOCUMENT_WITH_IMAGES)
    return Verdict(True, "pdf", STATEMENT)


def _has_pdf_media(chunk: bytes) -> bool:
    """Look for image objects, image filters, inline images, attachments and media in PDF bytes."""
    return bool(
        _PDF_MEDIA_NAMES.search(_decode_names(chunk))
        or _PDF_INLINE_IMAGE.search(chunk)
        or _EMBEDDED_MEDIA.search(chunk)
    )


def _decode_names(chunk: bytes) -> bytes:
    """Undo `#xx` escapes in PDF names, so `/Im#61ge` is seen as the `/Image` it means."""
    if b"#" not in chunk:
        return chunk
    return _ESCAPED_NAME.sub(lambda m: _NAME_ESCAPE.sub(lambda h: bytes([int(h[1], 16)]), m[0]), chunk)


def _pdf_streams(data: bytes):
    """Yield (dictionary, body) for each stream; (None, b"") if the layout cannot be followed.

    Why not trust the cross-reference table: objects that no table lists are still
    in the file, so the bytes themselves are walked.
    """
    pos = 0
    while match := _STREAM.search(data, pos):
        head = data.rfind(b"obj", 0, match.start())
        while head > 0 and data[head - 1 : head].isalpha():  # skip "endobj"
            head = data.rfind(b"obj", 0, head)
        if head < 0 or match.start() - head > 65536:
            yield None, b""
            return
        dictionary = _decode_names(data[head + 3 : match.start()])
        start = match.end()
        end = _stream_end(data, start, dictionary)
        if end is None:
            yield None, b""
            return
        yield dictionary, data[start:end]
        pos = end


def _stream_end(data: bytes, start: int, dictionary: bytes) -> int | None:
    """Where a stream's body ends: its /Length if that lands on `endstream`, else the next `endstream`."""
    length = _LENGTH.search(dictionary)
    if length and not length[2]:
        end = start + int(length[1])
        if re.match(rb"[\s\x00]*endstream", data[end : end + 64]):
            return end
    found = data.find(b"endstream", start)
    if found < 0:
        return None
    if data[found - 2 : found] == b"\r\n":
        found -= 2
    elif data[found - 1 : found] in (b"\n", b"\r"):
        found -= 1
    return max(found, start)


def _decode_stream(dictionary: bytes, body: bytes, budget: int) -> bytes | None:
    """Undo a stream's filters (Flate, ASCIIHex, ASCII85); None if that is not possible.

    Why so few filters: they are what text PDFs use. Predictors scramble the bytes
    after inflating, so outside cross-reference streams they count as unreadable.
    """
    found = _FILTER.search(dictionary)
    if found and (not found[1] or re.search(rb"\d[\s\x00]+R", found[1])):
        return None  # a filter we cannot read, such as an indirect reference
    predictor = _PREDICTOR.search(dictionary)
    if predictor and int(predictor[1]) > 1 and not _XREF.search(dictionary):
        return None
    for name in re.findall(rb"/([^" + _DELIMITERS + rb"]+)", found[1]) if found else []:
        if name in (b"FlateDecode", b"Fl"):
            body = _inflate(body, budget)
        elif name in (b"ASCIIHexDecode", b"AHx"):
            body = _unhex(body)
        elif name in (b"ASCII85Decode", b"A85"):
            body = _unascii85(body)
        else:
            return None
        if body is None:
            return None
    return body


def _inflate(body: bytes, budget: int) -> bytes | None:
    """Inflate a Flate stream completely and within budget; anything less is unreadable."""
    for window in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        inflater = zlib.decompressobj(window)
        try:
            content = inflater.decompress(body, budget + 1)
        except zlib.error:
            continue
        if inflater.eof and len(content) <= budget:
            return content
    return None


def _unhex(body: bytes) -> bytes | None:
    """Decode an ASCIIHex stream (ends at `>`, odd digit padded with 0)."""
    digits = re.sub(rb"[\s\x00]", b"", body.split(b">", 1)[0])
    try:
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    except (binascii.Error, ValueError):
        return None


def _unascii85(body: bytes) -> bytes | None:
    """Decode an ASCII85 stream (optional `<~`, ends at `~>`)."""
    text = re.sub(rb"[\s\x00]", b"", body).removeprefix(b"<~").split(b"~>", 1)[0]
    try:
        return base64.a85decode(text)
    except ValueError:
        return None


# --- Entry points ------------------------------------------------------------------
