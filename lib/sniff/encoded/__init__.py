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
rest of the format's header must agree too (see `judging._confident`).

Speed and safety: every pattern is linear (no nested unbounded repetition that
can backtrack), candidate runs are found by regular expressions rather than by
walking each word in Python, and the bytes decoded per call are capped by a
budget proportional to the text's length, so a pathological 10 MB statement
costs a bounded, linear amount of work.

The work is split by what it reads: `judging` (the verdict on decoded bytes, what was found, the budget),
`decoding` (text back to bytes), and the finders of each way of writing them: `base64_runs` (bare base64, data:
addresses, MIME parts), `hex_runs` (hex and hex dumps) and `escapes` (quoted-printable, %- and \\x-escapes, uuencode,
ASCII85). A picture format that is text already is found here.
"""

from __future__ import annotations

import binascii

from lib.sniff.encoded.base64_runs import _B64_START, _find_base64, _find_data_uri, _find_mime
from lib.sniff.encoded.escapes import _find_escaped, _find_uu_and_a85
from lib.sniff.encoded.hex_runs import _find_hex
from lib.sniff.encoded.judging import MAX_DEPTH, REFUSED_CATEGORIES, UNCHECKABLE, Budget, Finding, describe
from lib.sniff.verdict import IMAGE

__all__ = ["Finding", "find_encoded_imagery", "describe", "REFUSED_CATEGORIES", "UNCHECKABLE", "_B64_START"]


def find_encoded_imagery(text: str, *, _depth: int = 0, _budget: Budget | None = None) -> Finding | None:
    """The first picture, video or archive written as text in `text`, or None (rule A3).

    Never raises: text that cannot be checked is not a reason to lose what someone typed,
    and every decoder here works on bounded input.
    """
    if not isinstance(text, str) or len(text) < 4:
        return None
    budget = _budget or Budget(len(text))
    for finder in _FINDERS if _depth < MAX_DEPTH else (_find_text_image,):
        try:
            found = finder(text, _depth, budget)
        except (ValueError, binascii.Error, UnicodeError, OverflowError, IndexError):
            found = None
        if found is not None:
            return found
    if budget.exhausted and _budget is None:
        return Finding("encoded text", UNCHECKABLE, "too-much-encoded-text", 0)
    return None


# --- Picture formats that are plain text already --------------------------------------------------------


def _find_text_image(text: str, depth: int, budget: Budget) -> Finding | None:
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
