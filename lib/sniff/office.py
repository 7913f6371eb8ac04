"""ZIP containers: a Word (.docx) statement without pictures is allowed, any other ZIP is an archive."""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
import zlib

from lib.sniff.encoded import REFUSED_CATEGORIES, find_encoded_imagery
from lib.sniff.magic import _EMBEDDED_MEDIA, _sniff_magic
from lib.sniff.verdict import (
    _MAX_UNPACKED,
    _MAX_ZIP_SPARE,
    ARCHIVE,
    DOCUMENT_WITH_IMAGES,
    STATEMENT,
    UNKNOWN,
    Verdict,
    _refuse,
)

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


def _check_zip(data: bytes, depth: int = 0, budget=None) -> Verdict:
    """Allow a ZIP only when it is a Word document with nothing in it but text.

    Why: a .docx is a ZIP, so it must be opened to tell a statement from an archive
    or a document carrying photographs. Only the parts WordprocessingML uses for
    text are allowed, each referenced by the package's relationships; any other
    part (an altChunk such as `afchunk.mht`, an embedded object, a picture, a part
    nothing refers to) is refused as an embedded item. The words themselves are
    then searched for pictures written as text.
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
    for name, content in parts:
        if not _DOCX_TEXT_PART.match(name.lower()) or not _is_plain_xml(content):
            return _refuse("docx-with-embedded-items", DOCUMENT_WITH_IMAGES)
    if not _every_part_referenced(parts):
        return _refuse("docx-with-embedded-items", DOCUMENT_WITH_IMAGES)
    for name, content in parts:
        for text in _part_texts(content):
            found = find_encoded_imagery(text, _depth=depth, _budget=budget)
            if found is not None and found.category in REFUSED_CATEGORIES:
                return Verdict(False, f"{found.kind}-as-text-in-docx", found.category, found.encoding)
    return Verdict(True, "docx", STATEMENT)


# The parts a Word document keeps its text, styles and settings in. Anything else is an embedded item.
_DOCX_TEXT_PART = re.compile(
    r"\[content_types\]\.xml\Z"
    r"|(?:[\w.-]+/)*_rels/[\w.\[\]-]*\.rels\Z"
    r"|docprops/(?:app|core|custom)\.xml\Z"
    r"|word/(?:glossary/)?(?:document|styles|styleswitheffects|settings|websettings|fonttable|numbering|footnotes"
    r"|endnotes|comments|commentsextended|commentsids|commentsextensible|people|header\d*|footer\d*"
    r"|intelligence2?)\.xml\Z"
    r"|word/theme/theme\d*\.xml\Z"
    r"|customxml/(?:item|itemprops)\d*\.xml\Z"
)
_TARGET = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*?\bTarget\s*=\s*[\"']([^\"']*)[\"'][^>]*>", re.I)
_EXTERNAL = re.compile(rb"TargetMode\s*=\s*[\"']External", re.I)


def _is_plain_xml(content: bytes) -> bool:
    """XML without a document type (Word never writes one; entities could expand without end)."""
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"<!DOCTYPE" not in content and b"<!ENTITY" not in content


def _every_part_referenced(parts: list[tuple[str, bytes]]) -> bool:
    """Whether every part, except the content types and relationships themselves, is a relationship's target.

    Why: a part nothing refers to is never shown by Word, so it is only there to carry something.
    """
    targets = set()
    for name, content in parts:
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels -> word
        for match in _TARGET.finditer(content):
            if _EXTERNAL.search(match.group()):
                continue
            target = match.group(1).decode("utf-8", "replace")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            targets.add(posixpath.normpath(path).lower())
    return all(name == "[Content_Types].xml" or name.endswith(".rels") or name.lower() in targets
               for name, _content in parts)


_PARAGRAPH_END = re.compile(rb"</(?:[\w.-]+:)?p>|<(?:[\w.-]+:)?(?:br|cr)\b[^>]*>")
_TAB = re.compile(rb"<(?:[\w.-]+:)?tab\b[^>]*>")
_TAG = re.compile(rb"<[^>]*+>")
_ATTRIBUTE = re.compile(rb"=\s*\"([^\"<]{16,})\"|=\s*'([^'<]{16,})'")


def _part_texts(content: bytes):
    """The words of one part as Word shows them (runs joined, paragraphs on their own lines), then its
    longer attribute values: both are places a picture could be written as text."""
    body = _TAG.sub(b"", _TAB.sub(b"\t", _PARAGRAPH_END.sub(b"\n", content)))
    yield html.unescape(body.decode("utf-8", "replace"))
    values = b"\n".join(m.group(1) or m.group(2) for m in _ATTRIBUTE.finditer(content))
    if values:
        yield html.unescape(values.decode("utf-8", "replace"))


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
        header = data[pos : pos + 30]
        if info.header_offset != pos or len(header) < 30 or not header.startswith(b"PK\x03\x04"):
            return None
        flags, method = struct.unpack_from("<HH", header, 6)
        sizes = struct.unpack_from("<LLL", header, 14)
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        start = pos + 30 + name_length + extra_length
        raw = data[start : start + info.compress_size]
        if (
            data[pos + 30 : pos + 30 + name_length] != _raw_name(info)
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
    if pos != start_dir or data[end : end + 4] != b"PK\x05\x06" or len(data) < end + 22:
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
