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
"""

import logging
import re
import traceback

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
