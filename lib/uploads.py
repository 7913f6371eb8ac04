"""Receive uploaded statements in memory only, and check them before anything keeps them (rule A3).

Django's default handlers spill larger uploads to a temporary file on disk. For a
file that may turn out to be a picture of a child, even a temporary copy on disk is
a copy, so Harbour installs `StatementUploadHandler` alone:

    FILE_UPLOAD_HANDLERS = ["lib.uploads.StatementUploadHandler"]

A file over `MAX_STATEMENT_BYTES` is not collected: its bytes are dropped as they
arrive, the rest of the form is parsed as usual, and the view receives a
`StatementUpload` with `too_large=True` and no content, so it can say "too large"
while keeping everything else the person typed. `check_statement` turns any
uploaded file into a `Verdict`.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers

from lib.sniff import TOO_LARGE, Verdict, classify, explanation

__all__ = [
    "MAX_STATEMENT_BYTES",
    "StatementUpload",
    "StatementUploadHandler",
    "TOO_LARGE_VERDICT",
    "check_statement",
    "explanation",
]

MAX_STATEMENT_BYTES = 10 * 1024 * 1024
TOO_LARGE_VERDICT = Verdict(False, TOO_LARGE, TOO_LARGE)


class StatementUpload(InMemoryUploadedFile):
    """An uploaded file held in memory. `too_large` means its bytes were dropped at the cap.

    A too-large upload keeps its name and reports the size that was sent (so a form's
    FileField does not call it "empty"), but reading it gives no bytes.
    """

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large


class StatementUploadHandler(FileUploadHandler):
    """Collect each uploaded file in memory, up to `MAX_STATEMENT_BYTES`, and never on disk.

    Why a handler rather than a check in the view: by the time a view runs, Django's
    default handlers may already have written the upload to a temporary file.
    """

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        """Start a file afresh; stop any later handler (such as a disk one) from seeing it."""
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.buffer = io.BytesIO()
        self.too_large = content_length is not None and content_length > MAX_STATEMENT_BYTES
        # Past the number of files one form may send, none is held: the form is refused (harbour/limits.py).
        self.files = getattr(self, "files", 0) + 1
        if self.files > settings.HARBOUR_MAX_FILES:
            self.too_large = True
        self.received = 0
        raise StopFutureHandlers()

    def receive_data_chunk(self, raw_data, start):
        """Keep the chunk unless the file has passed the cap; past it, drop what was kept.

        Returns None so no other handler receives the bytes.
        """
        self.received += len(raw_data)
        if not self.too_large and self.received > MAX_STATEMENT_BYTES:
            self.too_large = True
            self.buffer = io.BytesIO()  # let go of the part already held
        if not self.too_large:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        """Hand the view a `StatementUpload`: the bytes, or nothing but `too_large=True`."""
        content = io.BytesIO() if self.too_large else self.buffer
        content.seek(0)
        self.buffer = None
        return StatementUpload(
            file=content,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
            too_large=self.too_large,
        )

    def upload_interrupted(self):
        """Let go of anything held if the upload breaks off."""
        self.buffer = None


def check_statement(uploaded_file) -> Verdict:
    """Classify an uploaded file by its bytes (rule A3); its name and declared type are ignored.

    Why it reads at most the cap plus one byte: that is enough to tell "too large"
    from a statement, whichever handler produced the file.
    """
    if getattr(uploaded_file, "too_large", False) or (uploaded_file.size or 0) > MAX_STATEMENT_BYTES:
        return TOO_LARGE_VERDICT
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_STATEMENT_BYTES + 1)
    uploaded_file.seek(0)
    if len(data) > MAX_STATEMENT_BYTES:
        return TOO_LARGE_VERDICT
    return classify(data)
