"""Rule J8: what a page shows a Welsh reader is in Welsh. A test helper: the English left in a page's visible text.

The check reads the text a person sees or hears (a screen reader reads visually hidden text too) but not what they
typed, leaves out what is marked as English on purpose (`lang="en-GB"`, a service with no Welsh entry yet), the proper
names the page is allowed to show (a school's name, "Childline"), and looks for the short words every English sentence
has and no Welsh sentence does. It cannot prove a page is good Welsh; it finds a sentence left in English."""

import re
from html.parser import HTMLParser

# Common English words that are not also Welsh words (so not "a", "i", "at", "am", "all", "is", "hi", "to" or "can").
ENGLISH_WORDS = frozenset("""
    the and you your of for with not if this that we our are by on it or will what when please has have
    were which who there their they them been from about how any than must should need
    """.split())

_SKIPPED = {"script", "style", "template", "title", "textarea"}  # a textarea holds what the person typed
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, left out?) for each open element
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        attrs = dict(attrs)
        english = (attrs.get("lang") or "").lower().startswith("en") and tag != "html"
        left_out = english or tag in _SKIPPED or (self.stack and self.stack[-1][1])
        self.stack.append((tag, bool(left_out)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of `html` a person reads, without what is marked as English on purpose."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def english_left(html: str, allowed=()) -> list[str]:
    """Each stretch of the visible text that reads as English: a few words either side of an English word.

    `allowed`: proper names and other text allowed to stay as it is (removed before looking)."""
    text = visible_text(html)
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    words = re.findall(r"[A-Za-zÀ-ÿŵŷŴŶ’']+", text)
    found = []
    for n, word in enumerate(words):
        if word.lower() in ENGLISH_WORDS:
            found.append(" ".join(words[max(0, n - 3):n + 4]))
    return found
