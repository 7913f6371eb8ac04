"""Log lines for an operator (issue 21.6): one JSON object a line, with the request id that ties it to the audit
trail, and never a query string or an exception's message (issues 8.6 and 17.3)."""

import io
import json
import logging

import pytest

from lib.logs import JsonLines, WITHHELD


@pytest.fixture
def console():
    """What the console handler of settings.LOGGING writes, at every level."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if type(h) is logging.StreamHandler]
    assert handlers, "the console log handler of settings.LOGGING"
    stream, level = io.StringIO(), root.level
    previous = [h.setStream(stream) for h in handlers]
    root.setLevel(logging.INFO)
    yield stream
    root.setLevel(level)
    for handler, old in zip(handlers, previous):
        handler.setStream(old)


def lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_the_console_handler_writes_json_lines():
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    assert isinstance(handler.formatter, JsonLines)


@pytest.mark.django_db
def test_a_request_logs_valid_json_with_its_request_id_and_no_query_string(client, console):
    response = client.get("/no-such-page/?name=Canary%20Fernsby&q=canary-7f3a9")
    assert response.status_code == 404
    events = lines(console)
    assert events, "Django logs a page not found"
    for event in events:
        assert event["request_id"] == response["X-Request-ID"]
        assert {"time", "level", "logger", "message"} <= event.keys()
    text = console.getvalue()
    assert "?" not in text and "Canary" not in text and "canary-7f3a9" not in text
    assert any(e["logger"] == "django.request" and e["message"].startswith("Not Found: /no-such-page/")
               for e in events)


def test_an_address_in_a_message_loses_its_query_string(console):
    logging.getLogger("harbour.test").warning("fetched %s", "/pupils/?q=Canary+Fernsby")
    (event,) = lines(console)
    assert event["message"] == "fetched /pupils/?[query withheld]"
    assert event["level"] == "warning" and "request_id" not in event  # no request being served


def test_an_exception_keeps_its_traceback_on_one_line_without_its_message(console):
    what_was_typed = "Canary Fernsby said something"  # not on the line the traceback quotes
    try:
        raise ValueError(what_was_typed)
    except ValueError:
        logging.getLogger("harbour.test").exception("the save failed")
    (line,) = console.getvalue().splitlines()
    event = json.loads(line)
    assert "Traceback" in event["exception"] and "test_logs.py" in event["exception"]
    assert WITHHELD in event["exception"] and "Canary" not in line


def test_gunicorns_access_log_is_a_json_line_with_the_request_id_and_path_only():
    """gunicorn.conf.py's logger, given what gunicorn gives it for one request."""
    import datetime
    import importlib.util
    from pathlib import Path
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("harbour_gunicorn_conf",
                                                  Path(__file__).resolve().parents[2] / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = conf.HarbourLogger(cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "abc123")])
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/pupils/?q=Canary", "PATH_INFO": "/pupils/",
               "QUERY_STRING": "q=Canary", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": "https://example.com/?q=Canary", "HTTP_USER_AGENT": "Canary browser"}
    logger.access(resp, SimpleNamespace(headers=[]), environ, datetime.timedelta(milliseconds=12))
    (line,) = stream.getvalue().splitlines()
    event = json.loads(line)
    assert event["request_id"] == "abc123" and event["logger"] == "gunicorn.access"
    assert (event["method"], event["path"], event["status"], event["bytes"]) == ("GET", "/pupils/", 200, 512)
    assert event["duration_ms"] == 12
    assert "Canary" not in line and "?" not in line
