"""Which words of a prepared message are in force at a school, and saving a school's new wording.

A school may reword a template (its whole text, as the DSL adapts it on a case); its title, audience and the kinds
of incident that offer it stay as shipped. Each change is a new Wording row with the next version number and its
reason. A case's message begins from the school's latest wording.
"""

from __future__ import annotations

from advice.schema import blaming_phrases_in
from communications import schema
from communications.models import Wording
from lib.errors import ActionError
from schools.models import School
from schools.rewordings import Rewordable, may_edit, may_read  # noqa: F401 - who reads and rewords: as for advice

MAX_TEXT = 20000


class WordingError(ActionError):
    """The new wording was refused; the messages say what to change."""


class Messages(Rewordable):
    """The prepared messages as a school words them: the whole text."""

    model = Wording
    not_found = "No such message"
    error = WordingError
    audit_type = "message_wording"
    audit_key = "template"

    def catalogue(self):
        return schema.load_templates()

    def prepare(self, text):
        text["text"] = schema.as_text(text)
        return text

    def clean(self, words):
        return (words or "").replace("\r\n", "\n").replace("\x00", "").strip()

    def problems(self, text, words):
        """The words keep every part a message to many must have (what is known, what the school is doing, what to do
        and not do, where to get help: E2) and blame no child (D6). Parts in square brackets stay, for the DSL to fill
        in on each case."""
        missing = [heading for _, heading in schema.PARTS if heading not in words]
        if not words:
            return "Write the message."
        if len(words) > MAX_TEXT:
            return f"Keep the message to {MAX_TEXT:,} characters (it has {len(words):,})."
        if missing:
            return ("Keep a heading for each part a message to many must have. Missing: "
                    + ", ".join(f"“{m}”" for m in missing) + ".")
        if blaming := blaming_phrases_in(words):
            return ("Reword this: " + ", ".join(f"‘{w}’" for w in blaming)
                    + " can make a child feel to blame for what was done to them.")
        return None


MESSAGES = Messages()


def shipped(template_id: str) -> dict:
    """A copy of the template as shipped, with its text. Http404 for an unknown id."""
    return MESSAGES.shipped(template_id)


def effective(school: School, template_id: str) -> dict:
    """The template as `school` uses it: shipped, with the school's latest words if it has reworded them. The dict
    has the template's keys plus "text", "label" (such as "Letter to all parents… v1 · Oakfield Primary v2"),
    "school_version" (None if as shipped) and "based_on_older". One query."""
    return MESSAGES.effective(school, template_id)


def effective_all(school: School, templates=None) -> list[dict]:
    """`effective` for each of `templates` (default: every template, by id), in their order: one query."""
    return MESSAGES.effective_all(school, None if templates is None else [t["id"] for t in templates])


def history(school: School, template_id: str) -> list[Wording]:
    """The school's versions of one template, newest first, with their authors (one query)."""
    return MESSAGES.history(school, template_id)


def save_wording(*, user, school, template_id, text, reason) -> Wording:
    """Save `text` as the school's next version of a template. Return the new row.

    Check access (Http404, as for anything the user may not see, or a template that does not exist), validate
    (WordingError keyed "text" and "reason": `Messages.problems`), save and audit in one transaction.
    """
    return MESSAGES.save(user=user, school=school, text_id=template_id, words=text, reason=reason)
