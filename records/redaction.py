"""Taking third parties' names out of text (rules H5, H6), by who each name belongs to. Pure: no database.

A `Redactor` is given people, not words: each `Person` with their names, whether they are linked to the
record (a child on its cases, their parents and carers, the staff who work there) or only at the same school,
and what their name becomes in this export (`None`: it stays; `CHILD` or `ADULT`). Who is who, and what each
becomes in a transfer or a subject access export, is decided in `records/people.py`.

In free text a name is found in any case, across any run of spaces or line breaks, as a whole word; the
longest form wins, so "Amy Smith" becomes one "[another child]", not two. Then who it means:

- a full name ("Amy Smith") means the person with that full name on the record; only if no one on the
  record has it, someone else at the school (a pupil or carer named there is a third party);
- a title before a surname ("Mrs Smith") means an adult with that surname on the record (a member of
  staff, a parent or carer), never a child; with no such adult, the family of a child on the record who
  has that surname;
- a single word ("Amy", "Smith") is taken out when a third party on the record has it as a first name or
  surname. Otherwise it stays if the person the record is about (or someone else known by their first
  name on the record) has it; else it is taken out if any other child at the school has it as a first
  name. Surnames of children who are not on the record are never matched alone: that is how a member of
  staff whose surname a pupil shares lost it before.

When one word could mean two people and one of them is a third party, it is taken out: redacting too
much is put right by the reviewer; redacting too little cannot be.
"""

import re
from dataclasses import dataclass, field

CHILD = "[another child]"
ADULT = "[an adult]"
MIN_LENGTH = 2  # a single letter (an initial) is not matched: it would strike every "a" and "I"
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "revd")


def _key(text):
    return " ".join(text.split()).casefold()


def _strongest(markers):
    markers = set(markers)
    return CHILD if CHILD in markers else ADULT if markers else None


@dataclass(frozen=True)
class Person:
    """Someone a name in the text may belong to.

    `names`: their full names as written (legal, preferred; one word is a first name).
    `shown_as`: `None` if their name stays, else `CHILD` or `ADULT`.
    `linked`: on the record (a child on its cases, their family, the staff); False for anyone else at the
    school, whose full names and (for a child) first names are still taken out.
    `by_first_name`: whether records call them by their first name alone (children and their families
    are; staff are "Mrs Smith" or their full name).
    `family_shown_as`: for a child, what an adult with their surname and a title becomes ("Mrs Smith",
    their mother). `user_id`: for staff, so a "by" field is decided by who, not by matching.
    """

    names: tuple
    shown_as: str | None
    adult: bool
    linked: bool = True
    by_first_name: bool = True
    family_shown_as: str | None = None
    user_id: int | None = None
    full: frozenset = field(init=False)
    first: frozenset = field(init=False)
    last: frozenset = field(init=False)

    def __post_init__(self):
        full, first, last = set(), set(), set()
        for name in self.names:
            words = [w for w in (name or "").split()]
            if len(words) == 1:
                first.add(_key(words[0]))
            elif words:
                full.add(_key(" ".join(words)))
                first.update(_key(w) for w in words[:-1])
                last.add(_key(words[-1]))
        short = {k for k in first | last if len(k) < MIN_LENGTH}
        object.__setattr__(self, "full", frozenset(full))
        object.__setattr__(self, "first", frozenset(first - short))
        object.__setattr__(self, "last", frozenset(last - short))


class Redactor:
    def __init__(self, *, keep=(), children=(), adults=(), people=()):
        """`people`: Person objects. `keep`, `children`, `adults`: plain names, for a caller who knows only
        names (all linked: the person's own names stay; children's become CHILD, adults' ADULT)."""
        people = list(people)
        people += [Person(names=(n,), shown_as=None, adult=False) for n in keep]
        people += [Person(names=(n,), shown_as=CHILD, adult=False, family_shown_as=ADULT) for n in children]
        people += [Person(names=(n,), shown_as=ADULT, adult=True) for n in adults]
        self.people = people
        self._by_user = {p.user_id: p for p in people if p.user_id is not None}
        full, words, surnames = {}, {}, {}
        for p in people:
            for k in p.full:
                full.setdefault(k, []).append(p)
            for k in p.first | (p.last if p.linked else frozenset()):
                words.setdefault(k, []).append(p)
            for k in p.last if p.linked else ():
                surnames.setdefault(k, []).append(p)
        self._full = {k: self._full_name(holders) for k, holders in full.items()}
        self._word = {k: self._single_word(k, holders) for k, holders in words.items()}
        self._titled = {k: self._titled_surname(holders) for k, holders in surnames.items()}
        # Each known form as written and case-folded: IGNORECASE alone does not match "ß" with "SS".
        forms = set(self._full) | set(self._word)
        for p in people:
            for name in p.names:
                written = (name or "").split()
                forms.update(f for f in [" ".join(written), *written] if _key(f) in self._full or _key(f) in self._word)
        names = "|".join(r"\s+".join(re.escape(w) for w in f.split())
                         for f in sorted(forms, key=lambda f: (-len(f), f)))
        titles = "|".join(TITLES)
        # The title is optional and lazy: a name that itself begins with "Dr" or "Miss" is tried first.
        self._pattern = (re.compile(rf"(?<!\w)(?:(?P<title>{titles})(?P<dot>\.?)(?P<gap>\s+))??(?P<name>{names})(?!\w)",
                                    re.IGNORECASE) if names else None)

    # -- Who a form means ------------------------------------------------------------------------------------

    @staticmethod
    def _full_name(holders):
        linked = [p for p in holders if p.linked]
        if linked:
            return _strongest(p.shown_as for p in linked if p.shown_as)
        return _strongest(p.shown_as or ADULT for p in holders)

    @staticmethod
    def _single_word(k, holders):
        on_record = [p for p in holders if p.linked]
        marker = _strongest(p.shown_as for p in on_record if p.shown_as)
        if marker:
            return marker
        if any(p.by_first_name for p in on_record):
            return None  # the child the record is about, or their family: their name stays
        return _strongest(p.shown_as or CHILD for p in holders if not p.linked and p.by_first_name and k in p.first)

    @staticmethod
    def _titled_surname(holders):
        """What "Mrs <surname>" becomes: an adult on the record with that surname, else the family of a child on
        the record with it."""
        adults = [p for p in holders if p.adult]
        if adults:
            return _strongest(p.shown_as for p in adults if p.shown_as)
        return _strongest(p.family_shown_as for p in holders if p.family_shown_as)

    def _plain(self, found):
        k = _key(found)
        if k in self._full:
            decision = self._full[k]
        elif k in self._word:
            decision = self._word[k]
        else:
            decision = ADULT  # a match whose folded form is not a known key (an odd case-folding): taken out
        return found if decision is None else decision

    def _replace(self, match):
        name = match.group("name")
        if match.group("title") is None:
            return self._plain(name)
        k = _key(name)
        decision = self._full[k] if k in self._full else self._titled.get(k, ...)
        if decision is ...:  # "Miss Amy": not a surname on the record, so the name is judged alone
            return match.group("title") + match.group("dot") + match.group("gap") + self._plain(name)
        return match.group(0) if decision is None else decision

    def __call__(self, text):
        """Return `text` with every third party's name replaced."""
        if not text or self._pattern is None:
            return text or ""
        return self._pattern.sub(self._replace, text)

    def name_of(self, user_id, name):
        """A member of staff's name in a "by" field, decided by who they are (`user_id`), never by matching
        `name`. No one is "Harbour" (the system itself); someone not known to this export is a third party."""
        if user_id is None:
            return "Harbour"
        person = self._by_user.get(user_id)
        if person is None or person.shown_as is not None:
            return ADULT if person is None else person.shown_as
        return name


def mentions(text, phrases):
    """Whether `text` names any of `phrases` as whole words, case-insensitively."""
    phrases = [p for p in (" ".join((p or "").split()) for p in phrases) if len(p) >= MIN_LENGTH]
    if not text or not phrases:
        return False
    pattern = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    return re.search(r"(?<!\w)(?:" + pattern + r")(?!\w)", text, re.IGNORECASE) is not None
