"""Recognise pictures, videos and archives by their opening bytes (magic numbers)."""

from __future__ import annotations

import re

from lib.sniff.verdict import (
    ARCHIVE,
    IMAGE,
    UNKNOWN,
    VIDEO,
    Verdict,
    _refuse,
)

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
    b"heic",
    b"heix",
    b"hevc",
    b"hevx",
    b"heim",
    b"heis",
    b"hevm",
    b"hevs",
    b"mif1",
    b"mif2",
    b"msf1",
    b"miaf",
    b"avif",
    b"avis",
    b"avio",
    b"crx ",
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
    compatible = {head[i : i + 4] for i in range(16, min(max(size, 16), len(head)), 4)}
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
