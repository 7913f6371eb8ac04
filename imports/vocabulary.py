"""The words of MIS exports (imports/vocabulary.toml): read once, checked by the models below at start-up
(imports/checks.py) and by a test, and turned into look-up tables for `imports.columns` and `imports.cleaning`."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, model_validator

from accounts.capabilities import Role
from lib import datafiles
from lib.datafiles import Table, refuse

PATH = Path(__file__).with_name("vocabulary.toml")

# The fields each kind of file may name, with the ones it must have.
FIELDS = {
    "pupils": ("upn", "legal_last_name", "legal_first_name", "preferred_first_name", "preferred_last_name",
               "date_of_birth", "sex", "year_group", "sen_status", "is_looked_after", "was_looked_after",
               "is_child_in_need", "has_child_protection_plan", "is_young_carer", "network_login", "school_email"),
    "contacts": ("upn", "first_name", "last_name", "title", "relationship", "has_parental_responsibility",
                 "lives_with_pupil", "contact_priority", "email", "phone"),
    "staff": ("email", "preferred_first_name", "legal_first_name", "preferred_last_name", "legal_last_name", "roles",
              "job_title"),
}
REQUIRED = {
    "pupils": ("upn", "legal_last_name", "legal_first_name", "date_of_birth", "sex", "year_group"),
    "contacts": ("upn", "first_name", "last_name", "relationship"),
    "staff": ("email", "legal_first_name", "legal_last_name"),
}
ROLES = tuple(Role.values)


class VocabularyFileError(ValueError):
    """vocabulary.toml is missing, unreadable or invalid."""


def normalise(word: str) -> str:
    """Lower case, punctuation and runs of spaces as one space: "K - SEN Support" → "k sen support"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (word or "").lower()).split())


def _names(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)


class Columns(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    pupils: dict[str, list[str]]
    contacts: dict[str, list[str]]
    staff: dict[str, list[str]]

    @model_validator(mode="after")
    def _known_fields_named_once(self):
        found = []
        for kind, fields in FIELDS.items():
            table = getattr(self, kind)
            for field in table:
                if field not in fields:
                    found.append(((kind, field), f"{field!r} is not a field of a {kind} file"))
                elif not _names(table[field]):
                    found.append(((kind, field), "must be a list of column names"))
            found += [((kind,), f"has no names for {f!r}") for f in REQUIRED[kind] if f not in table]
            seen = {}
            for field, names in table.items():
                for name in names:
                    key = normalise(name)
                    if key in seen and seen[key] != field:
                        found.append(((kind, field), f"{name!r} is a column of {seen[key]!r} already"))
                    seen.setdefault(key, field)
        refuse(found)
        return self


class Values(Table):
    yes: list[str]
    no: list[str]
    sen: dict[str, list[str]]
    sex: dict[str, list[str]]

    @model_validator(mode="after")
    def _each_word_means_one_thing(self):
        found = []
        if {normalise(w) for w in self.yes} & {normalise(w) for w in self.no}:
            found.append(((), "a word is both yes and no"))
        if set(self.sen) != {"N", "K", "E"}:
            found.append((("sen",), "must list the words for N, K and E"))
        if set(self.sex) != {"M", "F"}:
            found.append((("sex",), "must list the words for M and F"))
        for name in ("sen", "sex"):
            seen = {}
            for code, words in getattr(self, name).items():
                for word in words:
                    if seen.setdefault(normalise(word), code) != code:
                        found.append(((name, code), f"{word!r} is listed for {seen[normalise(word)]!r} already"))
        refuse(found)
        return self


class Vocabulary(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    columns: Columns
    values: Values
    job_titles: dict[str, str]

    @model_validator(mode="after")
    def _job_titles_name_roles(self):
        refuse([(("job_titles", title), f"{role!r} is not a Harbour role (one of {', '.join(ROLES)})")
                for title, role in self.job_titles.items() if role not in ROLES])
        return self


def problems(data: dict) -> list[str]:
    """Everything wrong with a vocabulary document, as sentences; empty when it is good."""
    return datafiles.validate(Vocabulary, data)[1]


@lru_cache(maxsize=1)
def load() -> dict:
    data = datafiles.read_toml(PATH, VocabularyFileError)
    model, errors = datafiles.validate(Vocabulary, data)
    if errors:
        raise VocabularyFileError(f"{PATH.name}: " + "; ".join(errors))
    return model.model_dump()


def columns(kind: str) -> dict[str, list[str]]:
    """{field: [column names]} for a kind of file, as written in the file."""
    return load()["columns"][kind]


@lru_cache(maxsize=1)
def words() -> dict:
    """Normalised word → value, for each kind of value: {"yes": {...}, "no": {...}, "sen": {"k sen support": "K"}}."""
    values = load()["values"]
    table = {"yes": {normalise(w) for w in values["yes"]}, "no": {normalise(w) for w in values["no"]}}
    for name in ("sen", "sex"):
        table[name] = {normalise(w): code for code, ws in values[name].items() for w in ws}
    table["job_titles"] = {normalise(title): role for title, role in load()["job_titles"].items()}
    return table
