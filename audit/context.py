"""The request id of the request being served, for audit rows written deep in actions."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("harbour_request_id", default="")

# The records this request has already written a view or export event for, so that the safety net in
# `audit.middleware.RecordReadMiddleware` adds one only where a view did not.
records_read: ContextVar[frozenset] = ContextVar("harbour_records_read", default=frozenset())
