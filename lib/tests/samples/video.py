"""Samples for rule A3: Video."""

import struct

from lib.tests.samples.images import _box, _ftyp, _riff

def _movie_boxes() -> bytes:
    return _box(b"moov", _box(b"mvhd", b"\x00" * 100)) + _box(b"mdat", b"\x00" * 16)


def mp4() -> bytes:
    return _ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41") + _box(b"free", b"") + _movie_boxes()


def mov() -> bytes:
    return _ftyp(b"qt  ", b"qt  ") + _movie_boxes()


def mov_without_ftyp() -> bytes:
    """Older QuickTime files open straight with a movie atom."""
    return _movie_boxes()


def m4v() -> bytes:
    return _ftyp(b"M4V ", b"M4V ", b"M4A ", b"mp42", b"isom") + _movie_boxes()


def three_gp() -> bytes:
    return _ftyp(b"3gp5", b"3gp5", b"isom") + _movie_boxes()


def _ebml(doc_type: bytes) -> bytes:
    elements = (
        b"\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
        + b"\x42\x82" + bytes([0x80 | len(doc_type)]) + doc_type
        + b"\x42\x87\x81\x04\x42\x85\x81\x02"
    )
    header = b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(elements)]) + elements
    return header + b"\x18\x53\x80\x67\x01\x00\x00\x00\x00\x00\x00\x00"


def webm() -> bytes:
    return _ebml(b"webm")


def mkv() -> bytes:
    return _ebml(b"matroska")


def avi() -> bytes:
    avih = b"avih" + struct.pack("<I", 56) + b"\x00" * 56
    hdrl = b"LIST" + struct.pack("<I", 4 + len(avih)) + b"hdrl" + avih
    return _riff(b"AVI ", hdrl)


def mpeg_ts() -> bytes:
    """Three transport-stream packets, each starting with the 0x47 sync byte."""
    return b"".join(b"\x47\x40\x00\x10" + b"\xff" * 184 for _ in range(3))


def mpeg_ps() -> bytes:
    return b"\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01\x01\x89\xc3\xf8" + b"\x00\x00\x01\xb9"


def flv() -> bytes:
    return b"FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00"


def asf() -> bytes:
    guid = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
    return guid + struct.pack("<QIBB", 30, 0, 1, 2)


def ogg() -> bytes:
    return b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8 + b"\x01\x1e\x01vorbis"
