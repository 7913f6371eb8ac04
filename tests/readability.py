"""How easy a page's words are to read: the Flesch–Kincaid grade level, and the reading age it gives (grade + 5).

Written here rather than taken from a package (P1's test needs only this). The text read is the page's <main>
(what a screen reader reads there too, visually hidden words included), each heading, paragraph, label, hint,
list item and button taken as a sentence of its own when it does not end with its own full stop. Words are runs
of letters (numbers such as 999 or a code are not words to sound out); syllables are counted by the usual rule of
groups of vowels, less a silent final e.

    FK grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
"""

import re
from html.parser import HTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "label", "legend", "button", "div", "span", "a", "td", "th", "summary",
          "strong", "textarea", "input"}
SKIP = {"script", "style", "svg", "template"}


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0  # inside <main>
        self.skip = 0
        self.blocks, self.current = [], []

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in SKIP:
            self.skip += 1
        if self.depth and tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip -= 1
        if self.depth and tag in BLOCKS:
            self._flush()
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.current.append(data)


def main_text(html: str) -> list[str]:
    """The pieces of text in the page's <main>, one per block."""
    parser = _MainText()
    parser.feed(html)
    parser._flush()
    return parser.blocks


def syllables(word: str) -> int:
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith("ed") and not word.endswith(("ted", "ded")) and count > 1:
        count -= 1
    return max(count, 1)


def grade(pieces: list[str]) -> tuple[float, int, int, int]:
    """(Flesch–Kincaid grade, sentences, words, syllables) of the pieces of text."""
    sentences = words = sounds = 0
    for piece in pieces:
        for sentence in re.split(r"(?<=[.!?])\s+", piece):
            found = [w for w in re.findall(r"[A-Za-z’']+", sentence) if re.search(r"[A-Za-z]", w)]
            if not found:
                continue
            sentences += 1
            words += len(found)
            sounds += sum(syllables(w.replace("’", "").replace("'", "")) for w in found)
    if not words:
        return 0.0, 0, 0, 0
    return 0.39 * words / sentences + 11.8 * sounds / words - 15.59, sentences, words, sounds


def reading_age(html: str) -> float:
    """The reading age (years) of a page's main text: the Flesch–Kincaid grade + 5."""
    return grade(main_text(html))[0] + 5
