"""reports/reporting.toml: the online-risk area of each kind of incident, and the school terms.

`load()` reads the file once, checks it with the pydantic models below and raises
ReportingDefinitionError naming the file and the problem; the system check in reports/checks.py
calls it at start-up. Terms are whole periods: a report for one term never overlaps another's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from lib import datafiles
from lib.datafiles import checked, each_once, nonempty_str, problem, refuse

FILE = Path(__file__).resolve().parent / "reporting.toml"
AREAS = ("content", "contact", "conduct", "commerce")
MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")


class ReportingDefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    month: int
    day: int


@dataclass(frozen=True)
class Period:
    """[start, end): whole days. `key` names a term ("2025-autumn") or is "" for a chosen range."""

    start: date
    end: date
    label: str
    key: str = ""

    @property
    def last_day(self):
        return self.end - timedelta(days=1)


@dataclass(frozen=True)
class Definition:
    areas: dict
    area_labels: dict
    terms: tuple


def case_types():
    """Every kind of case Harbour can open (a concern of kind "other" becomes one of these)."""
    from cases.actions.opening import PROCEDURE_FOR

    return set(PROCEDURE_FOR.values())


def _month_day(value) -> date | None:
    """"09-01" as a day of a common year, or None when it is not MM-DD (or not a day of every year)."""
    match = MONTH_DAY.match(value) if isinstance(value, str) else None
    try:
        return date(2001, int(match[1]), int(match[2])) if match else None
    except ValueError:
        return None


class TermStart(BaseModel):
    """A [[terms]] entry: the term's id, its name and the day of the year it starts."""

    model_config = ConfigDict(strict=True)

    id: checked(str, nonempty_str, "needs an id")
    name: checked(str, nonempty_str, "needs a name")
    starts: checked(str, lambda v: _month_day(v) is not None, "starts must be MM-DD, not {value}")


class Reporting(BaseModel):
    """reports/reporting.toml. Validated with the kinds of case Harbour knows as context ("known_types")."""

    model_config = ConfigDict(strict=True)

    areas: dict[str, str] = Field(None, validate_default=True)
    area_labels: dict[str, str] = Field({}, validate_default=True)
    terms: Annotated[checked(list[TermStart], lambda v: isinstance(v, list) and v != [], "[[terms]] is missing"),
                     each_once("id", "appears twice")] = Field(None, validate_default=True)

    @field_validator("areas", mode="before")
    @classmethod
    def _one_area_for_each_kind(cls, areas, info: ValidationInfo):
        """G4: every kind of case in exactly one of the four areas, and nothing else."""
        if not isinstance(areas, dict):
            raise problem("[areas] is missing")
        known = info.context["known_types"]
        found = []
        for kind, area in areas.items():
            if kind not in known:
                found.append(((), f"[areas] names {kind!r}, which is not a kind of case"))
            if area not in AREAS:
                found.append(((), f"[areas] {kind!r} = {area!r}: the area must be one of {', '.join(AREAS)}"))
        found += [((), f"[areas] has no area for {kind!r}") for kind in sorted(known - set(areas))]
        refuse(found)
        return areas

    @field_validator("area_labels", mode="before")
    @classmethod
    def _labels_each_area(cls, labels):
        if not isinstance(labels, dict) or set(labels) != set(AREAS):
            raise problem(f"[area_labels] must label exactly {', '.join(AREAS)}")
        return labels

    @field_validator("terms")
    @classmethod
    def _terms_in_order(cls, terms):
        """In academic-year order: each start later in the year than the one before, counting round from the first
        term's start."""
        starts = [_month_day(t.starts) for t in terms]
        offsets = [(d - starts[0]).days % 365 for d in starts]
        if offsets != sorted(offsets) or len(set(offsets)) != len(offsets):
            raise problem("terms must be listed in the order of the school year, each starting on its own day")
        return terms


def _where(loc: tuple, data) -> str | None:
    """Sections as the file writes them ([areas]), and each term by its id."""
    if len(loc) <= 1:
        return ""
    if loc[0] == "terms" and isinstance(loc[1], int):
        term = data["terms"][loc[1]]
        name = term.get("id") if isinstance(term, dict) else None
        return f"term {name!r}" if name else f"term {loc[1] + 1}"
    return None


def validate(data, known_types) -> list[str]:
    """Every problem in a parsed reporting.toml, as sentences; empty when it is good."""
    return datafiles.validate(Reporting, data, context={"known_types": set(known_types)}, where=_where)[1]


@cache
def load() -> Definition:
    data = datafiles.read_toml(FILE, ReportingDefinitionError)
    model, problems = datafiles.validate(Reporting, data, context={"known_types": case_types()}, where=_where)
    if problems:
        raise ReportingDefinitionError(f"{FILE.name}: " + "; ".join(problems))
    terms = tuple(Term(t.id, t.name, *map(int, t.starts.split("-"))) for t in model.terms)
    return Definition(areas=dict(model.areas), area_labels=dict(model.area_labels), terms=terms)


# -- Terms ---------------------------------------------------------------------------

def academic_year_of(day: date) -> int:
    """The calendar year in which the school year holding `day` began."""
    first = load().terms[0]
    return day.year if (day.month, day.day) >= (first.month, first.day) else day.year - 1


def _term_starts(year: int):
    """[(term, start date)] for the school year beginning in `year`, in order."""
    first = load().terms[0]
    out = []
    for term in load().terms:
        calendar_year = year if (term.month, term.day) >= (first.month, first.day) else year + 1
        out.append((term, date(calendar_year, term.month, term.day)))
    return out


def term_period(year: int, term_id: str) -> Period:
    starts = _term_starts(year) + [(None, date(year + 1, load().terms[0].month, load().terms[0].day))]
    for (term, start), (_, end) in zip(starts, starts[1:], strict=False):
        if term.id == term_id:
            return Period(start, end, f"{term.name} {year}/{str(year + 1)[-2:]}", f"{year}-{term.id}")
    raise KeyError(term_id)


def term_containing(day: date) -> Period:
    year = academic_year_of(day)
    for term, start in reversed(_term_starts(year)):
        if start <= day:
            return term_period(year, term.id)
    raise AssertionError("the first term starts the academic year")  # pragma: no cover


def period_for_key(key: str) -> Period | None:
    """"2025-autumn" → that term's Period; None for anything else (never an error page)."""
    match = re.fullmatch(r"(\d{4})-([a-z][a-z0-9-]*)", key or "")
    if not match or not 2000 <= int(match[1]) <= 2100:
        return None
    try:
        return term_period(int(match[1]), match[2])
    except KeyError:
        return None


def recent_terms(today: date, count: int = 6) -> list[Period]:
    """The term holding `today` and the `count - 1` before it, newest first."""
    periods = [term_containing(today)]
    while len(periods) < count:
        periods.append(term_containing(periods[-1].start - timedelta(days=1)))
    return periods



def terms_overlapping(start: date, end: date) -> list[Period]:
    """Every term that overlaps [start, end), oldest first."""
    periods = [term_containing(start)]
    while periods[-1].end < end:
        periods.append(term_containing(periods[-1].end))
    return periods
