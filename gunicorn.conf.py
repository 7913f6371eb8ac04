"""gunicorn's settings for Harbour. gunicorn reads this file from the folder it is started in (the checkout), so
`make run`, a production `gunicorn harbour.wsgi` and the test and bench harnesses all use it.

Logs never carry what a person typed (issue 17.3). The access log, when it is on (`--access-logfile`), names the
client, method, path, status, size, time taken and the request id (which ties the line to the audit trail), and
never the query string, the referring page or the browser. Every line gunicorn writes has query strings taken out,
and exception messages unless HARBOUR_LOG_EXCEPTION_DETAIL=1 (lib/logs.py). Lines are JSON, one event a line, like
Django's (HARBOUR_LOG_FORMAT=text for plain lines).
"""

import os
import sys

from gunicorn.glogging import Logger

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # harbour/, before gunicorn changes directory

from lib.logs import WithholdExceptionDetail, WithholdQueryStrings, formatter  # noqa: E402 - needs the path above

# Used only with HARBOUR_LOG_FORMAT=text; the JSON lines carry the same fields by name.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'


def _log_format():
    return os.environ.get("HARBOUR_LOG_FORMAT", "json")


class HarbourLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        filters = [WithholdQueryStrings()]
        if os.environ.get("HARBOUR_LOG_EXCEPTION_DETAIL", "").lower() not in ("1", "true", "yes", "on"):
            filters.append(WithholdExceptionDetail())
        for log in (self.error_log, self.access_log):
            for old in [f for f in log.filters if isinstance(f, (WithholdQueryStrings, WithholdExceptionDetail))]:
                log.removeFilter(old)  # a configuration reload runs setup again
            for f in filters:
                log.addFilter(f)
            if _log_format() == "json":
                for handler in log.handlers:
                    handler.setFormatter(formatter("json"))

    def access(self, resp, req, environ, request_time):
        if _log_format() != "json":
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "client": atoms["h"], "method": atoms["m"], "path": atoms["U"], "protocol": atoms["H"],
            "status": int(atoms["s"]), "bytes": atoms["B"] or 0, "duration_ms": atoms["M"],
            "request_id": atoms.get("{x-request-id}o") or "",
        }
        try:
            self.access_log.info("%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields)
        except Exception:
            self.error("the access log line could not be written")


logger_class = HarbourLogger
