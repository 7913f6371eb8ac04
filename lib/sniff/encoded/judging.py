"""Judging the bytes a run of text decodes to: the same content sniffing an uploaded file gets (`lib.sniff.classify`),
with what a short signature must also show (`_confident`), what was found (`Finding`) and the budget that keeps a
whole check linear in the text's size (`Budget`)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from lib.sniff.verdict import ARCHIVE, DOCUMENT_WITH_IMAGES, IMAGE, VIDEO, Verdict

UNCHECKABLE = "uncheckable"  # more encoded-looking text than one check may decode
REFUSED_CATEGORIES = frozenset({IMAGE, VIDEO, ARCHIVE, DOCUMENT_WITH_IMAGES})
# Binary documents that could carry pictures but cannot be checked: written as text, they are refused too.
_UNCHECKABLE_DOCUMENTS = frozenset({"pdf-encrypted", "pdf-unreadable", "docx-unreadable", "ole", "unreadable"})
MAX_DEPTH = 3  # text inside encoded text inside encoded text...


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


class Budget:
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


# --- Judging decoded bytes ------------------------------------------------------------------------------


def judge(data: bytes, depth: int, budget: Budget) -> Verdict | None:
    """The verdict on decoded bytes if they are a picture, video, archive or uncheckable document; else None.

    A run often carries a few words of the sentence after it (base64 without padding cannot say where it
    ends), so the bytes are judged as decoded and, if that differs, cut where their format ends.
    """
    if len(data) < 2 or depth >= MAX_DEPTH or not worth_judging(data):
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


BASE64_HEADS, HEX_HEADS = _heads()


def worth_judging(data: bytes) -> bool:
    """Whether `data` could be anything `judge` refuses: a known opening, tar or MPEG-TS, media anywhere
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


def _judge_bytes(data: bytes, depth: int, budget: Budget) -> Verdict | None:
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


def found_as(encoding: str, verdict: Verdict, start: int, end: int) -> Finding:
    return Finding(encoding, verdict.category, verdict.kind, start, end)

