"""The request id of the request being served, for audit rows written deep in actions (and log lines)."""

from contextvars import ContextVar

from lib.logs import request_id  # noqa: F401 - one id for the audit rows and the log lines of a request

# The records this request has already written a view or export event for, so that the safety net in
# `audit.middleware.RecordReadMiddleware` adds one only where a view did not.
records_read: ContextVar[frozenset] = ContextVar("harbour_records_read", default=frozenset())
