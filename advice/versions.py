"""Which wording of an advice script is in force at a school, and saving a new one.

A school may reword a script (its paragraphs); the title, audience, situation and links stay as shipped. Each change
is a new AdviceOverride row with the next version number. How rewordings are read, versioned and saved is the same for
every text a school rewords (schools.rewordings); what is the advice's own is here.
"""

from __future__ import annotations

from advice import schema
from advice.models import AdviceOverride
from lib.errors import ActionError
from schools.models import School
from schools.rewordings import Rewordable, may_edit, may_read  # noqa: F401 - who reads and rewords the scripts


class AdviceError(ActionError):
    """The new wording was refused; the messages say what to change."""


def clean_paragraphs(paragraphs) -> list[str]:
    """Strip each paragraph and drop the blank ones."""
    return [p.strip() for p in paragraphs if isinstance(p, str) and p.strip()]


class Scripts(Rewordable):
    """The advice scripts as a school words them: its paragraphs, in English only (J8)."""

    model = AdviceOverride
    not_found = "No such advice script"
    error = AdviceError
    audit_type = "advice_override"
    audit_key = "script"

    def catalogue(self):
        return schema.load_scripts()

    def clean(self, words):
        return clean_paragraphs(words)

    def problems(self, text, words):
        return [p[0].upper() + p[1:] + "." for p in schema.paragraph_problems(words, text["situation"])]

    def merge(self, text, school, row):
        script = super().merge(text, school, row)
        # J8: the Welsh is offered only for the wording it translates: a school's own rewording is in English only.
        script["welsh"] = script.get("cy") is not None and row is None
        return script


SCRIPTS = Scripts()


# ---- reading -----------------------------------------------------------------------


def shipped(script_id: str) -> dict:
    """A copy of the script as shipped. Raise Http404 for an unknown id."""
    return SCRIPTS.shipped(script_id)


def in_language(script: dict, language: str) -> dict:
    """The script to print in `language` ("cy" or "en-gb"): its Welsh text where it has one that translates the
    wording in force (J8), else the English as it is. The label says which text and version was printed."""
    script = dict(script, language="en-gb")
    if language == "cy" and script.get("welsh"):
        welsh = script["cy"]
        script.update(title=welsh["title"], heading=welsh["heading"], paragraphs=list(welsh["paragraphs"]),
                      language="cy", label=f"{welsh['title']} v{script['version']} · Cymraeg v{welsh['version']}")
    return script


def effective_script(school: School, script_id: str) -> dict:
    """The script as `school` uses it: shipped, with the school's latest paragraphs if it has reworded them.

    Return a dict with the script's keys plus "label" (such as "Advice for a child whose
    image was shared v1 · Oakfield Primary v2") and "school_version" (None if as shipped).
    One query.
    """
    return SCRIPTS.effective(school, script_id)


def effective_all(school: School) -> dict[str, dict]:
    """`effective_script` for every script, keyed by id: one query for them all."""
    script_ids = list(schema.load_scripts())
    return dict(zip(script_ids, SCRIPTS.effective_all(school, script_ids), strict=True))


def history(school: School, script_id: str) -> list[AdviceOverride]:
    """The school's versions of one script, newest first, with their authors (one query)."""
    return SCRIPTS.history(school, script_id)


def script_for(situation: str, audience: str) -> str:
    """The id of the shipped script for a situation and audience ("child" or "parent")."""
    for sid, script in schema.load_scripts().items():
        if script["situation"] == situation and script["audience"] == audience:
            return sid
    raise KeyError(f"no {audience} script for {situation!r}")


# ---- writing -----------------------------------------------------------------------


def save_advice_override(*, user, school, script_id, paragraphs, reason) -> AdviceOverride:
    """Save `paragraphs` as the school's next version of a script. Return the new row.

    Check access (Http404, as for anything the user may not see, or a script that does
    not exist), validate (AdviceError with messages keyed "reason" and "paragraphs"),
    save and audit in one transaction.
    """
    return SCRIPTS.save(user=user, school=school, text_id=script_id, words=paragraphs, reason=reason)
