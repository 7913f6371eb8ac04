"""Rule A3 for words: the one check every form, action and API field uses for pictures written as text.

`lib.sniff.find_encoded_imagery` does the finding (base64, hex, data: addresses, MIME parts...,
judged by the same content sniffing as files). This module turns a finding into what a person
reads, takes the picture out of what they typed, and gives forms and actions one way to use it:

- a Django form: `class MyForm(NoImageryForm, forms.Form)`; every text field is checked, the
  message sits beside the field, and `form.without_imagery` holds what was typed with the
  picture taken out (to show again and to keep in a draft);
- an action: `imagery_errors({"field": ("Label", text)})` gives {field: message} for a
  ValidationError;
- anything else: `find_imagery(text)` and `message(label, finding)`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_noop

from lib.errors import ActionError
from lib.i18n import lead_sentence
from lib.sniff import find_encoded_imagery
from lib.sniff.encoded import UNCHECKABLE, Finding
from lib.sniff.verdict import ARCHIVE, DOCUMENT_WITH_IMAGES, IMAGE, VIDEO

__all__ = [
    "Finding",
    "ImageryRefused",
    "NoImageryForm",
    "find_imagery",
    "imagery_errors",
    "message",
    "remove_imagery",
    "scrub",
]

find_imagery = find_encoded_imagery

# J8: each sentence is marked whole (gettext_noop) and translated where it is shown (`message`).
_ADVICE = gettext_noop("Harbour never keeps pictures, videos or archives, even written as text. Describe in words "
                       "what it shows instead.")  # then the sentence naming the lead, whole, in the nation's words
_LEFT_IN = gettext_noop("Take that part out, then try again. Everything else you typed has been kept.")
_TAKEN_OUT = gettext_noop("That part has been taken out and was not saved. Everything else you typed is still here.")

# J8: what was found, as whole phrases a translation can follow (lib.sniff's `Finding.what` stays the English
# words for logs and the API): by category, and for the two formats that are pictures in plain text.
_WHAT = {
    IMAGE: gettext_noop("a picture written as text (%(encoding)s)"),
    VIDEO: gettext_noop("a video written as text (%(encoding)s)"),
    ARCHIVE: gettext_noop("a compressed archive written as text (%(encoding)s)"),
    DOCUMENT_WITH_IMAGES: gettext_noop("a document that may hold pictures written as text (%(encoding)s)"),
}
_WHAT_DECLARED = {
    "svg": {IMAGE: gettext_noop("a picture (an SVG drawing)")},
    "text image": {IMAGE: gettext_noop("a picture (a picture format that is written in plain text)")},
}


def _what(finding: Finding) -> str:
    """`finding.what` in the reader's language."""
    declared = _WHAT_DECLARED.get(finding.encoding)
    if declared is not None:
        if finding.category in declared:
            return gettext(declared[finding.category])
        return finding.what  # a combination the sniffer does not make today: its English words, never nothing
    if finding.category in _WHAT:
        return gettext(_WHAT[finding.category]) % {"encoding": finding.encoding}
    return finding.what


class ImageryRefused(ActionError):
    """A picture written as text reached a save (harbour/imagery.py, the last guard): refused, the box named."""


def message(label: str, finding: Finding, *, taken_out: bool = False) -> str:
    """What a person reads beside the field: what was found, where, and what to do instead."""
    if finding.category == UNCHECKABLE:
        return gettext("The ‘%(label)s’ box holds so much text that looks like encoded data that Harbour cannot "
                       "check it for pictures, so it was not saved. Please keep to your own words.") % {"label": label}
    found = gettext("The ‘%(label)s’ box contains %(what)s.") % {"label": label, "what": _what(finding)}
    return (f"{found} {gettext(_ADVICE)} {lead_sentence('imagery_keep_original')} "
            f"{gettext(_TAKEN_OUT if taken_out else _LEFT_IN)}")


def remove_imagery(text: str) -> tuple[str, Finding | None]:
    """`text` with every picture written in it taken out, and the first one found (None if there was none).

    A run that cannot be located precisely is taken out to the end of the text; if pictures still remain
    after twenty cuts, nothing of the text is kept (an empty string), so no picture can be kept by mistake.
    """
    first = None
    for _ in range(20):
        finding = find_encoded_imagery(text)
        if finding is None:
            return text, first
        first = first or finding
        if finding.category == UNCHECKABLE:
            return "", first
        end = finding.end if finding.end >= 0 else len(text)
        text = (text[: finding.start].rstrip(" \t") + " " + text[end:].lstrip(" \t")).strip(" ")
    return ("", first) if find_encoded_imagery(text) else (text, first)


def scrub(values: dict) -> tuple[dict, dict[str, Finding]]:
    """A copy of a dict of typed values (a draft) with pictures taken out of every text value, and where
    they were found. Lists of strings are scrubbed item by item; other values are kept as they are."""
    cleaned, found = {}, {}
    for key, value in values.items():
        if isinstance(value, str):
            cleaned[key], finding = remove_imagery(value)
            if finding is not None:
                found[key] = finding
        elif isinstance(value, list):
            items = []
            for item in value:
                clean, finding = remove_imagery(item) if isinstance(item, str) else (item, None)
                items.append(clean)
                if finding is not None:
                    found.setdefault(key, finding)
            cleaned[key] = items
        else:
            cleaned[key] = value
    return cleaned, found


def imagery_errors(fields: dict[str, tuple[str, str]]) -> dict[str, str]:
    """{field: message} for every field whose text holds a picture; `fields` is {field: (label, text)}."""
    errors = {}
    for name, (label, text) in fields.items():
        finding = find_encoded_imagery(text) if isinstance(text, str) else None
        if finding is not None:
            errors[name] = message(label, finding)
    return errors


class NoImageryForm:
    """Mix into a Django form: every text field is checked for pictures written as text (rule A3).

    The message sits beside the field (the GOV.UK error summary links to it). `without_imagery` maps each
    field that held a picture to its text with the picture taken out, so the page can show the rest of
    what was typed and a draft can keep it. Labels come from `imagery_labels`, else the field's label.

    `machine_text_fields` names boxes that take text Harbour itself made and reads strictly (a key card of public
    keys): base64 of random bytes says nothing about pictures, as with a model's MACHINE_TEXT_FIELDS
    (harbour/imagery.py), and what is kept from it is judged there. A password is never judged: it is checked
    against its hash and never kept.
    """

    imagery_labels: dict[str, str] = {}
    machine_text_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        self.without_imagery = {}
        for name, field in self.fields.items():
            value = self.data.get(name) if hasattr(self.data, "get") else None
            if (not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput)
                    or name in self.machine_text_fields or not isinstance(value, str)):
                continue
            cleaned, finding = remove_imagery(value)
            if finding is None:
                continue
            self.without_imagery[name] = cleaned
            label = self.imagery_labels.get(name) or str(field.label or name.replace("_", " ").capitalize())
            if name in self.errors:
                del self.errors[name]
            self.add_error(name, message(label, finding, taken_out=True))
        return data
