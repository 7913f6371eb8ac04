"""reports/reporting.toml: the online-risk area of each kind of incident, and the school terms.

Standard library only. `load()` reads and validates the file once and raises
ReportingDefinitionError naming the problem; the system check in reports/checks.py calls
it at start-up. Terms are whole periods: a report for one term never overlaps another's.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

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


def validate(data, known_types) -> list[str]:
    problems = []
    areas = data.get("areas")
    if not isinstance(areas, dict):
        return ["[areas] is missing"]
    for kind, area in areas.items():
        if kind not in known_types:
            problems.append(f"[areas] names {kind!r}, which is not a kind of case")
        if area not in AREAS:
            problems.append(f"[areas] {kind!r} = {area!r}: the area must be one of {', '.join(AREAS)}")
    for kind in sorted(known_types - set(areas)):
        problems.append(f"[areas] has no area for {kind!r}")
    labels = data.get("area_labels", {})
    if set(labels) != set(AREAS):
        problems.append(f"[area_labels] must label exactly {', '.join(AREAS)}")
    terms = data.get("terms")
    if not isinstance(terms, list) or not terms:
        return problems + ["[[terms]] is missing"]
    seen, starts = set(), []
    for term in terms:
        tid, name, starts_at = term.get("id"), term.get("name"), str(term.get("starts", ""))
        if not tid or not name:
            problems.append("each term needs an id and a name")
        if tid in seen:
            problems.append(f"term {tid!r} appears twice")
        seen.add(tid)
        match = MONTH_DAY.match(starts_at)
        try:
            starts.append(date(2001, int(match[1]), int(match[2])) if match else None)
        except ValueError:
            starts.append(None)
        if starts[-1] is None:
            problems.append(f"term {tid!r}: starts must be MM-DD, not {starts_at!r}")
    if None not in starts:
        # In academic-year order: each start comes later in the year than the one before,
        # counting round from the first term's start.
        first = starts[0]
        offsets = [((d - first).days) % 365 for d in starts]
        if offsets != sorted(offsets) or len(set(offsets)) != len(offsets):
            problems.append("terms must be listed in the order of the school year, each starting on its own day")
    return problems


@cache
def load() -> Definition:
    try:
        data = tomllib.loads(FILE.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ReportingDefinitionError(str(error)) from error
    problems = validate(data, case_types())
    if problems:
        raise ReportingDefinitionError("; ".join(problems))
    terms = tuple(Term(t["id"], t["name"], *map(int, t["starts"].split("-"))) for t in data["terms"])
    return Definition(areas=dict(data["areas"]), area_labels=dict(data["area_labels"]), terms=terms)


def area_of(incident_type):
    return load().areas.get(incident_type, "")


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
