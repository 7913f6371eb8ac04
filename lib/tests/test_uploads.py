"""Rule A3 at the upload handler: uploads are held in memory only, never written to disk.

The tests post real multipart requests to a tiny view defined here (see `urlpatterns`)
and look for files appearing on disk while the request is being handled.
"""

import os
import tempfile

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopFutureHandlers
from django.http import JsonResponse
from django.urls import path

from lib.sniff import explanation
from lib.tests import samples
from lib.uploads import MAX_STATEMENT_BYTES, TOO_LARGE_VERDICT, StatementUpload, StatementUploadHandler, check_statement

pytestmark = pytest.mark.urls("lib.tests.test_uploads")
UPLOAD = "/upload/"
DJANGO_DEFAULT_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


def files_under(*folders):
    """Every file below the given folders (missing folders count as empty)."""
    found = set()
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            found |= {os.path.join(root, name) for name in names}
    return found


@login_not_required
def upload_view(request):
    """Report what arrived, and which files exist on disk while the request is still open."""
    files = []
    for field, uploads in request.FILES.lists():
        for upload in uploads:
            verdict = check_statement(upload)
            files.append({
                "field": field,
                "name": upload.name,
                "class": type(upload).__name__,
                "too_large": getattr(upload, "too_large", None),
                "size": upload.size,
                "kept": len(upload.read()),
                "allowed": verdict.allowed,
                "kind": verdict.kind,
                "category": verdict.category,
                "explanation": explanation(verdict),
            })
    on_disk = files_under(tempfile.gettempdir(), django_settings.MEDIA_ROOT)
    return JsonResponse({
        "fields": {key: request.POST.getlist(key) for key in request.POST},
        "files": files,
        "on_disk": sorted(on_disk),
    })


upload_view.mfa_required = False
urlpatterns = [path("upload/", upload_view)]


@pytest.fixture
def disk(settings, tmp_path, monkeypatch):
    """Harbour's handler installed, with MEDIA_ROOT and the temporary folder made private to this test.

    A private temporary folder means files made by other processes cannot disturb the
    before/after comparison, while anything this process writes through `tempfile`
    (as Django's disk handler does) lands where the test can see it.
    """
    settings.FILE_UPLOAD_HANDLERS = ["lib.uploads.StatementUploadHandler"]
    settings.FILE_UPLOAD_TEMP_DIR = None
    settings.MEDIA_ROOT = str(tmp_path / "media")
    os.makedirs(settings.MEDIA_ROOT)
    private_temp = tmp_path / "tmp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))
    assert tempfile.gettempdir() == str(private_temp)
    return [settings.MEDIA_ROOT, str(private_temp)]


def post(client, **fields):
    return client.post(UPLOAD, fields).json()


@pytest.mark.parametrize(
    ("factory", "category"),
    [
        (samples.jpeg, "image"),
        (samples.png, "image"),
        (samples.heic, "image"),
        (samples.svg, "image"),
        (samples.mp4, "video"),
        (samples.mov, "video"),
        (samples.zip_with_photo, "archive"),
        (samples.docx_with_media, "document-with-images"),
        (samples.pdf_with_image, "document-with-images"),
    ],
)
def test_r_a3_disguised_image_upload_is_refused_and_nothing_is_written(client, disk, factory, category):
    """A picture called statement.pdf and declared application/pdf is refused, and never reaches disk."""
    before = files_under(*disk)
    upload = SimpleUploadedFile("statement.pdf", factory(), content_type="application/pdf")
    result = post(client, summary="Pupil shared a photo", statement=upload)
    (received,) = result["files"]
    assert received["class"] == "StatementUpload"
    assert (received["allowed"], received["category"]) == (False, category)
    assert set(result["on_disk"]) - before == set()  # nothing even while the request was open
    assert files_under(*disk) - before == set()
    assert result["fields"] == {"summary": ["Pupil shared a photo"]}


def test_r_a3_the_disk_check_would_notice_django_writing_a_temporary_file(client, disk, settings):
    """Control: with Django's own handlers a small memory limit sends the upload to a temporary file,
    and the check above sees it. So its "nothing written" result means something."""
    settings.FILE_UPLOAD_HANDLERS = DJANGO_DEFAULT_HANDLERS
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    before = files_under(*disk)
    result = post(client, statement=SimpleUploadedFile("statement.pdf", samples.jpeg()))
    assert result["files"][0]["class"] == "TemporaryUploadedFile"
    assert len(set(result["on_disk"]) - before) == 1


def test_r_a3_harbour_handler_keeps_later_disk_handlers_away(client, disk, settings):
    """Even listed before Django's disk handler, Harbour's handler takes the file and nothing is written."""
    settings.FILE_UPLOAD_HANDLERS = ["lib.uploads.StatementUploadHandler", *DJANGO_DEFAULT_HANDLERS]
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    before = files_under(*disk)
    result = post(client, statement=SimpleUploadedFile("statement.pdf", samples.jpeg()))
    assert result["files"][0]["class"] == "StatementUpload"
    assert set(result["on_disk"]) - before == set()


def test_r_a3_written_statement_is_received_whole_in_memory(client, disk):
    before = files_under(*disk)
    content = samples.text_utf8()
    result = post(client, statement=SimpleUploadedFile("datganiad.txt", content, content_type="text/plain"))
    (received,) = result["files"]
    assert received["class"] == "StatementUpload" and received["too_large"] is False
    assert (received["allowed"], received["kind"], received["kept"]) == (True, "text", len(content))
    assert set(result["on_disk"]) - before == set()


def test_r_a3_too_large_upload_is_dropped_and_everything_typed_is_kept(client, disk):
    """Over the cap the file's bytes are let go as they arrive; fields before and after it survive,
    a second, small statement in the same request is still received, and the view can say "too large"."""
    before = files_under(*disk)
    result = post(
        client,
        summary="Typed before the file",
        statement=SimpleUploadedFile("huge.pdf", b"a" * (MAX_STATEMENT_BYTES + 1), content_type="application/pdf"),
        location="Typed after the file",
        second=SimpleUploadedFile("small.txt", b"A short statement.", content_type="text/plain"),
    )
    huge, small = result["files"]
    assert huge["too_large"] is True and huge["kept"] == 0 and huge["size"] == MAX_STATEMENT_BYTES + 1
    assert (huge["allowed"], huge["category"]) == (False, "too-large")
    assert "10 MB" in huge["explanation"] and "Everything else you typed has been kept" in huge["explanation"]
    assert small["allowed"] is True and small["kept"] == len(b"A short statement.")
    assert result["fields"] == {"summary": ["Typed before the file"], "location": ["Typed after the file"]}
    assert set(result["on_disk"]) - before == set()
    assert files_under(*disk) - before == set()


def test_r_a3_file_exactly_at_the_cap_is_kept(client, disk):
    result = post(client, statement=SimpleUploadedFile("long.txt", b"a" * MAX_STATEMENT_BYTES))
    (received,) = result["files"]
    assert received["too_large"] is False and received["kept"] == MAX_STATEMENT_BYTES
    assert received["allowed"] is True


def test_r_a3_declared_length_over_the_cap_is_refused_before_any_bytes_are_kept():
    """A part that announces its own size over the cap is marked too large from the start."""
    handler = StatementUploadHandler(request=None)
    with pytest.raises(StopFutureHandlers):
        handler.new_file("statement", "a.pdf", "application/pdf", MAX_STATEMENT_BYTES + 1)
    assert handler.receive_data_chunk(b"%PDF-1.7 ...", 0) is None
    upload = handler.file_complete(12)
    assert isinstance(upload, StatementUpload) and upload.too_large and upload.read() == b""
    assert check_statement(upload) == TOO_LARGE_VERDICT


def test_r_a3_handler_passes_no_bytes_on_to_other_handlers():
    handler = StatementUploadHandler(request=None)
    with pytest.raises(StopFutureHandlers):
        handler.new_file("statement", "a.txt", "text/plain", None)
    assert handler.receive_data_chunk(b"hello ", 0) is None
    assert handler.receive_data_chunk(b"there", 6) is None
    upload = handler.file_complete(11)
    assert upload.read() == b"hello there" and upload.size == 11 and not upload.too_large
