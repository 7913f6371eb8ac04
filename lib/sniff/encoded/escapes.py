"""Bytes written as escapes or old mail encodings: quoted-printable (=FF), %-escapes (%FF), C and Python escapes
(\\xFF), uuencode and ASCII85."""

from __future__ import annotations

import base64
import binascii
import re

from lib.sniff.encoded.decoding import WHITESPACE, b64decode, unescape_c, unpercent, uudecode
from lib.sniff.encoded.judging import MAX_DEPTH, Budget, Finding, found_as, judge

# --- Escaped bytes: quoted-printable (=FF), %-escapes (%FF), C and Python escapes (\xFF) ----------------

_REGION_GAP = 120  # escapes further apart than this start a new region


def _escape(pattern: str) -> tuple[re.Pattern, re.Pattern]:
    """An escape, and a region of them: escapes no further apart than _REGION_GAP (possessive: linear)."""
    return re.compile(pattern), re.compile(pattern + r"(?:[\s\S]{0,%d}?" % _REGION_GAP + pattern + r")*+")


_ESCAPES = tuple((name, *_escape(pattern)) for name, pattern in (
    ("quoted-printable", r"=[0-9A-Fa-f]{2}"),
    ("%-escapes", r"%[0-9A-Fa-f]{2}"),
    ("\\x escapes", r"\\[xX][0-9A-Fa-f]{2}"),
))


def _find_escaped(text: str, depth: int, budget: Budget) -> Finding | None:
    for name, escape, region in _ESCAPES:
        if not escape.search(text):
            continue
        for match in region.finditer(text):
            found = _judge_region(name, text, match.start(), match.end(), depth, budget)
            if found is not None:
                return found
    return None


_PARAGRAPH_START = re.compile(r"\n[ \t]*\r?\n")
_PART_START = re.compile(r"[\s\"'(\[<,;=?&/:]")
_REGION_TAIL = re.compile(r"[^\s\"']{0,120}")


def _starts(text: str, first: int) -> list[int]:
    """Where an escaped run could begin: the first escape, just after each delimiter before it in its line
    (a link's "?file=", an opening quote), the line's start and the paragraph's start."""
    line = text.rfind("\n", max(0, first - 4096), first) + 1 if first else 0
    if line == 0 and first > 4096:
        line = first - 4096
    starts = {first, line}
    for i in range(first - 1, max(line, first - 256) - 1, -1):
        if _PART_START.match(text, i):
            starts.add(i + 1)
            if len(starts) > 8:
                break
    paragraph = None
    for paragraph in _PARAGRAPH_START.finditer(text, max(0, line - 4096), line):
        pass
    starts.add(paragraph.end() if paragraph else max(0, line - 4096) if line > 4096 else 0)
    return sorted(starts, reverse=True)  # nearest first, so a finding takes out no more than it must


def _judge_region(name, text, first, end, depth, budget) -> Finding | None:
    """Decode an escaped region from each place it could begin. At most 1 MB is decoded: enough to name any
    picture, and a container cut short there is refused as unreadable, never allowed."""
    end = min(_REGION_TAIL.match(text, end).end(), first + (1 << 20))
    for n, start in enumerate(_starts(text, first)):
        # Text decoded from the nearest start is searched again for encodings inside it; from the wider starts
        # only its opening is judged, or each level of nesting would multiply the work.
        level = depth if n == 0 else max(depth, MAX_DEPTH - 1)
        region = text[start:end]
        if not budget.take(len(region)):
            return None
        if name == "quoted-printable":
            data = binascii.a2b_qp(region.encode("utf-8", "surrogateescape"))
        elif name == "%-escapes":
            data = unpercent(region)
        else:
            data = unescape_c(region)
        verdict = judge(data, level, budget)
        if verdict is not None:
            return found_as(name, verdict, start, end)
    return None


# --- uuencode and ASCII85 -------------------------------------------------------------------------------

# The begin line may follow words on the same line (pasted into a sentence): it only has to start a word.
_UU_BEGIN = re.compile(r"(?<![A-Za-z0-9_-])begin(?:-base64)?[ \t]+[0-7]{3,4}[ \t]+[^\r\n]*\r?\n")
_UU_END = re.compile(r"^end[ \t]*$", re.M)
_A85 = re.compile(r"<~([!-uz\s]{4,}?)~>")


def _find_uu_and_a85(text: str, depth: int, budget: Budget) -> Finding | None:
    begins = list(_UU_BEGIN.finditer(text))
    for i, match in enumerate(begins):
        limit = begins[i + 1].start() if i + 1 < len(begins) else len(text)
        end = _UU_END.search(text, match.end(), limit)
        body = text[match.end(): end.start() if end else limit]
        if not budget.take(len(body)):
            continue
        head = text[match.start(): match.end()]
        data = b64decode(body) if head.startswith("begin-base64") else uudecode(body)
        verdict = judge(data, depth, budget)
        if verdict is not None:
            return found_as("uuencode", verdict, match.start(), end.end() if end else limit)
    if "<~" in text:
        for match in _A85.finditer(text):
            if not budget.take(len(match.group(1))):
                continue
            verdict = judge(base64.a85decode(WHITESPACE.sub("", match.group(1))), depth, budget)
            if verdict is not None:
                return found_as("ASCII85", verdict, match.start(), match.end())
    return None
