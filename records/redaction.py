"""Taking third parties' names out of text (rule H6). Pure: no database.

A `Redactor` knows the names to take out (children become "[another child]", adults
"[an adult]") and the names of the person the export is about, which stay. Names match
whole words, case-insensitively, across any run of spaces or line breaks; the longest
name wins, so "Amy Smith" becomes one "[another child]", not two.

A first name shared by the person and a third party is taken out: redacting too much is
put right by the reviewer; redacting too little cannot be.
"""

import re

CHILD = "[another child]"
ADULT = "[an adult]"
MIN_LENGTH = 2  # a single letter (an initial) is not matched: it would strike every "a" and "I"


def _key(text):
    return " ".join(text.split()).casefold()


def name_variants(*names):
    """Every way a person may be written: each full name given, and each of its words."""
    variants = []
    for name in names:
        words = (name or "").split()
        if not words:
            continue
        variants.append(" ".join(words))
        variants.extend(words)
    return [v for v in dict.fromkeys(variants) if len(v) >= MIN_LENGTH]


class Redactor:
    def __init__(self, *, keep=(), children=(), adults=()):
        """`keep`: names of the person the export is about; `children`, `adults`: everyone else's names.

        Each argument is an iterable of names (a full name, or any part of one).
        """
        replacement: dict[str, str | None] = {}
        forms = set()
        for names, marker in ((children, CHILD), (adults, ADULT)):
            for name in names:
                for v in name_variants(name):
                    replacement.setdefault(_key(v), marker)
                    forms |= {v, v.casefold()}
        for name in keep:
            for v in name_variants(name):
                # The person's full name always stays; a single word stays unless a third party shares it.
                if " " in v or _key(v) not in replacement:
                    replacement[_key(v)] = None
                    forms |= {v, v.casefold()}
        self.replacement = replacement
        # Both the name as written and its case-folded form: IGNORECASE alone does not match "ß" with "SS".
        patterns = [r"\s+".join(re.escape(w) for w in form.split())
                    for form in sorted(forms, key=lambda f: (-len(f), f))]
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.IGNORECASE)
                         if patterns else None)

    def _replace(self, match):
        found = match.group(0)
        # A match whose folded form is not a known key (an odd case-folding) is taken out, never kept.
        kept = _key(found) in self.replacement and self.replacement[_key(found)] is None
        return found if kept else self.replacement.get(_key(found), ADULT)

    def __call__(self, text):
        """Return `text` with every third party's name replaced."""
        if not text or self._pattern is None:
            return text or ""
        return self._pattern.sub(self._replace, text)


def mentions(text, phrases):
    """Whether `text` names any of `phrases` as whole words, case-insensitively."""
    phrases = [p for p in (" ".join((p or "").split()) for p in phrases) if len(p) >= MIN_LENGTH]
    if not text or not phrases:
        return False
    pattern = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    return re.search(r"(?<!\w)(?:" + pattern + r")(?!\w)", text, re.IGNORECASE) is not None
