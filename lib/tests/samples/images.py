"""Samples for rule A3: Images."""

import struct
import zlib

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    """A 1x1 red PNG with valid chunk CRCs."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A JFIF JPEG: SOI, APP0, a quantisation table, a frame header and EOI."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb\x00\x43\x00" + bytes([1] * 64)
    sof = b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    return b"\xff\xd8" + app0 + dqt + sof + b"\xff\xd9"


def jpeg_exif() -> bytes:
    """A camera-style JPEG that opens with an Exif APP1 segment."""
    tiff = b"MM\x00*\x00\x00\x00\x08\x00\x00"
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff
    return b"\xff\xd8" + app1 + jpeg()[2:]


def gif89a() -> bytes:
    """The classic 1x1 transparent GIF89a."""
    return bytes.fromhex(
        "4749463839610100010080000000000000ffffff21f90401000000002c00000000010001000002024401003b"
    )


def gif87a() -> bytes:
    """A 1x1 GIF87a."""
    return b"GIF87a" + gif89a()[6:]


def _riff(form: bytes, chunks: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + form + chunks


def webp_lossless() -> bytes:
    """A 1x1 lossless WebP (VP8L)."""
    body = b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
    return _riff(b"WEBP", b"VP8L" + struct.pack("<I", len(body)) + body)


def webp_lossy() -> bytes:
    """A lossy WebP header (VP8 key frame, 1x1)."""
    body = b"\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00" + b"\x00" * 8
    return _riff(b"WEBP", b"VP8 " + struct.pack("<I", len(body)) + body)


def bmp() -> bytes:
    """A 1x1 24-bit BMP."""
    pixels = b"\x00\x00\xff\x00"  # one BGR pixel padded to four bytes
    info = struct.pack("<IiiHHIIiiII", 40, 1, 1, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    header = b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return header + info + pixels


def _tiff(order: str) -> bytes:
    """A 1x1 greyscale TIFF in either byte order."""
    e = "<" if order == "II" else ">"
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8 + 2 + 12 * 8 + 4), (278, 3, 1, 1), (279, 4, 1, 1)]
    ifd = struct.pack(e + "H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack(e + "H", value) + b"\x00\x00" if kind == 3 else struct.pack(e + "I", value)
        ifd += struct.pack(e + "HHI", tag, kind, count) + packed
    magic = b"II*\x00" if order == "II" else b"MM\x00*"
    return magic + struct.pack(e + "I", 8) + ifd + b"\x00\x00\x00\x00" + b"\x80"


def tiff_little_endian() -> bytes:
    return _tiff("II")


def tiff_big_endian() -> bytes:
    return _tiff("MM")


def ico() -> bytes:
    """An icon file holding one 1x1 PNG."""
    image = png()
    directory = struct.pack("<BBBBHHII", 1, 1, 0, 0, 1, 32, len(image), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + directory + image


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    return _box(b"ftyp", major + b"\x00\x00\x00\x00" + b"".join(compatible))


def heic() -> bytes:
    """An iPhone-style HEIC: ftyp heic, then a meta box with a picture handler."""
    handler = _box(b"hdlr", b"\x00" * 8 + b"pict" + b"\x00" * 13)
    return _ftyp(b"heic", b"mif1", b"heic") + _box(b"meta", b"\x00" * 4 + handler)


def heif() -> bytes:
    """A generic HEIF whose major brand is mif1."""
    return _ftyp(b"mif1", b"mif1", b"heic") + _box(b"meta", b"\x00" * 4)


def avif() -> bytes:
    """An AVIF still image."""
    return _ftyp(b"avif", b"avif", b"mif1", b"miaf", b"MA1B") + _box(b"meta", b"\x00" * 4)


def psd() -> bytes:
    """A Photoshop file header."""
    return b"8BPS\x00\x01" + b"\x00" * 6 + struct.pack(">HIIHH", 3, 1, 1, 8, 3)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>'


def svg() -> bytes:
    return SVG.encode()


def svg_with_declaration() -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg>\n' + SVG.encode()


def svg_with_bom_and_whitespace() -> bytes:
    return b"\xef\xbb\xbf \n\t  " + SVG.upper().encode()


def svg_with_namespace_prefix() -> bytes:
    return b'<x:picture xmlns:x="http://www.w3.org/2000/svg"><x:rect width="1" height="1"/></x:picture>'


def text_with_svg() -> bytes:
    return "Notes from the call.\nThe message contained <SVG onload=x> markup.\n".encode()


def text_with_data_uri_image() -> bytes:
    return b"Copied from the chat: <img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==\">\n"


def email_with_image_part() -> bytes:
    """A saved email whose attachment is a picture, written out as text."""
    return (
        b"From: someone@example.org\r\nSubject: photo\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee\r\n"
        b"--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQSkZJRg==\r\n--b--\r\n"
    )


def netpbm_plain() -> bytes:
    """A plain (ASCII) PPM picture: an image that is also valid text."""
    return b"P3\n# a red pixel\n1 1\n255\n255 0 0\n"


def xpm() -> bytes:
    return b'/* XPM */\nstatic char *x[] = {"1 1 1 1", "a c #FF0000", "a"};\n'
