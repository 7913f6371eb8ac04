"""Harbour's rules in words (procedures/rules.toml), for the "Why is this asked?" details a screen shows.

A rule number (B6, E7…) is for those who want to trace a screen to its rule: it is shown only inside that details
element, after the reason in words, never in the text people read (issue 20.4). `rule("B6")` gives its words and
where it comes from; `rules_for(["B6", "B10"])` the rules a screen or a chronology entry cites, each once, in order.
"""

import re
from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from lib import datafiles
from lib.datafiles import Table, checked, nonempty_str

PATH = Path(__file__).with_name("rules.toml")
RULE_ID = re.compile(r"^(?:[A-J]|P|S)[0-9]{1,2}$")

# The source documents' tags (PROCEDURES.md) in words.
SOURCES = {
    "IEP": "a school's image-extortion action plan",
    "RED": "a primary school's online-safety policy",
    "SEX": "advice for schools on sexting incidents",
    "FED": "a federation's online-safety policy",
    "YPSI": "a trust's policy on youth-produced sexual imagery",
    "UKCIS": "UKCIS, Sharing nudes and semi-nudes: advice for education settings",
    "KCSIE": "Keeping children safe in education",
    "NCA": "the National Crime Agency's alert on financially motivated sexual extortion",
    "DfE": "the Department for Education",
}
_TAG = re.compile(r"^(" + "|".join(SOURCES) + r")\b[ :]*(.*)$")


class RulesFileError(ValueError):
    """rules.toml is missing, unreadable or invalid."""


class Rule(Table):
    section: checked(str, nonempty_str, "needs a section")
    words: checked(str, nonempty_str, "needs its words")
    source: str = ""


class Rules(RootModel[dict[str, Rule]]):
    pass


@lru_cache(maxsize=1)
def _rules():
    data = datafiles.read_toml(PATH, RulesFileError)
    model, problems = datafiles.validate(Rules, data)
    bad = [key for key in data if not RULE_ID.match(key)]
    if problems or bad:
        raise RulesFileError(f"{PATH.name}: " + "; ".join(problems + [f"{key!r} is not a rule number" for key in bad]))
    return model.root


def source_in_words(source):
    """'YPSI roles; KCSIE' → "a trust's policy on youth-produced sexual imagery (roles); Keeping children safe in
    education": each tag named in words, with the part of the document after it in brackets."""
    parts = []
    for part in (p.strip() for p in source.split(";")):
        m = _TAG.match(part)
        if m:
            where = f"section {m.group(2)}" if m.group(2).isdigit() else m.group(2)
            part = f"{SOURCES[m.group(1)]} ({where})" if where else SOURCES[m.group(1)]
        parts.append(part)
    return "; ".join(p for p in parts if p)


def rule(rule_id):
    """{"id", "words", "source"} of a rule ("B2.1" is rule B2), or None for a number Harbour does not know."""
    found = _in_words(str(rule_id).split(".")[0])
    if found is None:
        return None
    return {"id": rule_id, "words": found[0], "source": found[1]}


@lru_cache(maxsize=512)
def _in_words(number):
    """(words, source in words) of a rule, or None: a function of rules.toml, which is read once (_rules), so worked
    out once per rule rather than on every "Why is this asked?" of every page (issue 24: ~25 function calls each)."""
    found = _rules().get(number)
    return None if found is None else (found.words, source_in_words(found.source))


def rules_for(rule_ids):
    """The rules a screen or an entry cites, each once, in the order given; numbers not known are left out."""
    seen, found = set(), []
    for rule_id in rule_ids or ():
        if rule_id not in seen and (r := rule(rule_id)):
            seen.add(rule_id)
            found.append(r)
    return found
