"""`CleanInputMiddleware`: so that what a person types can never cause a server error at the database.

A NUL character (U+0000) has no meaning in anything typed, PostgreSQL refuses it in text and JSON, and SQLite
would store it silently. It is removed from every submitted value; everything else typed is kept exactly. The
API's body is left alone: it is JSON, read once by the API itself (which refuses NUL characters in its schemas),
and reading it here as a form would leave nothing for the API.

A value longer than its column is refused by the form that reads it (`lib.forms`), beside its box.
"""

from django.http import QueryDict

API_PREFIX = "/api/"


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

