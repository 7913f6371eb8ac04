"""What one form may send, measured: the limits are in settings (`HARBOUR_MAX_TEXT_BYTES`, `HARBOUR_MAX_FILES`),
and Django's hard caps past which it stops reading are four times as much. Plain helpers: what Harbour does with a
form that is too large is in harbour/limits.py (the middleware and the "too large" page).

A view that shows its form again with everything typed, saying what was too large, is marked
`@shows_its_form_when_too_large` and reads `request.too_large`.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent

HARD_CAPS = (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent)


class TooLarge(NamedTuple):
    what: str  # "text", "files" or "fields"
    sentence: str


def megabytes(n):
    """2.5 MB, 10 MB; under a megabyte (only ever in tests) in kilobytes."""
    if n < 1024 * 1024:
        return f"{n // 1024} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")


def measure(request):
    """What in this POST is over the limits ([TooLarge]); empty when nothing is."""
    if request.method != "POST":
        return []
    text = sum(len(key.encode()) + sum(len(v.encode()) for v in values) for key, values in request.POST.lists())
    files = sum(len(values) for _, values in request.FILES.lists())
    too_large = []
    if text > settings.HARBOUR_MAX_TEXT_BYTES:
        too_large.append(TooLarge("text", f"The writing came to {megabytes(text)}. Harbour takes up to "
                                          f"{megabytes(settings.HARBOUR_MAX_TEXT_BYTES)} at a time."))
    if files > settings.HARBOUR_MAX_FILES:
        too_large.append(TooLarge("files", f"{files} files were attached. Harbour takes up to "
                                           f"{settings.HARBOUR_MAX_FILES} at a time."))
    return too_large


def beyond_the_caps(exception):
    """What was too large, for one of Django's hard caps."""
    if isinstance(exception, TooManyFilesSent):
        return TooLarge("files", f"More than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files were attached. Harbour "
                                 f"takes up to {settings.HARBOUR_MAX_FILES} at a time.")
    if isinstance(exception, TooManyFieldsSent):
        return TooLarge("fields", f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} answers.")
    return TooLarge("text", f"The writing came to more than {megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}. "
                            f"Harbour takes up to {megabytes(settings.HARBOUR_MAX_TEXT_BYTES)} at a time.")


def shows_its_form_when_too_large(view):
    """Mark a view that reads `request.too_large` and shows its form again with everything typed."""
    view.shows_its_form_when_too_large = True
    return view
