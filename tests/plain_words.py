"""Plain words (issue 20.4): no rule number in the text people read.

A rule number (A1, B2.1, E7…, as PROCEDURES.md numbers its rules) may be shown only inside a "Why is this
asked?" details element (class `harbour-why`), which says in words why a screen asks what it asks and then, for
those who want it, the rule and its source. `rule_numbers_in(html)` finds the rule numbers in the rest of a page's
text: its title and body, not its scripts, styles or attributes.
"""

import re
from html.parser import HTMLParser

# Rule IDs as PROCEDURES.md writes them: a section letter and a number, perhaps with a sub-number (B2.1).
RULE = re.compile(r"\b(?:[A-J]|P|S)[0-9]{1,2}(?:\.[0-9]{1,2})?\b")
WHY_CLASS = "harbour-why"
UNSEEN = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # open elements: (tag, hides its contents)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append((tag, tag in UNSEEN or WHY_CLASS in classes))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):  # close up to the matching tag (HTML allows omitted ends)
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not any(hidden for _, hidden in self.stack):
            self.parts.append(data)


def visible_text(html):
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def rule_numbers_in(html):
    """Each rule number in the page's readable text, with a few words either side to find it by."""
    text = visible_text(html)
    return [text[max(0, m.start() - 40):m.end() + 40] for m in RULE.finditer(text)]
