"""Which language a person reads Harbour in, and words that are translated when they are shown (rule J8).

Harbour speaks English everywhere, and Welsh too at a school in Wales: there a person chooses English or Cymraeg
(remembered on their account), and what they chose is used for their pages, their notices and their emails. At a
school in any other nation, or with no choice made, everything stays in English. A string that has no Welsh yet
shows in English (gettext's fallback), never blank.

`Words` is a message that waits to be put into a language: a notice for several people is written once and each
reads it in their own language (notifications.actions.notify).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from lib.hooks import Hook

ENGLISH = "en-gb"
WELSH = "cy"
CHOICES = (ENGLISH, WELSH)
WELSH_NATION = "wales"

# Month names in Welsh, for dates in words ("6 Rhagfyr 2026"). Written here rather than read from Django's
# catalogue so that a date never changes with the catalogue a deployment happens to carry.
_MONTHS_CY = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
              "Tachwedd", "Rhagfyr")


# The words a school in Wales uses for its safeguarding lead (schools/nations.py marks them where they are used):
# listed here as well so that the Welsh catalogue keeps their translations ("Person dynodedig diogelu").
ROLE_WORDS = (
    gettext_noop("designated safeguarding person"),
    gettext_noop("Designated safeguarding person"),
    gettext_noop("Deputy designated safeguarding person"),
    gettext_noop("deputy designated safeguarding person"),
    gettext_noop("designated safeguarding person (DSP)"),
    gettext_noop("If a child is in immediate danger, call 999 now and then tell your designated safeguarding person "
                 "in person."),
    gettext_noop("Have you told the designated safeguarding person yourself?"),
    gettext_noop("Say whether you have already told the designated safeguarding person yourself"),
    gettext_noop("Your designated safeguarding person and their deputies have been told."),
    gettext_noop("If you are worried about a child’s safety right now, find the designated safeguarding person, or "
                 "call 999 in an emergency."),
)


# J8: the request being served, so that words written below the views (a picture refused beside a box, a file
# refused) name the safeguarding lead as the nation of the reader's school does. harbour.middleware sets it.
_serving = ContextVar("harbour_serving_request", default=None)
# The schools app provides it (schools/apps.py): request or None → the nation's words, or the neutral ones.
lead_words = Hook("the words for the safeguarding lead at the school of the request being served")


@contextmanager
def serving(request):
    """Within this block, `lead_sentence` speaks for `request`'s school."""
    token = _serving.set(request)
    try:
        yield
    finally:
        _serving.reset(token)


def lead_sentence(name: str) -> str:
    """One whole sentence naming the safeguarding lead (a field of schools.nations.Words), in the words of the
    nation of the school being served; the neutral sentence outside a request or for someone with no school."""
    return str(getattr(lead_words(_serving.get()), name))


def offers_welsh(school) -> bool:
    """A school in Wales offers its interface in Welsh."""
    return getattr(school, "nation", None) == WELSH_NATION


def language_for(user, school) -> str:
    """The language `user` reads at `school`: Welsh if the school is in Wales and they chose Cymraeg, else English.

    A person who has not chosen reads English, and a Welsh school offers Cymraeg prominently on every page."""
    if offers_welsh(school) and getattr(user, "preferred_language", "") == WELSH:
        return WELSH
    return ENGLISH


def current() -> str:
    """The language active now (English outside a request)."""
    return WELSH if (translation.get_language() or "").startswith(WELSH) else ENGLISH


def date_in_words(value, language: str | None = None) -> str:
    """6 December 2026, or 6 Rhagfyr 2026 in Welsh."""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, date):
        return ""
    if (language or current()) == WELSH:
        return f"{value.day} {_MONTHS_CY[value.month - 1]} {value.year}"
    return f"{value.day} {value:%B %Y}"


def when_in_words(moment, language: str | None = None) -> str:
    """A due time in words: "6 December 2026 at 2:30pm", or "6 Rhagfyr 2026 am 2:30yp" in Welsh (yb/yp: y bore,
    yr prynhawn, as Welsh public bodies write them)."""
    local = timezone.localtime(moment)
    hour = f"{local:%-I:%M}"
    if (language or current()) == WELSH:
        return f"{date_in_words(local, WELSH)} am {hour}{'yb' if local.hour < 12 else 'yp'}"
    return f"{date_in_words(local, ENGLISH)} at {hour}{'am' if local.hour < 12 else 'pm'}"


@dataclass(frozen=True)
class Words:
    """A whole sentence to translate (a msgid with %(name)s places), and what goes in its places.

    A datetime in `values` is written as a time in words in the reader's language. The sentence is never assembled
    from fragments: translators see it whole."""

    message: str
    values: dict = field(default_factory=dict)

    def in_language(self, language: str) -> str:
        with translation.override(language):
            filled = {k: when_in_words(v, language) if isinstance(v, datetime) else v for k, v in self.values.items()}
            return translation.gettext(self.message) % filled

    def __str__(self):
        return self.in_language(current())


def text_in(text, language: str) -> str:
    """`text` (a Words, or a plain string) in `language`."""
    return text.in_language(language) if isinstance(text, Words) else str(text)


def translated(choices):
    """[(value, label)] with each label (marked with gettext_noop where it is defined) in the active language."""
    return [(value, translation.gettext(label)) for value, label in choices]


def html_lang(language: str | None = None) -> str:
    """The value of <html lang> for the active language."""
    return "cy" if (language or current()) == WELSH else "en-GB"


def languages():
    return dict(settings.LANGUAGES)
