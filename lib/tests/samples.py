"""Minimal but genuine samples of every format rule A3 cares about, built in code.

No binary fixtures are committed: each function returns the bytes of a tiny file
with a real header (valid PNG CRCs, a readable ZIP, a PDF with a correct xref...),
so the tests exercise the same opening bytes a real upload would have.
"""

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
import zlib

# --- Images ------------------------------------------------------------------------


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


# --- Video -------------------------------------------------------------------------


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


# --- Archives ----------------------------------------------------------------------


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_with_photo() -> bytes:
    return _zip({"photo.jpg": jpeg()})


def zip_with_text() -> bytes:
    return _zip({"statement.txt": b"What I saw on Tuesday."})


def zip_empty() -> bytes:
    return _zip({})


def xlsx_like() -> bytes:
    """An Office package that is not Word: still an archive as far as rule A3 goes."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES.encode(), "xl/workbook.xml": b"<workbook/>"})


def rar4() -> bytes:
    return b"Rar!\x1a\x07\x00" + b"\xcf\x90\x73\x00\x00\x0d\x00\x00\x00\x00\x00\x00\x00"


def rar5() -> bytes:
    return b"Rar!\x1a\x07\x01\x00" + b"\x33\x92\xb5\xe5\x0a\x01\x05\x06\x00\x05\x01\x01\x80\x80\x00"


def seven_zip() -> bytes:
    return b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 24


def gzip_file() -> bytes:
    return gzip.compress(b"What I saw on Tuesday.")


def bzip2_file() -> bytes:
    return bz2.compress(b"What I saw on Tuesday.")


def xz_file() -> bytes:
    return lzma.compress(b"What I saw on Tuesday.")


def zstd_file() -> bytes:
    """A zstd frame holding one raw block of five bytes."""
    return b"\x28\xb5\x2f\xfd\x20\x05" + (1 | 5 << 3).to_bytes(3, "little") + b"hello"


def _tar(format: int) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=format) as archive:
        content = b"What I saw on Tuesday."
        info = tarfile.TarInfo("statement.txt")
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def tar_posix() -> bytes:
    return _tar(tarfile.PAX_FORMAT)


def tar_gnu() -> bytes:
    return _tar(tarfile.GNU_FORMAT)


# --- Word documents ----------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{defaults}'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    "<w:body><w:p><w:r><w:t>Statement: on Tuesday a pupil told me about messages.</w:t></w:r></w:p>"
    '<w:p><w:r><w:br w:type="page"/><w:t>Dywedodd y disgybl wrtha i.</w:t></w:r></w:p>{extra}'
    "<w:sectPr/></w:body></w:document>"
)
IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
DRAWING = (
    "<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><a:blip {link}/>"
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
)


def _document_rels(target: str, mode: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId5" Type="{IMAGE_RELATIONSHIP}" Target="{target}"{mode}/></Relationships>'
    ).encode()


def docx_parts(defaults: str = "", extra: str = "") -> dict:
    """The parts of a minimal valid Word document, to be added to or changed."""
    return {
        "[Content_Types].xml": CONTENT_TYPES.format(defaults=defaults).encode(),
        "_rels/.rels": PACKAGE_RELS.encode(),
        "word/document.xml": DOCUMENT.format(extra=extra).encode(),
    }


def docx() -> bytes:
    """A minimal valid .docx with text only."""
    return _zip(docx_parts())


def docx_with_media() -> bytes:
    """A .docx with a picture: word/media/image1.png, its content type and relationship."""
    parts = docx_parts('<Default Extension="png" ContentType="image/png"/>', DRAWING.format(link='r:embed="rId5"'))
    parts["word/_rels/document.xml.rels"] = _document_rels("media/image1.png")
    parts["word/media/image1.png"] = png()
    return _zip(parts)


def docx_with_renamed_picture() -> bytes:
    """A .docx carrying a JPEG under an innocent part name, with no content type for it."""
    parts = docx_parts()
    parts["word/styles2.xml"] = jpeg()
    return _zip(parts)


def docx_with_linked_picture() -> bytes:
    """A .docx that shows a picture fetched from the internet (no bytes inside)."""
    parts = docx_parts(extra=DRAWING.format(link='r:link="rId5"'))
    parts["word/_rels/document.xml.rels"] = _document_rels("https://example.org/p.jpg", ' TargetMode="External"')
    return _zip(parts)


def docx_with_embedded_object() -> bytes:
    """A .docx with an embedded OLE object (which could itself hold pictures)."""
    parts = docx_parts()
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return _zip(parts)


def docx_with_thumbnail() -> bytes:
    """A .docx saved with a preview picture of its first page."""
    parts = docx_parts('<Default Extension="jpeg" ContentType="image/jpeg"/>')
    parts["docProps/thumbnail.jpeg"] = jpeg()
    return _zip(parts)


def docx_with_image_content_type() -> bytes:
    """A .docx that only declares an image content type."""
    return _zip(docx_parts('<Default Extension="emf" ContentType="image/x-emf"/>'))


def _end_record(data: bytes) -> int:
    return data.rindex(b"PK\x05\x06")


def docx_with_photo_appended() -> bytes:
    """A .docx followed by a JPEG: unzip tools ignore the tail, but the picture is in the file."""
    return docx() + jpeg()


def docx_with_photo_in_comment() -> bytes:
    """A .docx whose ZIP comment is a whole JPEG."""
    data = bytearray(docx())
    end = _end_record(data)
    photo = jpeg()
    data[end + 20:end + 22] = struct.pack("<H", len(photo) * 40)
    return bytes(data) + photo * 40


def docx_with_photo_in_gap() -> bytes:
    """A .docx with a JPEG slipped between the last entry and the central directory."""
    data = bytearray(docx())
    end = _end_record(data)
    directory = struct.unpack_from("<I", data, end + 16)[0]
    photo = jpeg()
    struct.pack_into("<I", data, end + 16, directory + len(photo))
    return bytes(data[:directory]) + photo + bytes(data[directory:])


def docx_with_unlisted_entry() -> bytes:
    """A .docx with a picture entry whose local header exists but the directory omits it."""
    hidden = _zip({"word/media/image1.png": png()})
    local = hidden[:hidden.index(b"PK\x01\x02")]
    data = bytearray(docx())
    end = _end_record(data)
    directory = struct.unpack_from("<I", data, end + 16)[0]
    struct.pack_into("<I", data, end + 16, directory + len(local))
    return bytes(data[:directory]) + local + bytes(data[directory:])


def docx_with_tail_after_deflate() -> bytes:
    """A .docx whose document entry has a JPEG after the end of its deflate stream."""
    parts = docx_parts()
    entries = []
    for name, content in parts.items():
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = compressor.compress(content) + compressor.flush()
        if name == "word/document.xml":
            raw += jpeg()
        entries.append((name.encode(), content, raw))
    return _handmade_zip(entries)


def _handmade_zip(entries: list) -> bytes:
    """Write a deflated ZIP from (name, content, raw) without zipfile's help."""
    out, directory = bytearray(), bytearray()
    for name, content, raw in entries:
        crc = zlib.crc32(content)
        fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, crc, len(raw), len(content), len(name), 0)
        directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(out))
        directory += name
        out += b"PK\x03\x04" + fields + name + raw
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    return bytes(out + directory + end)


def docx_handmade() -> bytes:
    """The same minimal .docx written by hand, to show `_handmade_zip` itself is acceptable."""
    entries = []
    for name, content in docx_parts().items():
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        entries.append((name.encode(), content, compressor.compress(content) + compressor.flush()))
    return _handmade_zip(entries)


def docx_with_data_descriptors() -> bytes:
    """A minimal .docx written as a stream (sizes in data descriptors), as some exporters do."""

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.buffer = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buffer += b
            return len(b)

    stream = Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in docx_parts().items():
            archive.writestr(name, content)
    return bytes(stream.buffer)


# --- PDF ---------------------------------------------------------------------------

PAGE_TEXT = b"BT /F1 12 Tf 72 770 Td (Statement: on Tuesday a pupil told me about messages.) Tj ET"


def _stream(dictionary: bytes, body: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


def _pdf(objects: list, trailer: bytes = b"", between: bytes = b"") -> bytes:
    """A PDF whose objects are numbered from 1 and whose xref offsets are correct."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n" + between
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _page_objects(content: bytes, resources: bytes = b"", content_filter: bytes = b"") -> list:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> " + resources + b">> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content_filter, content),
    ]


def pdf_text() -> bytes:
    """A one-page PDF with an uncompressed text content stream."""
    return _pdf(_page_objects(PAGE_TEXT))


def pdf_text_compressed() -> bytes:
    """A text PDF whose content stream is Flate-compressed, as most PDF writers do."""
    return _pdf(_page_objects(zlib.compress(PAGE_TEXT), content_filter=b"/Filter /FlateDecode"))


def pdf_text_ascii85_flate() -> bytes:
    """A text PDF whose content goes through two filters, ASCII85 then Flate."""
    import base64

    body = base64.a85encode(zlib.compress(PAGE_TEXT)) + b"~>"
    return _pdf(_page_objects(body, content_filter=b"/Filter [/ASCII85Decode /FlateDecode]"))


def pdf_text_with_procset() -> bytes:
    """A text PDF that lists the image procedure sets, as Word's exporter does, without any image."""
    return _pdf(_page_objects(PAGE_TEXT, resources=b"/ProcSet [/PDF /Text /ImageB /ImageC /ImageI] "))


def pdf_text_object_streams() -> bytes:
    """A PDF 1.5 file: objects packed in a compressed object stream and an xref stream with a predictor."""
    packed = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf_with_object_stream(packed, _stream(b"", PAGE_TEXT))


def _pdf_with_object_stream(packed: list, *loose: bytes) -> bytes:
    """Objects 1..n inside one Flate object stream, then loose objects, then an xref stream."""
    index, body = b"", b""
    for number, obj in enumerate(packed, 1):
        index += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    object_stream_number = len(packed) + len(loose) + 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, obj in enumerate(loose, len(packed) + 1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    offsets[object_stream_number] = len(out)
    object_stream = _stream(
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(index)),
        zlib.compress(index + body),
    )
    out += b"%d 0 obj\n" % object_stream_number + object_stream + b"\nendobj\n"
    xref_number = object_stream_number + 1
    offsets[xref_number] = len(out)
    rows = [(0, 0, 255)]
    for number in range(1, xref_number + 1):
        if number <= len(packed):
            rows.append((2, object_stream_number, number - 1))
        else:
            rows.append((1, offsets[number], 0))
    table = b"".join(b"\x00" + struct.pack(">BIB", *row) for row in rows)  # PNG "None" predictor rows
    xref = _stream(
        b"/Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode "
        b"/DecodeParms << /Columns 6 /Predictor 12 >>" % (xref_number + 1),
        zlib.compress(table),
    )
    out += b"%d 0 obj\n" % xref_number + xref + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def _image_xobject(dictionary: bytes = b"/Type /XObject /Subtype /Image", body: bytes = b"\xff\x00\x00") -> bytes:
    return _stream(dictionary + b" /Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8", body)


_DRAW_IMAGE = b"q 100 0 0 100 72 600 cm /Im1 Do Q "


def pdf_with_image() -> bytes:
    """A PDF that draws an uncompressed image XObject (`/Subtype /Image`)."""
    objects = _page_objects(_DRAW_IMAGE + PAGE_TEXT, resources=b"/XObject << /Im1 6 0 R >> ")
    return _pdf(objects + [_image_xobject()])


def pdf_with_image_no_spaces() -> bytes:
    """The same, written `/Subtype/Image` with no space, as many writers do."""
    objects = _page_objects(_DRAW_IMAGE + PAGE_TEXT, resources=b"/XObject<</Im1 6 0 R>>")
    return _pdf(objects + [_image_xobject(b"/Type/XObject/Subtype/Image")])


def pdf_with_escaped_image_name() -> bytes:
    """An image whose subtype is spelt with a PDF name escape: `/Im#61ge` means `/Image`."""
    objects = _page_objects(_DRAW_IMAGE + PAGE_TEXT, resources=b"/XObject << /Im1 6 0 R >> ")
    return _pdf(objects + [_image_xobject(b"/Type /XObject /Subtype /Im#61ge")])


def pdf_with_jpeg() -> bytes:
    """A PDF with a JPEG image stream (`/DCTDecode`)."""
    objects = _page_objects(_DRAW_IMAGE + PAGE_TEXT, resources=b"/XObject << /Im1 6 0 R >> ")
    return _pdf(objects + [_image_xobject(b"/Type /XObject /Subtype /Image /Filter /DCTDecode", jpeg())])


def pdf_with_image_in_object_stream() -> bytes:
    """The image's `/Subtype` points at an `/Image` name kept in a compressed object stream.

    Nothing in the uncompressed bytes says "Image"; only unpacking the object stream shows it.
    """
    packed = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R "
        b"/Resources << /Font << /F1 4 0 R >> /XObject << /Im1 7 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"/Image",
    ]
    image = _image_xobject(b"/Type /XObject /Subtype 5 0 R /Filter /FlateDecode", zlib.compress(b"\xff\x00\x00"))
    return _pdf_with_object_stream(packed, _stream(b"", _DRAW_IMAGE + PAGE_TEXT), image)


def pdf_with_image_dict_in_object_stream() -> bytes:
    """An image dictionary written inside a Flate object stream (only visible once unpacked)."""
    packed = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 >>",
    ]
    return _pdf_with_object_stream(packed, _stream(b"", _DRAW_IMAGE + PAGE_TEXT))


def pdf_with_inline_image() -> bytes:
    """A compressed content stream that paints an inline image (`BI ... ID ... EI`)."""
    content = b"q 10 0 0 10 72 600 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q " + PAGE_TEXT
    return _pdf(_page_objects(zlib.compress(content), content_filter=b"/Filter /FlateDecode"))


def pdf_with_attachment() -> bytes:
    """A PDF carrying an embedded file (which could be anything, pictures included)."""
    objects = _page_objects(PAGE_TEXT)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.txt) 6 0 R] >> >> >>"
    objects.append(b"<< /Type /Filespec /F (a.txt) /EF << /F 7 0 R >> >>")
    objects.append(_stream(b"/Type /EmbeddedFile", b"hello"))
    return _pdf(objects)


def pdf_with_photo_between_objects() -> bytes:
    """A PDF with a whole JPEG lying between objects, where readers skip over it."""
    return _pdf(_page_objects(PAGE_TEXT), between=jpeg())


def pdf_encrypted() -> bytes:
    """A PDF with an /Encrypt dictionary: its streams cannot be read, so it cannot be checked."""
    objects = _page_objects(PAGE_TEXT)
    objects.append(b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>")
    return _pdf(objects, trailer=b"/Encrypt 6 0 R /ID [<00><00>] ")


def pdf_with_broken_stream() -> bytes:
    """A PDF whose Flate stream is not valid Flate data."""
    return _pdf(_page_objects(b"\x78\x9c this is not deflate data", content_filter=b"/Filter /FlateDecode"))


def pdf_with_truncated_stream() -> bytes:
    """A PDF whose Flate stream stops half-way."""
    return _pdf(_page_objects(zlib.compress(PAGE_TEXT * 20)[:40], content_filter=b"/Filter /FlateDecode"))


def pdf_with_lzw_stream() -> bytes:
    """A PDF using a filter Harbour does not unpack (LZW)."""
    return _pdf(_page_objects(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", content_filter=b"/Filter /LZWDecode"))


def pdf_with_predictor_content() -> bytes:
    """A content stream with a PNG predictor: after inflating, the bytes are still scrambled."""
    return _pdf(_page_objects(zlib.compress(b"\x00" + PAGE_TEXT),
                              content_filter=b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 90 >>"))


# --- Text --------------------------------------------------------------------------

WELSH_STATEMENT = (
    "Datganiad / Statement\n"
    "Dywedodd y disgybl wrtha i am negeseuon ar ei ffôn. Roedd hi'n poeni'n fawr. "
    "Ŵyr, ŷd, â, ê, î, ô, û. The pupil sent 🙂 and 💬 afterwards.\n"
)


def text_utf8() -> bytes:
    return WELSH_STATEMENT.encode("utf-8")


def text_utf8_with_bom() -> bytes:
    return b"\xef\xbb\xbf" + WELSH_STATEMENT.replace("\n", "\r\n").encode("utf-8")


def text_starting_like_magic() -> list:
    """Statements whose first letters look a little like file signatures, but are just words."""
    return [
        b"GIFT aid form was mentioned.\n",
        b"BMX track behind the school, 4pm.\n",
        b"RIFF-RAFF was the group chat's name.\n",
        b"PK told me first.\n",
        b"P7 pupils were present at break.\n",
        b"P3 2 4\nThe three of them said so.\n",
        b"ID badge was lost; BI weekly check done.\n",
        b"%PDFs were sent? No, only messages.\n",
    ]


# --- Catalogue ---------------------------------------------------------------------

REFUSED = {
    # name: (factory, category)
    "png": (png, "image"),
    "jpeg": (jpeg, "image"),
    "jpeg_exif": (jpeg_exif, "image"),
    "gif89a": (gif89a, "image"),
    "gif87a": (gif87a, "image"),
    "webp_lossless": (webp_lossless, "image"),
    "webp_lossy": (webp_lossy, "image"),
    "bmp": (bmp, "image"),
    "tiff_little_endian": (tiff_little_endian, "image"),
    "tiff_big_endian": (tiff_big_endian, "image"),
    "ico": (ico, "image"),
    "heic": (heic, "image"),
    "heif": (heif, "image"),
    "avif": (avif, "image"),
    "psd": (psd, "image"),
    "svg": (svg, "image"),
    "svg_with_declaration": (svg_with_declaration, "image"),
    "svg_with_bom_and_whitespace": (svg_with_bom_and_whitespace, "image"),
    "svg_with_namespace_prefix": (svg_with_namespace_prefix, "image"),
    "text_with_svg": (text_with_svg, "image"),
    "text_with_data_uri_image": (text_with_data_uri_image, "image"),
    "email_with_image_part": (email_with_image_part, "image"),
    "netpbm_plain": (netpbm_plain, "image"),
    "xpm": (xpm, "image"),
    "mp4": (mp4, "video"),
    "mov": (mov, "video"),
    "mov_without_ftyp": (mov_without_ftyp, "video"),
    "m4v": (m4v, "video"),
    "three_gp": (three_gp, "video"),
    "webm": (webm, "video"),
    "mkv": (mkv, "video"),
    "avi": (avi, "video"),
    "mpeg_ts": (mpeg_ts, "video"),
    "mpeg_ps": (mpeg_ps, "video"),
    "flv": (flv, "video"),
    "asf": (asf, "video"),
    "ogg": (ogg, "video"),
    "zip_with_photo": (zip_with_photo, "archive"),
    "zip_with_text": (zip_with_text, "archive"),
    "zip_empty": (zip_empty, "archive"),
    "xlsx_like": (xlsx_like, "archive"),
    "rar4": (rar4, "archive"),
    "rar5": (rar5, "archive"),
    "seven_zip": (seven_zip, "archive"),
    "gzip": (gzip_file, "archive"),
    "bzip2": (bzip2_file, "archive"),
    "xz": (xz_file, "archive"),
    "zstd": (zstd_file, "archive"),
    "tar_posix": (tar_posix, "archive"),
    "tar_gnu": (tar_gnu, "archive"),
    "docx_with_media": (docx_with_media, "document-with-images"),
    "docx_with_renamed_picture": (docx_with_renamed_picture, "document-with-images"),
    "docx_with_linked_picture": (docx_with_linked_picture, "document-with-images"),
    "docx_with_embedded_object": (docx_with_embedded_object, "document-with-images"),
    "docx_with_thumbnail": (docx_with_thumbnail, "document-with-images"),
    "docx_with_image_content_type": (docx_with_image_content_type, "document-with-images"),
    "docx_with_photo_appended": (docx_with_photo_appended, "unknown"),
    "docx_with_photo_in_comment": (docx_with_photo_in_comment, "unknown"),
    "docx_with_photo_in_gap": (docx_with_photo_in_gap, "unknown"),
    "docx_with_unlisted_entry": (docx_with_unlisted_entry, "unknown"),
    "docx_with_tail_after_deflate": (docx_with_tail_after_deflate, "unknown"),
    "pdf_with_image": (pdf_with_image, "document-with-images"),
    "pdf_with_image_no_spaces": (pdf_with_image_no_spaces, "document-with-images"),
    "pdf_with_escaped_image_name": (pdf_with_escaped_image_name, "document-with-images"),
    "pdf_with_jpeg": (pdf_with_jpeg, "document-with-images"),
    "pdf_with_image_in_object_stream": (pdf_with_image_in_object_stream, "document-with-images"),
    "pdf_with_image_dict_in_object_stream": (pdf_with_image_dict_in_object_stream, "document-with-images"),
    "pdf_with_inline_image": (pdf_with_inline_image, "document-with-images"),
    "pdf_with_attachment": (pdf_with_attachment, "document-with-images"),
    "pdf_with_photo_between_objects": (pdf_with_photo_between_objects, "document-with-images"),
    "pdf_encrypted": (pdf_encrypted, "unknown"),
    "pdf_with_broken_stream": (pdf_with_broken_stream, "unknown"),
    "pdf_with_truncated_stream": (pdf_with_truncated_stream, "unknown"),
    "pdf_with_lzw_stream": (pdf_with_lzw_stream, "unknown"),
    "pdf_with_predictor_content": (pdf_with_predictor_content, "unknown"),
}

ALLOWED = {
    # name: (factory, kind)
    "pdf_text": (pdf_text, "pdf"),
    "pdf_text_compressed": (pdf_text_compressed, "pdf"),
    "pdf_text_ascii85_flate": (pdf_text_ascii85_flate, "pdf"),
    "pdf_text_with_procset": (pdf_text_with_procset, "pdf"),
    "pdf_text_object_streams": (pdf_text_object_streams, "pdf"),
    "docx": (docx, "docx"),
    "docx_handmade": (docx_handmade, "docx"),
    "docx_with_data_descriptors": (docx_with_data_descriptors, "docx"),
    "text_utf8": (text_utf8, "text"),
    "text_utf8_with_bom": (text_utf8_with_bom, "text"),
}
