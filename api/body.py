"""What the API reads from a request body: JSON, sent as JSON, and not too much of it.

A form (`multipart/form-data`, `application/x-www-form-urlencoded`) or JSON sent as `text/plain` is refused
with 415 before it is parsed; a body over `HARBOUR_MAX_TEXT_BYTES` with 413. Ninja turns any error of its parser
into "Cannot parse request body" (400), so the refusal travels as that error's cause and the API's error handler
answers with it (`api.endpoints`).
"""

import json

from django.conf import settings
from ninja.parser import Parser

from lib.limits import megabytes

JSON = "application/json"


class BodyRefused(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def too_large():
    return BodyRefused(413, f"The body is too large. Send at most {megabytes(settings.HARBOUR_MAX_TEXT_BYTES)} of "
                            f"JSON.")


class JsonOnly(Parser):
    def parse_body(self, request):
        if request.content_type != JSON:
            sent = (request.content_type or "no content type")[:80]
            raise BodyRefused(415, f"Send the body as JSON, with 'Content-Type: {JSON}' (this was {sent}).")
        if len(request.body) > settings.HARBOUR_MAX_TEXT_BYTES:
            raise too_large()
        return json.loads(request.body)
