"""The request id of the request being served, for audit rows written deep in actions."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("harbour_request_id", default="")
