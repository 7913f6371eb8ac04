"""PDF statements: refused if any picture, media or unreadable stream could be inside."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from lib.sniff.encoded import REFUSED_CATEGORIES, find_encoded_imagery
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
_ENCRYPT = re.compile(rb"/Encrypt(?![^" + _DELIMITERS + rb"])")
_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
_LENGTH = re.compile(rb"/Length[\s\x00]+(\d+)(?:[\s\x00]+(\d+)[\s\x00]+R)?")
_FILTER = re.compile(rb"/Filter[\s\x00]*(\[[^\]]*\]|/[^" + _DELIMITERS + rb"]+)?")
_PREDICTOR = re.compile(rb"/Predictor[\s\x00]+(\d+)")
_XREF = re.compile(rb"/Type[\s\x00]*/XRef")


def _check_pdf(data: bytes, depth: int = 0, budget=None) -> Verdict:
    """Allow a PDF only if no part of it, compressed or not, holds a picture or media.

    Why: images hide in compressed streams and object streams, so every stream is
    unpacked and searched; content streams are read token by token, so an inline
    image (BI ... ID ... EI) is found however it is spaced, commented or padded;
    and the words the pages show are searched for pictures written as text. A PDF
    that cannot be fully unpacked or read (encrypted, unusual filters, damaged
    streams) cannot be checked, so it is refused.
    """
    if _has_pdf_media(data):
        return _refuse("pdf-with-images", DOCUMENT_WITH_IMAGES)
    if _ENCRYPT.search(_decode_names(data)):
        return _refuse("pdf-encrypted", UNKNOWN)
    remaining = _MAX_UNPACKED
    shown, cmaps = [], []
    for dictionary, body in _pdf_streams(data):
        decoded = None if dictionary is None else _decode_stream(dictionary, body, remaining)
        if decoded is None:
            return _refuse("pdf-unreadable", UNKNOWN)
        remaining -= len(decoded)
        if _has_pdf_media(decoded):
            return _refuse("pdf-with-images", DOCUMENT_WITH_IMAGES)
        if _BINARY_STREAM.search(dictionary):
            if _raw_inline_image(decoded):
                return _refuse("pdf-inline-image", DOCUMENT_WITH_IMAGES)
            continue
        try:
            words, cmap = _read_content(decoded)
        except _InlineImage:
            return _refuse("pdf-inline-image", DOCUMENT_WITH_IMAGES)
        except _Unparsable:
            return _refuse("pdf-unreadable", UNKNOWN)
        if words:
            shown.append(words)
        if cmap:
            cmaps.append(cmap)
    for text in _page_texts(shown, cmaps):
        found = find_encoded_imagery(text, _depth=depth, _budget=budget)
        if found is not None and found.category in REFUSED_CATEGORIES:
            return Verdict(False, f"{found.kind}-as-text-in-pdf", found.category, found.encoding)
    return Verdict(True, "pdf", STATEMENT)


def _has_pdf_media(chunk: bytes) -> bool:
    """Look for image objects, image filters, attachments and media in PDF bytes."""
    return bool(_PDF_MEDIA_NAMES.search(_decode_names(chunk)) or _EMBEDDED_MEDIA.search(chunk))


# --- Reading content streams token by token -----------------------------------------------------------------
#
# PDF's lexical rules (ISO 32000-1, 7.2): whitespace and the delimiters ( ) < > [ ] { } / % separate tokens;
# a comment runs from % to the end of the line; strings are (literal, with nested parentheses and escapes) or
# <hex>. Everything else is a regular token: a number, a keyword or an operator.

_PDF_WS = b"\x00\t\n\x0c\r "
_TOKEN = re.compile(
    rb"(?P<ws>[\x00\t\n\x0c\r ]++)"
    rb"|(?P<comment>%[^\r\n]*+)"
    rb"|(?P<dict><<|>>)"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*+>)"
    rb"|(?P<punct>[\[\]{}])"
    rb"|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*+)"
    rb"|(?P<regular>[^\x00\t\n\x0c\r ()<>\[\]{}/%]++)"
    rb"|(?P<string>\()"
)
_STRING_SPECIAL = re.compile(rb"[()\\]")
_LITERAL_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|(\r\n|[\r\n])|(.))", re.S)
_ESCAPED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_SHOW = {b"Tj", b"'", b'"'}
_NEW_LINE = {b"Td", b"TD", b"T*", b"Tm", b"BT", b"ET", b"'", b'"'}
_BINARY_STREAM = re.compile(
    rb"/Type[\s\x00]*/(?:XRef|Metadata|EmbeddedFile)(?![^\s\x00()<>\[\]{}/%])"
    rb"|/Length[123](?![^\s\x00()<>\[\]{}/%])"
    rb"|/Subtype[\s\x00]*/(?:Type1C|CIDFontType0C|OpenType|XML)(?![^\s\x00()<>\[\]{}/%])"
    rb"|/FunctionType[\s\x00]+0(?![^\s\x00()<>\[\]{}/%])"
    rb"|/N[\s\x00]+[134](?![^\s\x00()<>\[\]{}/%])"  # an ICC colour profile
)
_DELIMITED = rb"(?<![^\s\x00()<>\[\]{}/%])TOKEN(?![^\s\x00()<>\[\]{}/%])"
_RAW_BI = re.compile(_DELIMITED.replace(b"TOKEN", b"BI"))
_RAW_ID = re.compile(_DELIMITED.replace(b"TOKEN", b"ID"))


class _Unparsable(Exception):
    """A stream that should be PDF syntax is not: it cannot be checked."""


class _InlineImage(Exception):
    """A content stream begins an inline image (the BI operator)."""


def _raw_inline_image(decoded: bytes) -> bool:
    """In a stream that is not PDF syntax (a font, a colour profile): BI then ID as separate tokens.

    Why look at all: such a stream could still be drawn as a page's content by a lenient reader.
    """
    begin = _RAW_BI.search(decoded)
    return bool(begin and _RAW_ID.search(decoded, begin.end()))


def _literal_end(data: bytes, pos: int) -> int:
    """Where the literal string opened just before `pos` ends (after its closing parenthesis)."""
    depth = 1
    while special := _STRING_SPECIAL.search(data, pos):
        pos = special.end()
        char = special.group()
        if char == b"\\":
            pos += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return pos
    raise _Unparsable("unterminated string")


def _unescape_literal(raw: bytes) -> bytes:
    def one(match):
        if match.group(1):
            return bytes([int(match.group(1), 8) & 0xFF])
        if match.group(2):
            return b""  # a backslash at the end of a line continues the string
        return _ESCAPED.get(match.group(3), match.group(3))

    return _LITERAL_ESCAPE.sub(one, raw)


def _unhex_string(raw: bytes) -> bytes:
    digits = bytes(c for c in raw[1:-1] if c not in _PDF_WS)
    return binascii.unhexlify(digits + b"0" * (len(digits) % 2))


def _read_content(data: bytes) -> tuple[list, dict | None]:
    """Tokenise a stream of PDF syntax; return the bytes its text operators show, and a ToUnicode map.

    Raises _InlineImage at a BI operator and _Unparsable at anything that is not PDF syntax. No byte
    limit: the whole stream is read, however it is padded.
    """
    shown: list = []  # the strings shown (bytes), with "\n" and " " (str) where the text moves on
    operands: list = []
    array: list | None = None
    pos, end = 0, len(data)
    cmap_tokens = [] if b"begincmap" in data else None
    while pos < end:
        match = _TOKEN.match(data, pos)
        if match is None:
            raise _Unparsable(f"unexpected byte at {pos}")
        kind = match.lastgroup
        pos = match.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "string":
            close = _literal_end(data, pos)
            value = ("s", _unescape_literal(data[pos: close - 1]))
            pos = close
        elif kind == "hex":
            value = ("s", _unhex_string(match.group()))
        elif kind == "regular":
            token = match.group()
            if token == b"BI":
                raise _InlineImage()
            if token[:1] in b"+-.0123456789" and _is_number(token):
                value = ("n", float(token))
            else:
                value = ("op", token)
        else:
            value = (kind, match.group())
        if cmap_tokens is not None:
            cmap_tokens.append(value)
        if value[0] == "punct" and value[1] == b"[":
            array = []
            continue
        if value[0] == "punct" and value[1] == b"]":
            operands.append(("array", array or []))
            array = None
            continue
        if array is not None:
            array.append(value)
            continue
        if value[0] != "op":
            operands.append(value)
            continue
        operator = value[1]
        if operator in _NEW_LINE and shown and shown[-1] != "\n":
            shown.append("\n")
        if operator in _SHOW and operands and operands[-1][0] == "s":
            shown.append(operands[-1][1])
        elif operator == b"TJ" and operands and operands[-1][0] == "array":
            for item in operands[-1][1]:
                if item[0] == "s":
                    shown.append(item[1])
                elif item[0] == "n" and item[1] <= -200:
                    shown.append(" ")
        operands = []
    return shown, (_to_unicode(cmap_tokens) if cmap_tokens else None)


_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")


def _is_number(token: bytes) -> bool:
    return _NUMBER.fullmatch(token) is not None


def _to_unicode(tokens: list) -> dict:
    """A ToUnicode CMap's bfchar and bfrange entries: {code bytes: text}."""
    mapping: dict = {}
    strings: list = []
    array: list | None = None
    mode = None
    for kind, value in tokens:
        if kind == "punct" and value == b"[":
            array = []
        elif kind == "punct" and value == b"]":
            if mode and array is not None:
                strings.append(array)
            array = None
        elif array is not None:
            if kind == "s":
                array.append(value)
        elif kind == "op" and value in (b"beginbfchar", b"beginbfrange"):
            mode, strings = value, []
        elif kind == "op" and value in (b"endbfchar", b"endbfrange"):
            if mode == b"beginbfchar":
                for source, target in zip(strings[0::2], strings[1::2]):
                    if isinstance(target, bytes):
                        mapping[source] = _utf16(target)
            elif mode == b"beginbfrange":
                for low, high, target in zip(strings[0::3], strings[1::3], strings[2::3]):
                    _add_range(mapping, low, high, target)
            mode = None
        elif mode and kind == "s":
            strings.append(value)
    return mapping


def _add_range(mapping: dict, low: bytes, high, target) -> None:
    if not isinstance(high, bytes) or len(low) != len(high) or not low:
        return
    first, last = int.from_bytes(low, "big"), int.from_bytes(high, "big")
    if not 0 <= last - first <= 65535:
        return
    for offset in range(last - first + 1):
        code = (first + offset).to_bytes(len(low), "big")
        if isinstance(target, list):
            if offset < len(target):
                mapping[code] = _utf16(target[offset])
        elif target:
            mapping[code] = _utf16(target[:-1] + bytes([(target[-1] + offset) & 0xFF]))


def _utf16(value: bytes) -> str:
    return value.decode("utf-16-be", "replace") if len(value) % 2 == 0 else value.decode("latin-1")


def _page_texts(shown: list, cmaps: list):
    """The words the pages show, read as Latin-1 (simple fonts) and through each ToUnicode map found.

    Why every map: which font draws which string is not followed here, so each reading is tried; the
    right one gives the real words, the others give harmless noise.
    """
    pieces = [piece for stream in shown for piece in [*stream, "\n"]]
    if not any(isinstance(piece, bytes) for piece in pieces):
        return
    yield "".join(piece.decode("latin-1") if isinstance(piece, bytes) else piece for piece in pieces)
    for cmap in cmaps[:16]:
        width = max((len(code) for code in cmap), default=1)
        if width in (1, 2):
            yield "".join(_mapped(piece, cmap, width) if isinstance(piece, bytes) else piece for piece in pieces)


def _mapped(piece: bytes, cmap: dict, width: int) -> str:
    return "".join(cmap.get(piece[i: i + width], "") for i in range(0, len(piece) - width + 1, width))


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
