"""Pictures written as text are pictures (rule A3).

Anyone can turn a photo into letters: base64 (in a data: address, an email part, or
bare), hex, a hex dump, quoted-printable, %-escapes, uuencode, ASCII85. Words typed
into a form, a plain-text statement, the text inside a Word or PDF statement and an
API field are all searched the same way by `find_encoded_imagery`:

1. find every run of characters that could be encoded bytes, in each encoding,
   however it is wrapped (long lines, line breaks or spaces inside a sentence);
2. decode it;
3. judge the bytes with the same content sniffing an uploaded file gets
   (`lib.sniff.classify`): only a picture, video, archive or a document that
   holds (or may hold) pictures is refused. Random-looking text that is not
   encoded imagery (links with tokens, hashes, UUIDs, reference numbers) decodes
   to bytes that are none of those, so it passes.

How short a run can be: as short as the format's own header. Fourteen bytes of a
TIFF header are refused. Signatures shorter than 32 bits (gzip, compress, a bare
JPEG XL codestream) would turn up by chance in random tokens, so for those the
rest of the format's header must agree too (see `_confident`).

Speed and safety: every pattern is linear (no nested unbounded repetition that
can backtrack), candidate runs are found by regular expressions rather than by
walking each word in Python, and the bytes decoded per call are capped by a
budget proportional to the text's length, so a pathological 10 MB statement
costs a bounded, linear amount of work.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from lib.sniff.verdict import ARCHIVE, DOCUMENT_WITH_IMAGES, IMAGE, VIDEO, Verdict

__all__ = ["Finding", "find_encoded_imagery", "describe", "REFUSED_CATEGORIES"]

UNCHECKABLE = "uncheckable"  # more encoded-looking text than one check may decode
REFUSED_CATEGORIES = frozenset({IMAGE, VIDEO, ARCHIVE, DOCUMENT_WITH_IMAGES})
# Binary documents that could carry pictures but cannot be checked: written as text, they are refused too.
_UNCHECKABLE_DOCUMENTS = frozenset({"pdf-encrypted", "pdf-unreadable", "docx-unreadable", "ole", "unreadable"})
_MAX_DEPTH = 3  # text inside encoded text inside encoded text...


@dataclass(frozen=True)
class Finding:
    """A picture, video or archive found written as text: how it was written, what it is, and where."""

    encoding: str  # "base64", "hex", "hex dump", "quoted-printable", "data: address"...
    category: str  # IMAGE, VIDEO, ARCHIVE or DOCUMENT_WITH_IMAGES
    kind: str  # what the bytes are: "jpeg", "tiff", "zip"...
    start: int  # where in the text the run begins (a character offset)
    end: int = -1  # where it ends (-1: the end of the text)

    @property
    def what(self) -> str:
        """Plain words for what was found, for a person: "a picture written as text (base64)"."""
        return describe(self)


_NOUNS = {IMAGE: "a picture", VIDEO: "a video", ARCHIVE: "a compressed archive",
          DOCUMENT_WITH_IMAGES: "a document that may hold pictures"}
_UNCHECKABLE_WORDS = "so much text that looks encoded that Harbour cannot check it for pictures"


def describe(finding: Finding) -> str:
    """ "a picture written as text (base64)": for messages beside a field."""
    if finding.category == UNCHECKABLE:
        return _UNCHECKABLE_WORDS
    noun = _NOUNS.get(finding.category, "a picture")
    if finding.encoding in _DECLARED:
        return f"{noun} ({_DECLARED[finding.encoding]})"
    return f"{noun} written as text ({finding.encoding})"


_DECLARED = {"svg": "an SVG drawing", "text image": "a picture format that is written in plain text"}


class _Budget:
    """How many more characters may be decoded in this check: keeps the whole check linear in the text's size.

    Ordinary text never comes near it (each character is decoded a few times at most). Text built to
    exhaust it cannot be checked, so it is refused rather than waved through (see `find_encoded_imagery`).
    """

    __slots__ = ("left", "exhausted")

    def __init__(self, text_length: int):
        self.left = 16 * text_length + (1 << 20)
        self.exhausted = False

    def take(self, n: int) -> bool:
        if n > self.left:
            self.exhausted = True
            return False
        self.left -= n
        return True


def find_encoded_imagery(text: str, *, _depth: int = 0, _budget: _Budget | None = None) -> Finding | None:
    """The first picture, video or archive written as text in `text`, or None (rule A3).

    Never raises: text that cannot be checked is not a reason to lose what someone typed,
    and every decoder here works on bounded input.
    """
    if not isinstance(text, str) or len(text) < 4:
        return None
    budget = _budget or _Budget(len(text))
    for finder in _FINDERS if _depth < _MAX_DEPTH else (_find_text_image,):
        try:
            found = finder(text, _depth, budget)
        except (ValueError, binascii.Error, UnicodeError, OverflowError, IndexError):
            found = None
        if found is not None:
            return found
    if budget.exhausted and _budget is None:
        return Finding("encoded text", UNCHECKABLE, "too-much-encoded-text", 0)
    return None


# --- Judging decoded bytes ------------------------------------------------------------------------------


def _judge(data: bytes, depth: int, budget: _Budget) -> Verdict | None:
    """The verdict on decoded bytes if they are a picture, video, archive or uncheckable document; else None.

    A run often carries a few words of the sentence after it (base64 without padding cannot say where it
    ends), so the bytes are judged as decoded and, if that differs, cut where their format ends.
    """
    if len(data) < 2 or depth >= _MAX_DEPTH or not _worth_judging(data):
        return None
    verdict = _judge_bytes(data, depth, budget)
    if verdict is None:
        trimmed = _trimmed(data)
        if trimmed is not None and 2 <= len(trimmed) < len(data):
            verdict = _judge_bytes(trimmed, depth, budget)
    return verdict


def _quick_pattern() -> re.Pattern:
    """Every way `classify` can recognise a picture, video, archive or document at the start of some bytes,
    as one pattern: most decoded runs are random bytes, and this turns them away in a microsecond."""
    from lib.sniff.magic import _SIGNATURES

    heads = [re.escape(signature) for signature, _kind, _category in _SIGNATURES]
    heads += [rb"[\x00-\xff]{4}ftyp", rb"\x00[\x00-\xff]{3}(?:moov|mdat|wide|free|skip|pnot)",
              rb"RIFF[\x00-\xff]{4}(?:WEBP|AVI)", rb"\x1a\x45\xdf\xa3", rb"\x00\x00[\x01\x02]\x00",
              rb"BM[\x00-\xff]{4}\x00\x00\x00\x00", rb"BZh[1-9]", rb"[\x00-\xff]{0,1024}?%PDF-"]
    return re.compile(b"|".join(heads))


_QUICK = _quick_pattern()


def _heads() -> tuple[frozenset, frozenset]:
    """How each known opening looks as its first two base64 characters (both alphabets) and as its first
    four hex digits: a word in the middle of a run is decoded only if it starts like one of them."""
    from lib.sniff.magic import _SIGNATURES

    heads = {signature[:3] for signature, _kind, _category in _SIGNATURES if len(signature) >= 2}
    heads |= {b"\x00\x00\x00", b"\x00\x00\x01", b"\x00\x00\x02", b"RIF", b"\x1a\x45\xdf", b"BM", b"BZh", b"<sv",
              b"<?x", b"%PD", b"P1", b"P2", b"P3", b"P4", b"P5", b"P6", b"P7", b"/* ", b"#de", b"SIM", b"#?R",
              b"far", b"\x8aMN", b"\x8bJN", b"FOR", b"v/1", b"\x59\xa6\x6a", b"gim", b"DDS", b"AT&", b"xar"}
    base64_heads = set()
    for head in heads:
        two = base64.b64encode(head.ljust(3, b"\x00"))[:2].decode()
        base64_heads |= {two, two.translate(str.maketrans("+/", "-_"))}
    return frozenset(base64_heads), frozenset(head[:2].hex() for head in heads)


_BASE64_HEADS, _HEX_HEADS = _heads()


def _worth_judging(data: bytes) -> bool:
    """Whether `data` could be anything `_judge` refuses: a known opening, tar or MPEG-TS, media anywhere
    in it, or text (which may hold a text picture or more encoded text)."""
    if _QUICK.match(data) or data.startswith(b"ustar", 257):
        return True
    from lib.sniff.magic import _EMBEDDED_MEDIA, _is_mpeg_ts

    if _is_mpeg_ts(data) or len(data) > 0x8005 or _EMBEDDED_MEDIA.search(data, 0, 1 << 16):
        return True
    return len(data) >= 8 and _TEXTLIKE.match(data) is not None


# Text: at least eight characters of printable ASCII, whitespace or UTF-8 sequences at the start.
_TEXTLIKE = re.compile(
    rb"(?:[\t\n\r\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}){8}")


def _trimmed(data: bytes) -> bytes | None:
    """`data` cut where its format ends: a ZIP after its end record, a PDF after its last %%EOF, text where
    it stops being UTF-8."""
    if data.startswith(b"PK"):
        end = data.rfind(b"PK\x05\x06")
        if end >= 0 and len(data) >= end + 22:
            return data[: end + 22 + int.from_bytes(data[end + 20: end + 22], "little")]
        return None
    if data.startswith(b"%PDF"):
        end = data.rfind(b"%%EOF")
        return data[: end + 5] + b"\n" if end >= 0 else None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start] if error.start >= 8 else None
    return None


def _judge_bytes(data: bytes, depth: int, budget: _Budget) -> Verdict | None:
    from lib.sniff import _classify  # the package imports this module

    verdict = _classify(data, depth=depth + 1, budget=budget)
    if verdict.category in REFUSED_CATEGORIES and _confident(verdict, data):
        return verdict
    if verdict.kind in _UNCHECKABLE_DOCUMENTS and data[:1] in (b"%", b"P", b"\xd0"):
        return Verdict(False, verdict.kind, DOCUMENT_WITH_IMAGES)
    from lib.sniff.magic import _EMBEDDED_MEDIA

    if _EMBEDDED_MEDIA.search(data, 0, 1 << 16):
        return Verdict(False, "embedded-media", IMAGE)
    return None


# The lengths in bytes of MD5, SHA-1, 192-bit (Tiger, and the random tokens many sites put in links), SHA-224,
# SHA-256, SHA-384 and SHA-512 digests.
_DIGEST_LENGTHS = frozenset({16, 20, 24, 28, 32, 48, 64})


def _confident(verdict: Verdict, data: bytes) -> bool:
    """Whether a short signature is backed by the rest of its format's header.

    Why: gzip's, compress's and a bare JPEG XL codestream's signatures are two bytes,
    which one random token in 65,536 would match. Everything else `classify` names
    rests on four or more fixed bytes, which chance does not produce. A run exactly
    as long as a digest (the SHA-256 of a file the police hold, written in hex) with
    only compress's or a bare codestream's two bytes is taken for the digest it almost certainly is: a bare
    codestream or compressed stream that short cannot hold a picture anyone could see.
    """
    kind = verdict.kind
    if kind in ("compress", "jxl") and len(data) in _DIGEST_LENGTHS and not data.startswith(b"\x00\x00\x00\x0cJXL "):
        return False  # the length of a digest (MD5, SHA-1, SHA-2): a hash someone pasted, not a picture
    if kind == "gzip":  # method 8, reserved flags clear, extra-flags and OS bytes in range
        return len(data) >= 10 and data[2] == 8 and not data[3] & 0xE0 and data[8] in (0, 2, 4) and (
            data[9] <= 13 or data[9] == 255)
    if kind == "compress":  # reserved bits clear, 9 to 16 bits per code
        return len(data) >= 4 and not data[2] & 0x60 and 9 <= data[2] & 0x1F <= 16
    if kind == "jxl" and data.startswith(b"\xff\x0a"):
        return len(data) >= 24
    return True


def _found(encoding: str, verdict: Verdict, start: int, end: int) -> Finding:
    return Finding(encoding, verdict.category, verdict.kind, start, end)


_WORD_TOKEN = re.compile(r"[" + "A-Za-z0-9+/_\\-" + r"]+={0,2}")
_PLAIN_WORD = re.compile(r"[A-Z]?[a-z]{1,20}|[AI]")


def _run_end(text: str, start: int, end: int) -> int:
    """Where a base64 run really ends: without the ordinary words of the sentence that followed it."""
    tokens = [(m.start(), m.end()) for m in _WORD_TOKEN.finditer(text, start, end)]
    while len(tokens) > 1 and _PLAIN_WORD.fullmatch(text, *tokens[-1]):
        tokens.pop()
    return tokens[-1][1] if tokens else end


# --- Base64 (standard and url-safe alphabets, any wrapping) ---------------------------------------------

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
_WHITESPACE = re.compile(r"\s+")
_URLSAFE = str.maketrans("-_", "+/")


def _b64decode(run: str) -> bytes:
    chars = _WHITESPACE.sub("", run).rstrip("=").translate(_URLSAFE)
    chars = chars[: len(chars) - len(chars) % 4] if len(chars) % 4 == 1 else chars
    return base64.b64decode(chars + "=" * (-len(chars) % 4))




# Formats recognised by two bytes and little else (`_confident`). Inside a long run every wrapped line is tried
# as a possible start, so in kilobytes of random base64 (an encrypted package, a key, a signature) one of them
# would match by chance: measured, 9 of 1,500 random 20 KB blocks. They are judged only where a run begins.
_WEAK_KINDS = frozenset({"gzip", "compress", "jxl"})


def _find_base64(text: str, depth: int, budget: _Budget) -> Finding | None:
    pos, run_end = 0, -1
    while match := _B64_START.search(text, pos):
        start = match.start()
        pos = start + 1
        inside = start < run_end
        if inside and text[start: start + 2] not in _BASE64_HEADS:
            continue  # a word inside a run already read, that does not start like any known format
        run = _B64_RUN.match(text, start).group()
        run_end = start + len(run)
        if len(run) < 4 or not budget.take(len(run)):
            continue
        data = _b64decode(run)
        verdict = _judge(data, depth, budget)
        if verdict is None and len(run) >= _B64_WINDOW and (
                data[:2] in (b"PK", b"%P", b"\xd0\xcf") or not data[:3072].strip(b"\x00")):
            # a container or an ISO image: read all of it, once
            whole = _B64_WHOLE.match(text, start, start + max(0, budget.left)).group()
            run_end = start + len(whole)
            if budget.take(len(whole)):
                verdict = _judge(_b64decode(whole), depth, budget)
        if verdict is not None and not (inside and verdict.kind in _WEAK_KINDS):
            return _found("base64", verdict, start, _run_end(text, start, run_end))
    return None


# --- data: addresses ------------------------------------------------------------------------------------

_DATA_URI = re.compile(r"data:[ \t]*+([\w.+-]*+(?:/[\w.+-]*+)?)((?:;[ \t]*+[\w.+-]++(?:=[^;,\s]*+)?){0,8}+),", re.I)
_PERCENT_PAYLOAD = re.compile(r"[^\s\"'<>()]{0,65536}+")


def _find_data_uri(text: str, depth: int, budget: _Budget) -> Finding | None:
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
            data = _b64decode(run) if budget.take(len(run)) else b""
            pos += len(run)
        else:
            payload = _PERCENT_PAYLOAD.match(text, match.end(), limit).group()
            data = _unpercent(payload) if "%" in payload and budget.take(len(payload)) else b""
            pos += len(payload)  # without escapes, the payload is text already read where it stands
        verdict = _judge(data, depth, budget)
        if verdict is not None:
            return _found("data: address", verdict, match.start(), pos)
    return None


# --- MIME parts and whole emails ------------------------------------------------------------------------

_MIME_MEDIA = re.compile(r"^[ \t]*content-type:[ \t]*(image|video)/", re.I | re.M)
_MIME_ENCODING = re.compile(r"^[ \t]*content-transfer-encoding:[ \t]*\"?([\w-]+)", re.I | re.M)
_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")
_BOUNDARY_LINE = re.compile(r"^--[^\r\n]{0,200}$", re.M)


def _find_mime(text: str, depth: int, budget: _Budget) -> Finding | None:
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
            data = _b64decode(_B64_WHOLE.match(body).group())
        elif encoding == "quoted-printable":
            data = binascii.a2b_qp(body.encode("utf-8", "surrogateescape"))
        elif encoding in ("x-uuencode", "uuencode", "x-uue"):
            data = _uudecode(body)
        else:
            continue
        verdict = _judge(data, depth, budget)
        if verdict is not None:
            return _found("email part", verdict, match.start(), blank.end() + len(body))
    return None


# --- Hex: plain, spaced, 0x-prefixed, \x escapes, and hex dumps with offsets ----------------------------

# Hex "words" separated by spaces, commas or line breaks; each may carry a 0x prefix. Possessive, so linear.
_HEX_CHAIN = re.compile(
    r"(?<![\w\\])(?=[0-9A-Fa-fxX\s,;]{8})(?:0[xX])?[0-9A-Fa-f]{2,}+(?:[\s,;]++(?:0[xX])?[0-9A-Fa-f]{2,}+(?![\w\\]))*+(?![\w\\])"
)
_HEX_WORD = re.compile(r"(?:0[xX])?([0-9A-Fa-f]+)")
# One line of a hex dump: an offset, then groups of 2, 4 or 8 hex digits (xxd, hexdump -C, od -A x -t x1).
_DUMP_LINE = re.compile(
    r"^[ \t]*(?:0[xX])?([0-9A-Fa-f]{4,16}):?[ \t]+((?:[0-9A-Fa-f]{2}(?:[0-9A-Fa-f]{2}){0,3}[ \t]{1,3}){1,32})",
    re.M,
)


def _find_hex(text: str, depth: int, budget: _Budget) -> Finding | None:
    found = _find_hex_dump(text, depth, budget)
    if found is not None:
        return found
    for match in _HEX_CHAIN.finditer(text):
        if match.end() - match.start() < 8:
            continue
        words = _HEX_WORD.findall(match.group())
        total = sum(len(w) for w in words)
        if total < 8:
            continue
        for n, (first, last) in enumerate(_hex_runs(words)):
            if n and "".join(words[first: first + 2])[:4].lower() not in _HEX_HEADS:
                continue  # only the chain's first run is read whatever it starts with
            digits = "".join(words[first: last + 1])
            if not _worth_judging(binascii.unhexlify(digits[:1024][: len(digits[:1024]) // 2 * 2])) or (
                    not budget.take(len(digits))):
                continue
            verdict = _judge(binascii.unhexlify(digits[: len(digits) - len(digits) % 2]), depth, budget)
            if verdict is not None:
                return _found("hex", verdict, match.start(), match.end())
    return None


def _hex_runs(words: list[str]):
    """(first, last) word indexes of the ways a chain of hex words can be bytes: each long word alone, and
    each stretch of at least four words of one even length (ff d8 ff e0, or ffd8 ffe0 0010 4a46), joined.

    Why not the whole chain: "be added 2024 ffd8ffe0..." starts with words that are hex by accident.
    """
    i, count = 0, len(words)
    while i < count:
        size = len(words[i])
        j = i
        while j + 1 < count and len(words[j + 1]) == size:
            j += 1
        # the last word of a spaced run may be shorter (the dump's final bytes)
        if j + 1 < count and len(words[j + 1]) < size and len(words[j + 1]) % 2 == 0:
            j += 1
        if size in (2, 4, 8) and j - i >= 3:
            yield i, j
        elif size >= 8:
            yield i, i
        if j > i:
            for k in range(i + 1, j + 1):  # a long word inside a spaced run is tried on its own too
                if len(words[k]) >= 8 and len(words[k]) != size:
                    yield k, k
        i = j + 1


def _find_hex_dump(text: str, depth: int, budget: _Budget) -> Finding | None:
    """Consecutive hex-dump lines, each cut to the bytes its offset allows (so the text column is dropped)."""
    lines = list(_DUMP_LINE.finditer(text, 0, len(text)))
    i = 0
    while i < len(lines):
        j, chunks = i, []
        while j < len(lines) and (j == i or lines[j].start() <= lines[j - 1].end() + 200):
            j += 1
        block = lines[i:j]
        offsets = [int(m.group(1), 16) for m in block]
        for k, m in enumerate(block):
            digits = "".join(_WHITESPACE.split(m.group(2)))
            if k + 1 < len(block) and 0 < offsets[k + 1] - offsets[k] <= 64:
                digits = digits[: 2 * (offsets[k + 1] - offsets[k])]
            chunks.append(digits[: len(digits) - len(digits) % 2])
        i = j
        if len(block) < 1 or not budget.take(sum(len(c) for c in chunks)):
            continue
        verdict = _judge(binascii.unhexlify("".join(chunks)), depth, budget)
        if verdict is not None:
            line_end = text.find("\n", block[-1].end())
            return _found("hex dump", verdict, block[0].start(), line_end if line_end >= 0 else len(text))
    return None


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


def _find_escaped(text: str, depth: int, budget: _Budget) -> Finding | None:
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
        level = depth if n == 0 else max(depth, _MAX_DEPTH - 1)
        region = text[start:end]
        if not budget.take(len(region)):
            return None
        if name == "quoted-printable":
            data = binascii.a2b_qp(region.encode("utf-8", "surrogateescape"))
        elif name == "%-escapes":
            data = _unpercent(region)
        else:
            data = _unescape_c(region)
        verdict = _judge(data, level, budget)
        if verdict is not None:
            return _found(name, verdict, start, end)
    return None


def _unpercent(text: str) -> bytes:
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(text)


_C_ESCAPE = re.compile(rb"\\(?:[xX]([0-9A-Fa-f]{2})|([\\'\"])|([nrt0]))")
_C_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"0": b"\x00"}


def _unescape_c(text: str) -> bytes:
    def one(m):
        if m.group(1):
            return bytes([int(m.group(1), 16)])
        return m.group(2) or _C_SIMPLE[m.group(3)]

    return _C_ESCAPE.sub(one, text.encode("utf-8", "surrogateescape"))


# --- uuencode and ASCII85 -------------------------------------------------------------------------------

# The begin line may follow words on the same line (pasted into a sentence): it only has to start a word.
_UU_BEGIN = re.compile(r"(?<![A-Za-z0-9_-])begin(?:-base64)?[ \t]+[0-7]{3,4}[ \t]+[^\r\n]*\r?\n")
_UU_END = re.compile(r"^end[ \t]*$", re.M)
_A85 = re.compile(r"<~([!-uz\s]{4,}?)~>")


def _uudecode(body: str) -> bytes:
    out = bytearray()
    for line in body.splitlines():
        if not line.strip() or line.strip() in ("`", "end"):
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            break
    return bytes(out)


def _find_uu_and_a85(text: str, depth: int, budget: _Budget) -> Finding | None:
    begins = list(_UU_BEGIN.finditer(text))
    for i, match in enumerate(begins):
        limit = begins[i + 1].start() if i + 1 < len(begins) else len(text)
        end = _UU_END.search(text, match.end(), limit)
        body = text[match.end(): end.start() if end else limit]
        if not budget.take(len(body)):
            continue
        head = text[match.start(): match.end()]
        data = _b64decode(body) if head.startswith("begin-base64") else _uudecode(body)
        verdict = _judge(data, depth, budget)
        if verdict is not None:
            return _found("uuencode", verdict, match.start(), end.end() if end else limit)
    if "<~" in text:
        for match in _A85.finditer(text):
            if not budget.take(len(match.group(1))):
                continue
            verdict = _judge(base64.a85decode(_WHITESPACE.sub("", match.group(1))), depth, budget)
            if verdict is not None:
                return _found("ASCII85", verdict, match.start(), match.end())
    return None


# --- Picture formats that are plain text already --------------------------------------------------------


def _find_text_image(text: str, depth: int, budget: _Budget) -> Finding | None:
    from lib.sniff.text import text_image

    found = text_image(text)
    if found is None:
        return None
    kind, start = found
    end = -1
    if kind == "svg":
        close = text.lower().find("</svg>", start)
        end = close + 6 if close >= 0 else -1
    return Finding("svg" if kind == "svg" else "text image", IMAGE, kind, start, end)


# Explicitly marked carriers first (they say exactly where they start and end), then bare runs.
_FINDERS = (_find_text_image, _find_data_uri, _find_mime, _find_uu_and_a85, _find_base64, _find_hex,
            _find_escaped)
