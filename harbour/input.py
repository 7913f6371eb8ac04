"""Two guards at the edge of the database, so that what a person types can never cause a server error.

1. `CleanInputMiddleware`: a NUL character (U+0000) has no meaning in anything typed, PostgreSQL refuses it
   in text and JSON, and SQLite would store it silently. It is removed from every submitted value; everything
   else typed is kept exactly. The API's body is left alone: it is JSON, read once by the API itself (which
   refuses NUL characters in its schemas), and reading it here as a form would leave nothing for the API.
2. `check_lengths` (a pre_save receiver): a value longer than its column allows is refused with a plain
   message naming the field, as the action's own error, so the page is shown again with everything typed
   (SQLite does not enforce lengths; PostgreSQL would fail the request).
"""

from functools import cache

from django.db import models
from django.http import QueryDict

API_PREFIX = "/api/"
APPS = {"accounts", "advice", "api", "cases", "concerns", "evidence", "imports", "notifications", "procedures",
        "records", "registers", "reports", "schools", "transfers"}


def _clean(query: QueryDict) -> QueryDict:
    if not any("\x00" in k or any("\x00" in v for v in vs) for k, vs in query.lists()):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    cleaned._mutable = False
    return cleaned


class CleanInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        request.GET = _clean(request.GET)
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                 "multipart/form-data"):
            request.POST = _clean(request.POST)
        return self.get_response(request)


@cache
def too_long_error():
    """One error that each app's views already catch and show beside the field."""
    from transfers.actions import TransferError
    from cases.actions.common import CaseError
    from records.actions import RecordsError
    from registers.actions import RegisterError

    return type("TooLong", (CaseError, RecordsError, TransferError, RegisterError), {})


def check_lengths(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in APPS:
        return
    errors = {}
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField) and field.max_length:
            value = getattr(instance, field.attname)
            if isinstance(value, str) and len(value) > field.max_length:
                errors[field.name] = (f"{str(field.verbose_name).capitalize()} is too long: keep it to "
                                      f"{field.max_length:,} characters (it has {len(value):,}).")
    if errors:
        raise too_long_error()(errors)
