import uuid

from audit import context


class RequestIdMiddleware:
    """Give each request an id, echoed in a header and stamped on its audit rows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = context.request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
