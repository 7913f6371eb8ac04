"""Rule A3: Harbour never accepts an image, a video or an archive, and decides by content alone."""

import atexit
import random
import shutil
import tempfile
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from lib.sniff import Verdict, classify, explanation
from lib.sniff.verdict import _MAX_UNPACKED
from lib.tests import samples
from lib.uploads import MAX_STATEMENT_BYTES, TOO_LARGE_VERDICT, check_statement

# Hypothesis keeps scratch files in ./.hypothesis by default; keep them out of the project tree.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="harbour-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

REFUSED = sorted(samples.REFUSED.items())
ALLOWED = sorted(samples.ALLOWED.items())

# Opening bytes of formats that must never get through, whatever follows them.
MAGIC_PREFIXES = [
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"RIFF\x24\x00\x00\x00WEBP",
    b"RIFF\x24\x00\x00\x00AVI ",
    b"BM\x3a\x00\x00\x00\x00\x00\x00\x00",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00\x01\x00",
    b"8BPS",
    b"\x00\x00\x00\x18ftypheic",
    b"\x00\x00\x00\x18ftypmif1",
    b"\x00\x00\x00\x1cftypavif",
    b"\x00\x00\x00\x20ftypisom",
    b"\x00\x00\x00\x14ftypqt  ",
    b"\x00\x00\x00\x6cmoov",
    b"\x1a\x45\xdf\xa3",
    b"\x00\x00\x01\xba",
    b"FLV\x01",
    b"OggS",
    b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!\x1a\x07\x00",
    b"Rar!\x1a\x07\x01\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b\x08",
    b"BZh91AY&SY",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
]


# --- Refused by content --------------------------------------------------------------


@pytest.mark.parametrize(("name", "sample"), REFUSED, ids=[name for name, _ in REFUSED])
def test_r_a3_refuses_by_content(name, sample):
    """Every image, video, archive and picture-carrying document is refused, in the right category."""
    factory, category = sample
    verdict = classify(factory())
    assert not verdict.allowed and verdict.category == category


@pytest.mark.parametrize(("name", "sample"), REFUSED, ids=[name for name, _ in REFUSED])
def test_r_a3_refuses_disguised_upload(name, sample):
    """A refused file stays refused when it arrives called statement.pdf and declared as application/pdf."""
    factory, category = sample
    upload = SimpleUploadedFile("statement.pdf", factory(), content_type="application/pdf")
    verdict = check_statement(upload)
    assert not verdict.allowed
    assert verdict.category == category


@pytest.mark.parametrize(
    ("factory", "kind"),
    [
        (samples.png, "png"), (samples.jpeg, "jpeg"), (samples.gif89a, "gif"), (samples.webp_lossy, "webp"),
        (samples.bmp, "bmp"), (samples.tiff_big_endian, "tiff"), (samples.ico, "ico"), (samples.heic, "heic"),
        (samples.avif, "avif"), (samples.svg, "svg"), (samples.mp4, "mp4"), (samples.mov, "mov"),
        (samples.webm, "webm"), (samples.mkv, "matroska"), (samples.avi, "avi"), (samples.zip_with_photo, "zip"),
        (samples.rar5, "rar"), (samples.seven_zip, "7z"), (samples.gzip_file, "gzip"), (samples.tar_posix, "tar"),
        (samples.docx_with_media, "docx-with-images"), (samples.pdf_with_image, "pdf-with-images"),
        (samples.pdf_encrypted, "pdf-encrypted"), (samples.pdf_with_broken_stream, "pdf-unreadable"),
    ],
)
def test_r_a3_names_what_it_refused(factory, kind):
    """The verdict names the format, which helps whoever reads the audit trail."""
    assert classify(factory()).kind == kind


def test_r_a3_image_in_object_stream_is_found_only_by_unpacking():
    """The object-stream sample really does hide its image: nothing uncompressed mentions it."""
    data = samples.pdf_with_image_in_object_stream()
    assert b"Image" not in data and b"\xff\xd8" not in data
    assert classify(data).kind == "pdf-with-images"


def test_r_a3_refuses_empty_file():
    """An empty file (or one of only whitespace) is not a statement."""
    for data in (b"", b"   \r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n"):
        assert classify(data) == Verdict(False, "empty", "unknown")


@pytest.mark.parametrize(
    "data",
    [b"\x00" * 64, bytes(range(256)), b"MZ\x90\x00\x03\x00\x00\x00", "Ol\u00e1".encode("utf-16"),
     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, b"{\\rtf1\\ansi hello}", b"%!PS-Adobe-3.0\n"],
)
def test_r_a3_refuses_unrecognised_content(data):
    """Anything that is not a recognisable statement (executables, UTF-16, old Office, RTF...) is refused."""
    verdict = classify(data)
    assert not verdict.allowed
    assert verdict.category == "unknown"


def test_r_a3_never_takes_anything_but_bytes():
    """Wrong input types are refused, not crashed on."""
    for value in (None, "text", 12, 10**12, [b"a"]):
        assert classify(value) == Verdict(False, "unknown", "unknown")


# --- Allowed statements ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "sample"), ALLOWED, ids=[name for name, _ in ALLOWED])
def test_r_a3_allows_written_statements(name, sample):
    """Text PDFs, Word documents without pictures and UTF-8 text are accepted."""
    factory, kind = sample
    assert classify(factory()) == Verdict(True, kind, "statement")


@pytest.mark.parametrize("data", samples.text_starting_like_magic())
def test_r_a3_allows_statements_that_only_look_like_signatures(data):
    """Short, weak signatures are not enough to turn an ordinary sentence away."""
    assert classify(data) == Verdict(True, "text", "statement")


def test_r_a3_allows_welsh_and_emoji_text():
    verdict = check_statement(SimpleUploadedFile("datganiad.txt", samples.text_utf8(), content_type="text/plain"))
    assert verdict == Verdict(True, "text", "statement")


def test_r_a3_check_statement_ignores_the_name_for_allowed_files_too():
    """A real statement is accepted even with a misleading name and type."""
    upload = SimpleUploadedFile("holiday.jpg", samples.pdf_text(), content_type="image/jpeg")
    assert check_statement(upload) == Verdict(True, "pdf", "statement")


def test_r_a3_check_statement_leaves_the_file_readable():
    upload = SimpleUploadedFile("s.txt", samples.text_utf8())
    check_statement(upload)
    assert upload.read() == samples.text_utf8()


def test_r_a3_check_statement_refuses_oversized_file_from_any_handler():
    """A file bigger than the cap is refused as too large, whichever handler produced it."""
    upload = SimpleUploadedFile("big.txt", b"a" * (MAX_STATEMENT_BYTES + 1))
    assert check_statement(upload) == TOO_LARGE_VERDICT


# --- Robustness --------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_r_a3_classify_never_raises(data):
    """Arbitrary bytes always produce a Verdict."""
    assert isinstance(classify(data), Verdict)


PARSER_PREFIXES = [b"%PDF-1.7\n", b"PK\x03\x04", b"\x00\x00\x00\x18ftyp", b"RIFF", b"<svg"]


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(PARSER_PREFIXES), st.binary(max_size=2048))
def test_r_a3_classify_never_raises_inside_pdf_and_zip_parsers(prefix, data):
    """Garbage that reaches the PDF and ZIP parsers still yields a Verdict."""
    assert isinstance(classify(prefix + data), Verdict)


@settings(max_examples=600, deadline=None, database=None)
@given(st.sampled_from(MAGIC_PREFIXES), st.binary(max_size=1024))
def test_r_a3_never_allows_media_or_archive_magic(prefix, rest):
    """Whatever follows an image, video or archive signature, the file is refused."""
    assert not classify(prefix + rest).allowed


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(min_size=257, max_size=600), st.binary(max_size=256))
def test_r_a3_never_allows_tar(head, rest):
    """A tar archive is recognised by `ustar` at byte 257, whatever comes before."""
    assert not classify(head[:257] + b"ustar\x00" + rest).allowed


@settings(max_examples=200, deadline=None, database=None)
@given(st.sampled_from(sorted(samples.REFUSED)), st.data())
def test_r_a3_damaged_samples_never_raise(name, data):
    """Refused samples with bytes flipped or cut short are still judged without raising."""
    original = bytearray(samples.REFUSED[name][0]())
    for _ in range(data.draw(st.integers(0, 4))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(original)))
    assert isinstance(classify(bytes(original[:cut])), Verdict)


@pytest.mark.parametrize(
    "name",
    ["png", "jpeg", "gif89a", "webp_lossy", "bmp", "heic", "mp4", "mov", "webm", "avi", "rar5", "seven_zip",
     "gzip", "xz", "zstd", "bzip2", "zip_with_photo"],
)
def test_r_a3_media_with_text_appended_is_still_refused(name):
    """A picture with a written statement tacked on the end is still a picture."""
    data = samples.REFUSED[name][0]() + samples.text_utf8()
    assert not classify(data).allowed


def test_r_a3_text_before_an_image_pdf_is_checked_as_a_pdf():
    """PDF readers skip junk before `%PDF-`, so a file with text before a PDF is checked as that PDF."""
    data = b"Please see attached.\n" + samples.pdf_with_image()
    assert classify(data).category == "document-with-images"


def test_r_a3_classify_judges_large_inputs():
    """Ten megabytes of anything gets a verdict. How long it takes is printed as a figure, not asserted
    (performance is measured, never a timed assertion)."""
    from tests.figures import report

    rng = random.Random(3)
    inputs = [
        rng.randbytes(10 * 1024 * 1024),
        ("Statement line with Welsh ŵ and emoji 🙂.\n" * 200_000).encode(),
        samples.pdf_text()[:-6] + rng.randbytes(5 * 1024 * 1024),
        b"PK\x03\x04" + rng.randbytes(10 * 1024 * 1024),
    ]
    slowest = 0.0
    for data in inputs:
        started = time.perf_counter()
        assert classify(data).category
        slowest = max(slowest, time.perf_counter() - started)
    report("content sniffing", f"slowest verdict on a 5–10 MB input: {slowest * 1000:.0f} ms")


def test_r_a3_refuses_decompression_bomb_in_pdf():
    """A small stream that unpacks beyond the budget cannot be checked, so it is refused."""
    bomb = zlib.compress(b" " * (_MAX_UNPACKED + 1024), 9)
    data = samples._pdf(samples._page_objects(bomb, content_filter=b"/Filter /FlateDecode"))
    assert classify(data) == Verdict(False, "pdf-unreadable", "unknown")


# --- Words for staff --------------------------------------------------------------------


def test_r_a3_explanations_differ_by_category():
    categories = ["statement", "image", "video", "archive", "document-with-images", "unknown", "too-large"]
    texts = {category: explanation(Verdict(category == "statement", "x", category)) for category in categories}
    assert len(set(texts.values())) == len(categories)


def test_r_a3_picture_explanation_says_what_to_do_instead():
    text = explanation(classify(samples.jpeg()))
    for phrase in ("cannot accept", "describe in words", "flight mode", "Everything else you typed has been kept"):
        assert phrase in text
    assert "video" in explanation(classify(samples.mp4()))


def test_r_a3_other_explanations():
    assert "archive" in explanation(classify(samples.zip_with_photo()))
    assert "remove the pictures" in explanation(classify(samples.docx_with_media()))
    assert "PDF, a Word document (.docx) or plain text" in explanation(classify(b"\x00\x01binary"))
    assert "could not check" in explanation(classify(samples.pdf_encrypted()))
    assert "empty" in explanation(classify(b""))
    assert f"{MAX_STATEMENT_BYTES // (1024 * 1024)} MB" in explanation(TOO_LARGE_VERDICT)


def test_r_a3_explanations_are_calm_uk_english():
    texts = [explanation(Verdict(False, "x", c)) for c in ("image", "video", "archive", "document-with-images",
                                                           "unknown", "too-large")]
    for text in texts:
        assert "!" not in text
        for american in ("color", "organization", "recognize", "favor"):
            assert american not in text.lower()
        for blame in ("you should not have", "illegal", "your fault"):
            assert blame not in text.lower()
