"""Decide what an uploaded file really is, from its bytes alone (rule A3).

Harbour must never accept, store or display an image, a video or an archive.
Attachments are written statements only: PDF, Word (.docx) or plain text, with no
pictures inside. A file's name and declared type are chosen by whoever sends it, so
they are never consulted here: `classify` looks only at the content, and anything it
cannot positively recognise as a picture-free statement is refused.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
import zipfile
import zlib
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
    """What a file is (`kind`, `category`) and whether Harbour may keep it."""

    allowed: bool
    kind: str
    category: str


def _refuse(kind: str, category: str) -> Verdict:
    """Build a refusal; kept short because nearly every branch ends in one."""
    return Verdict(False, kind, category)


# --- Magic numbers ---------------------------------------------------------------

_SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg", IMAGE),
    (b"\x89PNG\r\n\x1a\n", "png", IMAGE),
    (b"GIF87a", "gif", IMAGE),
    (b"GIF89a", "gif", IMAGE),
    (b"II*\x00", "tiff", IMAGE),
    (b"MM\x00*", "tiff", IMAGE),
    (b"II+\x00", "tiff", IMAGE),
    (b"MM\x00+", "tiff", IMAGE),
    (b"8BPS", "psd", IMAGE),
    (b"qoif", "qoi", IMAGE),
    (b"\xff\x0a", "jxl", IMAGE),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "jxl", IMAGE),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jp2", IMAGE),
    (b"\xff\x4f\xff\x51", "jp2", IMAGE),
    (b"FLV\x01", "flv", VIDEO),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c", "asf", VIDEO),
    (b"OggS", "ogg", VIDEO),
    (b"\x00\x00\x01\xba", "mpeg-ps", VIDEO),
    (b"\x00\x00\x01\xb3", "mpeg", VIDEO),
    (b".RMF", "realmedia", VIDEO),
    (b"PK\x03\x04", "zip", ARCHIVE),
    (b"PK\x05\x06", "zip", ARCHIVE),
    (b"PK\x07\x08", "zip", ARCHIVE),
    (b"Rar!\x1a\x07\x00", "rar", ARCHIVE),
    (b"Rar!\x1a\x07\x01\x00", "rar", ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", "7z", ARCHIVE),
    (b"\x1f\x8b", "gzip", ARCHIVE),
    (b"\x1f\x9d", "compress", ARCHIVE),
    (b"\xfd7zXZ\x00", "xz", ARCHIVE),
    (b"\x28\xb5\x2f\xfd", "zstd", ARCHIVE),
    (b"\x04\x22\x4d\x18", "lz4", ARCHIVE),
    (b"LZIP", "lzip", ARCHIVE),
    (b"MSCF\x00\x00\x00\x00", "cab", ARCHIVE),
    (b"!<arch>\n", "ar", ARCHIVE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", UNKNOWN),
)
_AT_OFFSET = ((257, b"ustar", "tar", ARCHIVE), (0x8001, b"CD001", "iso", ARCHIVE))
_RIFF_FORMS = {b"WEBP": ("webp", IMAGE), b"AVI ": ("avi", VIDEO), b"AVIX": ("avi", VIDEO)}
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_BZIP2 = re.compile(rb"BZh[1-9](?:1AY&SY|\x17rE8P\x90)")
_IMAGE_BRANDS = {
    b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs",
    b"mif1", b"mif2", b"msf1", b"miaf", b"avif", b"avis", b"avio", b"crx ",
}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}


def _sniff_magic(data: bytes) -> Verdict | None:
    """Recognise images, video and archives by their opening bytes.

    Why: these formats announce themselves in their first few bytes, so this is
    both the cheapest and the most trustworthy check. Container formats (ISO media,
    RIFF, Matroska) are looked at a little more closely to name them correctly.
    """
    head = data[:4096]
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head[4:8] in _QUICKTIME_ATOMS and head[:1] == b"\x00":
        return _refuse("mov", VIDEO)
    for signature, kind, category in _SIGNATURES:
        if head.startswith(signature):
            return _refuse(kind, category)
    for offset, signature, kind, category in _AT_OFFSET:
        if data.startswith(signature, offset):
            return _refuse(kind, category)
    if head[:4] == b"RIFF" and head[8:12] in _RIFF_FORMS:
        return _refuse(*_RIFF_FORMS[head[8:12]])
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return _refuse("webm" if b"webm" in head[:64] else "matroska", VIDEO)
    if head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00") and head[4:6] != b"\x00\x00":
        return _refuse("ico", IMAGE)
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return _refuse("bmp", IMAGE)
    if _BZIP2.match(head):
        return _refuse("bzip2", ARCHIVE)
    return None


def _iso_media(head: bytes) -> Verdict:
    """Name an ISO media file (MP4, MOV, 3GP, HEIC, AVIF...) from its `ftyp` brands.

    Why: photos from phones (HEIC/AVIF) and videos share one container, and only
    the brands tell a picture from a video.
    """
    size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = {head[i:i + 4] for i in range(16, min(max(size, 16), len(head)), 4)}
    if major in _IMAGE_BRANDS or (compatible & _IMAGE_BRANDS and not major.startswith((b"iso", b"mp4", b"qt"))):
        return _refuse("avif" if b"avif" in {major} | compatible else "heic", IMAGE)
    if major in _AUDIO_BRANDS:
        return _refuse("m4a", UNKNOWN)
    if major == b"qt  ":
        return _refuse("mov", VIDEO)
    if major.startswith(b"3g"):
        return _refuse("3gp", VIDEO)
    if major.startswith(b"M4V"):
        return _refuse("m4v", VIDEO)
    return _refuse("mp4", VIDEO)


def _is_mpeg_ts(data: bytes) -> bool:
    """MPEG transport streams (camcorders, TV recordings) have a sync byte every 188 or 192 bytes.

    Why a separate check: one repeated byte is too weak to test before plain text.
    """
    for first, step in ((0, 188), (4, 192)):
        if len(data) > first + 2 * step and all(data[first + k * step] == 0x47 for k in range(3)):
            return True
    return False


# Pictures and videos recognisable wherever they sit inside another file. Every
# pattern is long enough that it will not turn up by chance in compressed data.
_EMBEDDED_MEDIA = re.compile(
    rb"\x89PNG\r\n\x1a\n"
    rb"|GIF8[79]a[\x00-\xff]{6}\x00"
    rb"|\xff\xd8\xff(?:\xe0\x00\x10JFIF\x00|\xe1[\x00-\xff]{2}Exif\x00|\xdb\x00[\x43\x84\xc5]"
    rb"|\xee\x00\x0eAdobe|\xe2[\x00-\xff]{2}ICC_PROFILE)"
    rb"|RIFF[\x00-\xff]{4}(?:WEBPVP8|AVI LIST)"
    rb"|ftyp(?:hei[cx]|hevc|mif1|msf1|avif|avis|isom|iso[2-9]|mp4[12]|avc1|qt  |M4V |3gp[4-9]|3g2[a-c])"
    rb"|\x1a\x45\xdf\xa3[\x00-\xff]{0,40}?\x42\x82[\x80-\x88](?:webm|matroska)"
    rb"|II\*\x00\x08\x00\x00\x00|MM\x00\*\x00\x00\x00\x08"
    rb"|BM[\x00-\xff]{4}\x00{4}[\x00-\xff]{4}[\x28\x6c\x7c]\x00\x00\x00"
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


# --- DOCX --------------------------------------------------------------------------

_DOCX_MEDIA_NAME = re.compile(
    r"(?:^|/)(?:media|embeddings|activex)/|^docprops/thumbnail"
    r"|\.(?:png|jpe?g|gif|bmp|tiff?|webp|hei[cf]|avif|svg|ico|emf|wmf|emz|wmz"
    r"|mp4|mov|avi|wmv|webm|mkv|m4v|3gp|zip|docx|pdf)$"
)
# Searched in lower-cased parts, one pattern at a time: each opens with a literal,
# which keeps the search fast on large documents.
_DOCX_MEDIA_CONTENT = [
    re.compile(pattern)
    for pattern in (
        rb"contenttype\s*=\s*[\"'](?:image|video|audio)/",  # declared picture, video or sound parts
        rb"type\s*=\s*[\"'][^\"']*/(?:image|package|video|audio|media|afchunk|hdphoto)[\"']",  # relationships
        rb"<(?:[\w.-]+:)?(?:blip|imagedata|bindata|object|altchunk|control)\b",  # pictures and objects in the text
        rb"oleobject",
        rb"gfxdata\s*=",
        rb"<v:fill\b[^>]*\br:id\s*=",
    )
]


def _check_zip(data: bytes) -> Verdict:
    """Allow a ZIP only when it is a Word document with no pictures or embedded objects.

    Why: a .docx is a ZIP, so it must be opened to tell a statement from an archive
    or a document carrying photographs.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            start_dir = archive.start_dir
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return _refuse("zip", ARCHIVE)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("word/") for name in names):
        return _refuse("zip", ARCHIVE)  # spreadsheets and slides too: only Word is a statement
    parts = _zip_parts(data, infos, start_dir)
    if parts is None:
        return _refuse("docx-unreadable", UNKNOWN)
    for name, content in parts:
        if _DOCX_MEDIA_NAME.search(name.lower()) or _part_has_media(content):
            return _refuse("docx-with-images", DOCUMENT_WITH_IMAGES)
    return Verdict(True, "docx", STATEMENT)


def _part_has_media(content: bytes) -> bool:
    """Whether one part of a Word document is, declares, links to or hides a picture or object.

    Why check content as well as names: a picture renamed to `word/styles2.xml` is
    still a picture, and a relationship can show one from the internet.
    """
    if _sniff_magic(content) is not None or content.startswith(b"%PDF") or _EMBEDDED_MEDIA.search(content):
        return True
    lowered = content.lower()
    return any(pattern.search(lowered) for pattern in _DOCX_MEDIA_CONTENT)


def _zip_parts(data: bytes, infos: list[zipfile.ZipInfo], start_dir: int) -> list[tuple[str, bytes]] | None:
    """Unpack every entry ourselves, insisting that every byte of the file is accounted for.

    Why: `zipfile` trusts the central directory, so a picture could sit unseen in a
    gap between entries, after a compressed stream, in an entry missing from the
    directory or after the end record. Returns None if the file is not that tidy.
    """
    parts, pos, spare, budget = [], 0, 0, _MAX_UNPACKED
    for info in sorted(infos, key=lambda i: i.header_offset):
        header = data[pos:pos + 30]
        if info.header_offset != pos or len(header) < 30 or not header.startswith(b"PK\x03\x04"):
            return None
        flags, method = struct.unpack_from("<HH", header, 6)
        sizes = struct.unpack_from("<LLL", header, 14)
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        start = pos + 30 + name_length + extra_length
        raw = data[start:start + info.compress_size]
        if (
            data[pos + 30:pos + 30 + name_length] != _raw_name(info)
            or flags & 0x1  # encrypted
            or len(raw) != info.compress_size
            or (not flags & 0x8 and sizes != (info.CRC, info.compress_size, info.file_size))
        ):
            return None
        content = _unpack(raw, method, budget)
        if content is None or len(content) != info.file_size or zlib.crc32(content) != info.CRC:
            return None
        budget -= len(content)
        spare += extra_length + len(info.extra) + len(info.comment)
        pos = _skip_descriptor(data, start + info.compress_size, info) if flags & 0x8 else start + info.compress_size
        if pos is None:
            return None
        parts.append((info.orig_filename, content))
    end = start_dir + sum(46 + len(_raw_name(i)) + len(i.extra) + len(i.comment) for i in infos)
    if pos != start_dir or data[end:end + 4] != b"PK\x05\x06" or len(data) < end + 22:
        return None
    comment_length = struct.unpack_from("<H", data, end + 20)[0]
    if end + 22 + comment_length != len(data) or spare + comment_length > _MAX_ZIP_SPARE:
        return None
    return parts


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    """The entry name as stored, so the local header can be compared with the directory."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


def _unpack(raw: bytes, method: int, budget: int) -> bytes | None:
    """Inflate one entry, refusing leftovers after the stream and anything over budget.

    Why: bytes after the end of a deflate stream are ignored by unzip tools, which
    makes them a hiding place; a tiny entry can also inflate to gigabytes.
    """
    if method == zipfile.ZIP_STORED:
        return raw
    if method != zipfile.ZIP_DEFLATED:
        return None
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        content = inflater.decompress(raw, budget + 1)
    except zlib.error:
        return None
    if not inflater.eof or inflater.unused_data or len(content) > budget:
        return None
    return content


def _skip_descriptor(data: bytes, pos: int, info: zipfile.ZipInfo) -> int | None:
    """Step over the data descriptor some writers put after an entry, if it matches the directory."""
    if data.startswith(b"PK\x07\x08", pos):
        pos += 4
    for layout in ("<LLL", "<LQQ"):
        expected = struct.pack(layout, info.CRC, info.compress_size, info.file_size)
        if data.startswith(expected, pos):
            return pos + len(expected)
    return None


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
        while head > 0 and data[head - 1:head].isalpha():  # skip "endobj"
            head = data.rfind(b"obj", 0, head)
        if head < 0 or match.start() - head > 65536:
            yield None, b""
            return
        dictionary = _decode_names(data[head + 3:match.start()])
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
        if re.match(rb"[\s\x00]*endstream", data[end:end + 64]):
            return end
    found = data.find(b"endstream", start)
    if found < 0:
        return None
    if data[found - 2:found] == b"\r\n":
        found -= 2
    elif data[found - 1:found] in (b"\n", b"\r"):
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


def classify(data: bytes) -> Verdict:
    """Say what `data` is and whether Harbour may keep it, judging by content alone (rule A3).

    Why this order: formats with a fixed signature are recognised first, then PDF
    and Word are opened and searched for pictures, then plain text; whatever is
    left is refused. Never raises: a file that cannot be checked is refused.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        return _refuse("unknown", UNKNOWN)
    try:
        data = bytes(data)
        if not data.strip():
            return _refuse("empty", UNKNOWN)
        verdict = _sniff_magic(data)
        if verdict is not None:
            return _check_zip(data) if data.startswith(b"PK\x03\x04") else verdict
        if b"%PDF-" in data[:1024]:
            return _check_pdf(data)
        verdict = _check_text(data)
        if verdict is not None:
            return verdict
        if _is_mpeg_ts(data):
            return _refuse("mpeg-ts", VIDEO)
        return _refuse("unknown", UNKNOWN)
    except Exception:  # noqa: BLE001 - a file we cannot check is a file we refuse
        return _refuse("unreadable", UNKNOWN)


_PICTURE_ADVICE = (
    "If it might show a child, the law does not allow anyone to copy, save or send it on, and that "
    "includes uploading it here. Please do not try again in another format. Instead, describe in "
    "words what it shows, note where it is (for example which phone, app or account), and keep any "
    "device secure, switched off or in flight mode, until your designated safeguarding lead says "
    "what happens next. You have not done anything wrong by trying."
)
_KEPT = "Everything else you typed has been kept."
_EXPLANATIONS = {
    STATEMENT: "This file is a written statement that Harbour can accept.",
    IMAGE: f"This file is a picture, so Harbour cannot accept it. {_PICTURE_ADVICE} {_KEPT}",
    VIDEO: f"This file is a video, so Harbour cannot accept it. {_PICTURE_ADVICE} {_KEPT}",
    ARCHIVE: (
        "This file is a compressed folder or archive (such as a .zip file). Archives can contain "
        "pictures or videos that Harbour has no safe way to check, so it cannot accept them. Please "
        "upload the written statement on its own as a PDF, a Word document (.docx) or a plain text "
        "file, or paste the words into the form. If the archive might hold pictures or videos of a "
        "child, do not open or share it: describe in words what you know about it, and tell your "
        "designated safeguarding lead where it is. " + _KEPT
    ),
    DOCUMENT_WITH_IMAGES: (
        "This document contains pictures or other embedded items, and Harbour can only accept "
        "written statements. Please remove the pictures and save it again, or copy the text and paste "
        "it into the form. If a picture might show a child, do not copy or share it: describe what it "
        "shows in words instead and tell your designated safeguarding lead where the original is. " + _KEPT
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


def explanation(verdict: Verdict) -> str:
    """Plain words for the member of staff who tried to upload the file.

    Why: the person is often dealing with something upsetting. They need to know
    calmly what to do next, including what the law asks of them for pictures of
    children, and that nothing they typed was lost. No blame, no jargon.
    """
    if verdict.kind == "empty":
        return _EMPTY
    if verdict.kind in ("ole", "unreadable", "pdf-encrypted") or verdict.kind.endswith("-unreadable"):
        return _UNCHECKABLE
    return _EXPLANATIONS.get(verdict.category, _EXPLANATIONS[UNKNOWN])
