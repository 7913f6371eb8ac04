"""Samples for rule A3: PDF."""

import struct
import zlib

from lib.tests.samples.images import jpeg

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


_INLINE = b"q 10 0 0 10 72 600 cm BI /W 1 /H 1 /BPC 8 /CS /RGB /D [0 1]ID \xff\x00\x00 EI Q "


def pdf_with_inline_image_no_space() -> bytes:
    """An inline image written `/D [0 1]ID`, with no space before ID (issue 17)."""
    return _pdf(_page_objects(_INLINE.replace(b"]ID ", b"]ID\n") + PAGE_TEXT))


def pdf_with_inline_image_after_comment() -> bytes:
    """An inline image with a comment straight after BI."""
    return _pdf(_page_objects(_INLINE.replace(b"BI /W", b"BI%a comment\n/W") + PAGE_TEXT))


def pdf_with_inline_image_padded() -> bytes:
    """An inline image whose dictionary is padded past 4,096 bytes, compressed as writers do."""
    padded = _INLINE.replace(b"/W 1", b"/W 1 " + b"/Pad 0 " * 800)
    return _pdf(_page_objects(zlib.compress(padded + PAGE_TEXT), content_filter=b"/Filter /FlateDecode"))


def pdf_with_base64_picture_in_text() -> bytes:
    """A PDF whose words are a JPEG written as base64, one line of 76 characters per Tj."""
    import base64

    encoded = base64.b64encode(jpeg())
    lines = b" ".join(b"(" + encoded[i: i + 76] + b") Tj T*" for i in range(0, len(encoded), 76))
    content = b"BT /F1 8 Tf 12 TL 72 770 Td (The picture was:) Tj T* " + lines + b" ET"
    return _pdf(_page_objects(zlib.compress(content), content_filter=b"/Filter /FlateDecode"))


def pdf_with_unparsable_content() -> bytes:
    """A content stream that is not PDF syntax (an unclosed string): it cannot be checked."""
    return _pdf(_page_objects(b"BT /F1 12 Tf (never closed Tj ET"))
