"""What reaches the server's log never names a child (issues 8.6 and 17.3).

An exception's message can carry the data it was handling: a database error quoting the value it refused, a
template error quoting the text it was rendering. `WithholdExceptionDetail` keeps the traceback — the files,
lines and functions, which are code — and replaces each exception's message with a note, so a log line can
be shared with a developer or a hosting company. Set HARBOUR_LOG_EXCEPTION_DETAIL=1 on a developer's machine
to see messages in full.

An address's query string can carry what someone typed. Harbour's own searches never put words in an address
(lib/searches.py), but anyone can type one, so `WithholdQueryStrings` takes the query string out of every
address in a log line: Django's own request lines name the path only already, and gunicorn's access log is
written without it (gunicorn.conf.py), so this is the net under both.

Each event is written as one line of JSON (`JsonLines`) with the request id, so that a log collector can read it
and an operator can find the audit events of the same request; HARBOUR_LOG_FORMAT=text writes plain lines instead.
"""

import json
import logging
import re
import traceback
from contextvars import ContextVar
from datetime import datetime, timezone

WITHHELD = "[message withheld from the log: it may contain personal data; see the request id]"


def _withhold(te, seen):
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te._str = WITHHELD
    _withhold(te.__cause__, seen)
    _withhold(te.__context__, seen)


def redacted_traceback(exc_info) -> str:
    te = traceback.TracebackException(*exc_info)
    _withhold(te, set())
    return "".join(te.format()).rstrip("\n")


class WithholdExceptionDetail(logging.Filter):
    def filter(self, record):
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redacted_traceback(record.exc_info)
        return True


# An address (something with a "/" in it) followed by "?" and its query string, up to a space or a quote.
QUERY_STRING = re.compile(r"""(/[^\s?"'<>]*)\?[^\s"'<>]+""")


class WithholdQueryStrings(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if "?" in message:
            cleaned = QUERY_STRING.sub(r"\1?[query withheld]", message)
            if cleaned != message:
                record.msg, record.args = cleaned, ()
        return True


# --- One JSON object a line (issue 21.6) -----------------------------------------------------------------------
# The request being served, set by audit.middleware.RequestIdMiddleware (audit.context re-exports it). It lives
# here, at the bottom of the layers, so that every log line can carry it without lib importing audit.
request_id: ContextVar[str] = ContextVar("harbour_request_id", default="")

# What a line may carry besides its message: gunicorn's access log passes these (gunicorn.conf.py).
FIELDS = ("client", "method", "path", "protocol", "status", "bytes", "duration_ms")


class JsonLines(logging.Formatter):
    """Each event as one line of JSON: time (UTC), level, logger, message, the request id that ties it to the audit
    trail, and the traceback if there is one. The filters above have already withheld query strings and exception
    messages, so what they leave is what is written; a traceback stays on the one line, its line breaks escaped."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django logs a request's 4xx and 5xx after the middleware has finished with it: the request is on the record.
        rid = (getattr(record, "request_id", None) or getattr(getattr(record, "request", None), "request_id", None)
               or request_id.get())
        if rid:
            line["request_id"] = rid
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def formatter(log_format):
    """The formatter for HARBOUR_LOG_FORMAT: "json" (the default, for a server) or "text" (for a developer)."""
    if log_format == "text":
        return logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    return JsonLines()
