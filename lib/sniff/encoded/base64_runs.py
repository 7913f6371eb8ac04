"""Base64 written as text: bare runs (standard and url-safe alphabets, any wrapping, inside a sentence), data:
addresses and MIME parts (a pasted email)."""

from __future__ import annotations

import binascii
import re

from lib.sniff.encoded.decoding import b64decode, unpercent, uudecode
from lib.sniff.encoded.judging import BASE64_HEADS, Budget, Finding, found_as, judge
from lib.sniff.verdict import IMAGE, VIDEO

# --- Base64 (standard and url-safe alphabets, any wrapping) ---------------------------------------------

_WORD_TOKEN = re.compile(r"[" + "A-Za-z0-9+/_\\-" + r"]+={0,2}")
_PLAIN_WORD = re.compile(r"[A-Z]?[a-z]{1,20}|[AI]")


def _run_end(text: str, start: int, end: int) -> int:
    """Where a base64 run really ends: without the ordinary words of the sentence that followed it."""
    tokens = [(m.start(), m.end()) for m in _WORD_TOKEN.finditer(text, start, end)]
    while len(tokens) > 1 and _PLAIN_WORD.fullmatch(text, *tokens[-1]):
        tokens.pop()
    return tokens[-1][1] if tokens else end


_B64 = "A-Za-z0-9+/_\\-"
# Where a run may start: not in the middle of a word. "/" counts as a boundary too, so a run that
# follows a path in a web address is still tried at its own start.
_B64_LONG_TOKEN = 16


# A run is tried where a word of four or more characters starts that is long (16 or more) or looks encoded:
# a digit, "+", "/", "-" or "_", or a capital letter after its first character. Every format's base64
# opening looks encoded within its first 16 characters (checked by a test); ordinary words do not.
_B64_START = re.compile(
    r"(?<![" + _B64 + r"])(?=[" + _B64 + r"]{4})(?:[" + _B64 + r"]{16}|[" + _B64 + r"]{0,15}?[0-9+/_\-]"
    r"|[" + _B64 + r"][" + _B64 + r"]{0,14}?[A-Z])"
)
# A run: alphabet characters and whitespace, then at most two "=" of padding. One character class, possessive:
# it cannot backtrack. Capped so one candidate never reads more than a window; a longer run is read whole
# only when its opening decodes to a known container.
_B64_WINDOW = 8192
_B64_RUN = re.compile(r"[" + _B64 + r"\s]{0,%d}+={0,2}" % _B64_WINDOW)
_B64_WHOLE = re.compile(r"[" + _B64 + r"\s]*+={0,2}")


# Formats recognised by two bytes and little else (`_confident`). Inside a long run every wrapped line is tried
# as a possible start, so in kilobytes of random base64 (an encrypted package, a key, a signature) one of them
# would match by chance: measured, 9 of 1,500 random 20 KB blocks. They are judged only where a run begins.
_WEAK_KINDS = frozenset({"gzip", "compress", "jxl"})


def _find_base64(text: str, depth: int, budget: Budget) -> Finding | None:
    pos, run_end = 0, -1
    while match := _B64_START.search(text, pos):
        start = match.start()
        pos = start + 1
        inside = start < run_end
        if inside and text[start: start + 2] not in BASE64_HEADS:
            continue  # a word inside a run already read, that does not start like any known format
        run = _B64_RUN.match(text, start).group()
        run_end = start + len(run)
        if len(run) < 4 or not budget.take(len(run)):
            continue
        data = b64decode(run)
        verdict = judge(data, depth, budget)
        if verdict is None and len(run) >= _B64_WINDOW and (
                data[:2] in (b"PK", b"%P", b"\xd0\xcf") or not data[:3072].strip(b"\x00")):
            # a container or an ISO image: read all of it, once
            whole = _B64_WHOLE.match(text, start, start + max(0, budget.left)).group()
            run_end = start + len(whole)
            if budget.take(len(whole)):
                verdict = judge(b64decode(whole), depth, budget)
        if verdict is not None and not (inside and verdict.kind in _WEAK_KINDS):
            return found_as("base64", verdict, start, _run_end(text, start, run_end))
    return None


# --- data: addresses ------------------------------------------------------------------------------------

_DATA_URI = re.compile(r"data:[ \t]*+([\w.+-]*+(?:/[\w.+-]*+)?)((?:;[ \t]*+[\w.+-]++(?:=[^;,\s]*+)?){0,8}+),", re.I)
_PERCENT_PAYLOAD = re.compile(r"[^\s\"'<>()]{0,65536}+")


def _find_data_uri(text: str, depth: int, budget: Budget) -> Finding | None:
    """A data: address of any media type: declared pictures and videos are refused as they are, and every
    payload is decoded and judged by content."""
    pos = 0
    while match := _DATA_URI.search(text, pos):
        pos = match.end()
        media = match.group(1).lower()
        if media.startswith(("image/", "video/")):
            category = VIDEO if media.startswith("video/") else IMAGE
            end = _B64_WHOLE.match(text, match.end()).end() if "base64" in match.group(2).lower() else (
                _PERCENT_PAYLOAD.match(text, match.end()).end())
            return Finding("data: address", category, f"data-uri-{media.split('/')[0]}", match.start(), end)
        limit = match.end() + max(0, budget.left)
        if "base64" in match.group(2).lower():
            run = _B64_WHOLE.match(text, match.end(), limit).group()
            data = b64decode(run) if budget.take(len(run)) else b""
            pos += len(run)
        else:
            payload = _PERCENT_PAYLOAD.match(text, match.end(), limit).group()
            data = unpercent(payload) if "%" in payload and budget.take(len(payload)) else b""
            pos += len(payload)  # without escapes, the payload is text already read where it stands
        verdict = judge(data, depth, budget)
        if verdict is not None:
            return found_as("data: address", verdict, match.start(), pos)
    return None


# --- MIME parts and whole emails ------------------------------------------------------------------------

_MIME_MEDIA = re.compile(r"^[ \t]*content-type:[ \t]*(image|video)/", re.I | re.M)
_MIME_ENCODING = re.compile(r"^[ \t]*content-transfer-encoding:[ \t]*\"?([\w-]+)", re.I | re.M)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")
_BOUNDARY_LINE = re.compile(r"^--[^\r\n]{0,200}$", re.M)


def _find_mime(text: str, depth: int, budget: Budget) -> Finding | None:
    """MIME parts pasted or saved as text: a declared picture or video part, or any encoded part whose
    decoded body is one."""
    declared = _MIME_MEDIA.search(text)
    if declared:
        category = VIDEO if declared.group(1).lower() == "video" else IMAGE
        boundary = _BOUNDARY_LINE.search(text, declared.end())
        return Finding("email part", category, "mime-media", declared.start(), boundary.start() if boundary else -1)
    headers = list(_MIME_ENCODING.finditer(text))
    for i, match in enumerate(headers):
        encoding = match.group(1).lower()
        limit = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        blank = _BLANK_LINE.search(text, match.end(), limit)
        if blank is None:
            continue
        boundary = _BOUNDARY_LINE.search(text, blank.end(), limit)
        body = text[blank.end(): boundary.start() if boundary else limit]
        if not budget.take(len(body)):
            continue
        if encoding == "base64":
            data = b64decode(_B64_WHOLE.match(body).group())
        elif encoding == "quoted-printable":
            data = binascii.a2b_qp(body.encode("utf-8", "surrogateescape"))
        elif encoding in ("x-uuencode", "uuencode", "x-uue"):
            data = uudecode(body)
        else:
            continue
        verdict = judge(data, depth, budget)
        if verdict is not None:
            return found_as("email part", verdict, match.start(), blank.end() + len(body))
    return None
