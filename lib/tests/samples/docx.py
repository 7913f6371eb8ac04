"""Samples for rule A3: Word documents."""

import io
import struct
import zipfile
import zlib

from lib.tests.samples.archives import _zip
from lib.tests.samples.images import jpeg, png

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


def xlsx_like() -> bytes:
    """An Office package that is not Word: still an archive as far as rule A3 goes."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES.encode(), "xl/workbook.xml": b"<workbook/>"})


def docx_with_afchunk_mht() -> bytes:
    """A .docx carrying an unreferenced `word/afchunk.mht` whose MIME part is a picture (issue 17)."""
    mht = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n"
           b"Content-Location: file:///C:/pic.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + __import__("base64").b64encode(jpeg()) + b"\r\n--b--\r\n")
    parts = docx_parts()
    parts["word/afchunk.mht"] = mht
    return _zip(parts)


def docx_with_base64_picture_in_text() -> bytes:
    """A .docx whose words are a JPEG written as base64, split across runs as Word does."""
    import base64

    encoded = base64.b64encode(jpeg()).decode()
    runs = "".join(f"<w:r><w:t>{encoded[i: i + 40]}</w:t></w:r>" for i in range(0, len(encoded), 40))
    return _zip(docx_parts(extra=f"<w:p><w:r><w:t>The picture was: </w:t></w:r>{runs}</w:p>"))


def docx_with_unreferenced_part() -> bytes:
    """A .docx with a footnotes part that nothing refers to: Word never shows it, so it is only a hiding place."""
    parts = docx_parts()
    parts["word/footnotes.xml"] = b'<?xml version="1.0"?><w:footnotes xmlns:w="x"/>'
    return _zip(parts)
