"""Minimal but genuine samples of every format rule A3 cares about, built in code.

No binary fixtures are committed: each function returns the bytes of a tiny file
with a real header (valid PNG CRCs, a readable ZIP, a PDF with a correct xref...),
so the tests exercise the same opening bytes a real upload would have.
"""


from lib.tests.samples.archives import *  # noqa: F403 - the package re-exports every sample
from lib.tests.samples.docx import *  # noqa: F403 - the package re-exports every sample
from lib.tests.samples.encoded import *  # noqa: F403 - the package re-exports every sample
from lib.tests.samples.images import *  # noqa: F403 - the package re-exports every sample
from lib.tests.samples.pdf import *  # noqa: F403 - the package re-exports every sample
from lib.tests.samples.pdf import _page_objects, _pdf  # noqa: F401  (for tests that build their own PDF)
from lib.tests.samples.text import *  # noqa: F403 - the package re-exports every sample
from lib.tests.samples.video import *  # noqa: F403 - the package re-exports every sample

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
    # Issue 17: pictures written as text, text picture formats, emails, and what hides in Word and PDF files.
    "text_with_base64_jpeg": (text_with_base64_jpeg, "image"),
    "text_with_data_uri_octet_stream": (text_with_data_uri_octet_stream, "image"),
    "text_with_hex_dump_png": (text_with_hex_dump_png, "image"),
    "text_with_mime_part_jpeg": (text_with_mime_part_jpeg, "image"),
    "text_with_tiff_header_only": (text_with_tiff_header_only, "image"),
    "email_with_octet_stream_jpeg": (email_with_octet_stream_jpeg, "image"),
    "fits_ascii": (fits_ascii, "image"),
    "radiance_hdr": (radiance_hdr, "image"),
    "pgm_binary_with_ascii_pixels": (pgm_binary_with_ascii_pixels, "image"),
    "pam": (pam, "image"),
    "xbm": (xbm, "image"),
    "xpm2": (xpm2, "image"),
    "docx_with_afchunk_mht": (docx_with_afchunk_mht, "document-with-images"),
    "docx_with_base64_picture_in_text": (docx_with_base64_picture_in_text, "image"),
    "docx_with_unreferenced_part": (docx_with_unreferenced_part, "document-with-images"),
    "pdf_with_inline_image_no_space": (pdf_with_inline_image_no_space, "document-with-images"),
    "pdf_with_inline_image_after_comment": (pdf_with_inline_image_after_comment, "document-with-images"),
    "pdf_with_inline_image_padded": (pdf_with_inline_image_padded, "document-with-images"),
    "pdf_with_base64_picture_in_text": (pdf_with_base64_picture_in_text, "image"),
    "pdf_with_unparsable_content": (pdf_with_unparsable_content, "unknown"),
}

# The files rule A3 names outright: every picture, video and archive sample (the probe writes each as text).
MEDIA = {name: factory for name, (factory, category) in REFUSED.items()
         if category in ("image", "video", "archive") and not name.startswith(("text_with_", "email_with_"))
         and name not in ENCODED_SAMPLES}

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
