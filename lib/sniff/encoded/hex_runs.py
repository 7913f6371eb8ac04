"""Hex written as text: plain, spaced, 0x-prefixed, and hex dumps with offsets."""

from __future__ import annotations

import binascii
import re

from lib.sniff.encoded.decoding import WHITESPACE
from lib.sniff.encoded.judging import HEX_HEADS, Budget, Finding, found_as, judge, worth_judging

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


def _find_hex(text: str, depth: int, budget: Budget) -> Finding | None:
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
            if n and "".join(words[first: first + 2])[:4].lower() not in HEX_HEADS:
                continue  # only the chain's first run is read whatever it starts with
            digits = "".join(words[first: last + 1])
            if not worth_judging(binascii.unhexlify(digits[:1024][: len(digits[:1024]) // 2 * 2])) or (
                    not budget.take(len(digits))):
                continue
            verdict = judge(binascii.unhexlify(digits[: len(digits) - len(digits) % 2]), depth, budget)
            if verdict is not None:
                return found_as("hex", verdict, match.start(), match.end())
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


def _find_hex_dump(text: str, depth: int, budget: Budget) -> Finding | None:
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
            digits = "".join(WHITESPACE.split(m.group(2)))
            if k + 1 < len(block) and 0 < offsets[k + 1] - offsets[k] <= 64:
                digits = digits[: 2 * (offsets[k + 1] - offsets[k])]
            chunks.append(digits[: len(digits) - len(digits) % 2])
        i = j
        if len(block) < 1 or not budget.take(sum(len(c) for c in chunks)):
            continue
        verdict = judge(binascii.unhexlify("".join(chunks)), depth, budget)
        if verdict is not None:
            line_end = text.find("\n", block[-1].end())
            return found_as("hex dump", verdict, block[0].start(), line_end if line_end >= 0 else len(text))
    return None
